"""Validates an AsyncAPI 3.0 document (scripts/asyncapi/validate.sh runs it in its venv).

1. asyncapi3.AsyncAPI3.model_validate: the AsyncAPI 3.0 object model (field types,
   `action` in send/receive, channel parameters only for address expressions, x- extensions).
2. What that model leaves unchecked: every local `$ref` resolves; each operation's channel is
   a `#/channels/<id>` reference and its messages are messages of that channel; every
   `{expression}` in a channel address has a parameter and every parameter an expression.
3. jsonschema: each component schema, message payload and HTTP binding query is a valid
   Draft 7 schema (AsyncAPI's Schema Object is a Draft 7 superset), and each message
   example's payload validates against its message's payload schema.
Then the self-check: broken copies of the document (an operation's action `publish`, a
channel reference to a missing channel, a payload schema of an unknown type, an example
that misses a required key) must each be rejected, or the validator itself is broken.
"""
import copy
import json
import re
import sys
import warnings

warnings.filterwarnings("ignore", category=UserWarning)  # asyncapi3 0.0.2's field-shadowing warnings

from asyncapi3 import AsyncAPI3  # noqa: E402
from jsonschema import Draft7Validator  # noqa: E402
from referencing import Registry, Resource  # noqa: E402
from referencing.jsonschema import DRAFT7  # noqa: E402


def resolve(doc, ref):
    """The value at a local reference, or raise KeyError."""
    if not ref.startswith("#/"):
        raise KeyError(f"{ref}: only local references are used here")
    node = doc
    for token in ref[2:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or token not in node:
            raise KeyError(f"{ref} does not resolve")
        node = node[token]
    return node


def refs(node, path="#"):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield path, node["$ref"]
        for key, value in node.items():
            yield from refs(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from refs(value, f"{path}/{index}")


def deref(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        node = resolve(doc, node["$ref"])
    return node


def errors_of(doc):
    """Every problem found, as lines; empty when the document is valid."""
    errors = []
    try:
        AsyncAPI3.model_validate(doc)
    except Exception as error:  # pydantic.ValidationError, or anything the model raises
        details = error.errors() if hasattr(error, "errors") else []
        errors.extend(f"asyncapi3: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in details)
        if not details:
            errors.append(f"asyncapi3: {error}")
    if not isinstance(doc, dict):
        return errors or ["not a JSON object"]
    for where, ref in refs(doc):
        try:
            resolve(doc, ref)
        except KeyError as error:
            errors.append(f"{where}: {error.args[0]}")
    channels = doc.get("channels") or {}
    for channel_id, channel in channels.items():
        channel = deref(doc, channel) if isinstance(channel, dict) else channel
        if not isinstance(channel, dict):
            continue
        expressions = set(re.findall(r"\{([^}]+)\}", channel.get("address") or ""))
        parameters = set((channel.get("parameters") or {}).keys())
        if expressions != parameters:
            errors.append(f"channels/{channel_id}: address expressions {sorted(expressions)} != parameters {sorted(parameters)}")
    for operation_id, operation in (doc.get("operations") or {}).items():
        channel_ref = ((operation or {}).get("channel") or {}).get("$ref", "")
        if not re.fullmatch(r"#/channels/[A-Za-z0-9_\-]+", channel_ref):
            errors.append(f"operations/{operation_id}: channel must reference #/channels/<id>, not {channel_ref!r}")
            continue
        for message in operation.get("messages") or []:
            if not message.get("$ref", "").startswith(channel_ref + "/messages/"):
                errors.append(f"operations/{operation_id}: message {message.get('$ref')!r} is not a message of {channel_ref}")
    # The document is one resource, so a payload's `#/components/schemas/…` resolves in it.
    registry = Registry().with_resource("urn:asyncapi", Resource.from_contents(doc, default_specification=DRAFT7))
    example_errors = []
    schemas = [(f"components/schemas/{name}", schema) for name, schema in ((doc.get("components") or {}).get("schemas") or {}).items()]
    for channel_id, channel in channels.items():
        for message_id, message in ((channel or {}).get("messages") or {}).items():
            message = deref(doc, message)
            where = f"channels/{channel_id}/messages/{message_id}"
            if "payload" not in message:
                continue
            schemas.append((where + "/payload", message["payload"]))
            pointer = "/".join(t.replace("~", "~0").replace("/", "~1") for t in ("channels", channel_id, "messages", message_id, "payload"))
            validator = Draft7Validator({"$ref": f"urn:asyncapi#/{pointer}"}, registry=registry)
            for index, example in enumerate(message.get("examples") or []):
                if "payload" in example:
                    try:
                        for error in validator.iter_errors(example["payload"]):
                            example_errors.append(f"{where}/examples/{index}: {error.message}")
                    except Exception as error:  # an unresolvable reference inside the payload schema
                        example_errors.append(f"{where}/examples/{index}: cannot validate: {str(error).splitlines()[0]}")
    for operation_id, operation in (doc.get("operations") or {}).items():
        query = (((operation or {}).get("bindings") or {}).get("http") or {}).get("query")
        if query is not None:
            schemas.append((f"operations/{operation_id}/bindings/http/query", query))
    for where, schema in schemas:
        for error in Draft7Validator(Draft7Validator.META_SCHEMA).iter_errors(schema):
            errors.append(f"{where}: not a Draft 7 schema: {error.message}")
    return errors + example_errors


def broken_copies(doc):
    """Deliberately broken documents, each of which must be rejected."""
    operation_id = sorted(doc["operations"])[0]
    publish = copy.deepcopy(doc)
    publish["operations"][operation_id]["action"] = "publish"
    yield f"operations/{operation_id}/action = publish", publish
    missing = copy.deepcopy(doc)
    missing["operations"][operation_id]["channel"] = {"$ref": "#/channels/noSuchChannel"}
    yield f"operations/{operation_id}/channel -> #/channels/noSuchChannel", missing
    schema = copy.deepcopy(doc)
    name = sorted(schema["components"]["schemas"])[0]
    schema["components"]["schemas"][name] = {"type": "objekt"}
    yield f"components/schemas/{name} type = objekt", schema
    example = copy.deepcopy(doc)
    for channel in example["channels"].values():
        for message in channel.get("messages", {}).values():
            for sample in message.get("examples", []):
                sample["payload"] = {}
    yield "every example payload = {}", example


def main(path):
    with open(path, encoding="utf-8") as file:
        doc = json.load(file)
    errors = errors_of(doc)
    if errors:
        print(f"error: {path} is not a valid AsyncAPI 3.0 document:", file=sys.stderr)
        for line in errors:
            print(f"  {line}", file=sys.stderr)
        return 1
    messages = sum(len((c or {}).get("messages") or {}) for c in doc["channels"].values())
    print(f"    {path}: AsyncAPI {doc['asyncapi']} valid (asyncapi3 object model, references, Draft 7 schemas): "
          f"{len(doc['channels'])} channel(s) {sorted(doc['channels'])}, {len(doc['operations'])} operation(s) "
          f"{sorted(doc['operations'])}, {messages} message(s), {len(doc['components']['schemas'])} schema(s)")
    failed = False
    for what, broken in broken_copies(doc):
        found = errors_of(broken)
        if found:
            print(f"    self-check: rejected ({what}): {found[0].splitlines()[0][:160]}")
        else:
            print(f"error: self-check: the validator accepted a broken document ({what})", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "manifests/api/asyncapi.json"))
