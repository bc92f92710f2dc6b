#!/usr/bin/env python3
"""Creates what the schemathesis run needs on a fresh platformd and writes its config.

Fixtures (through the API, as the bootstrap admin): tenant `fuzz`, project `fuzz`, a registered
app (manifests/apps/hello.yaml), a signing key, service accounts `registry` (whose key the /v2
run uses) and `scratch` (sacrificial), two sacrificial keys, and a tiny OCI image pushed to
`<project>/fuzz:v1` and `<project>/scratch:v1` with a referrer. It writes:
  - fixtures.json: the ids, and `protected`: the values schemathesis_hooks.py keeps away from destructive
    calls (the keys the runs authenticate with, their accounts, the `fuzz` repository);
  - v1.toml / v2.toml: schemathesis configs whose dictionaries make path parameters (and a few
    body fields) real ids most of the time, so requests get past 404 into the handlers.
"""
import argparse
import base64
import hashlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = __file__.rsplit("/scripts/", 1)[0]


def call(server, method, path, key, body=None, content_type="application/json", basic=False):
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    request = urllib.request.Request(server + path, data=data, method=method)
    if basic:
        request.add_header("Authorization", "Basic " + base64.b64encode(b"ci:" + key.encode()).decode())
    else:
        request.add_header("Authorization", "Bearer " + key)
    if data is not None:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
            return response.status, (json.loads(text) if text and response.headers.get("Content-Type", "").endswith("json") else text)
    except urllib.error.HTTPError as error:
        sys.exit(f"fixtures: {method} {path} -> {error.code}: {error.read()[:300]!r}")


def push_blob(server, key, repo, content):
    digest = "sha256:" + hashlib.sha256(content).hexdigest()
    call(server, "POST", f"/v2/{repo}/blobs/uploads/?digest={digest}", key, content, "application/octet-stream", basic=True)
    return digest


def push_image(server, key, repo):
    config, layer = b"{}", b"hello from the schemathesis fixture\n"
    config_digest, layer_digest = push_blob(server, key, repo, config), push_blob(server, key, repo, layer)
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": layer_digest, "size": len(layer)}],
    }, separators=(",", ":")).encode()
    manifest_digest = "sha256:" + hashlib.sha256(manifest).hexdigest()
    call(server, "PUT", f"/v2/{repo}/manifests/v1", key, manifest, "application/vnd.oci.image.manifest.v1+json", basic=True)
    # A referrer (an OCI 1.1 artifact whose subject is the image), so /referrers has content.
    empty = push_blob(server, key, repo, b"{}")
    referrer = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "artifactType": "application/vnd.example.sbom.v1+json",
        "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": empty, "size": 2},
        "layers": [{"mediaType": "application/vnd.oci.empty.v1+json", "digest": empty, "size": 2}],
        "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest_digest, "size": len(manifest)},
    }, separators=(",", ":")).encode()
    referrer_digest = "sha256:" + hashlib.sha256(referrer).hexdigest()
    call(server, "PUT", f"/v2/{repo}/manifests/{referrer_digest}", key, referrer, "application/vnd.oci.image.manifest.v1+json", basic=True)
    return {"config": config_digest, "layer": layer_digest, "manifest": manifest_digest, "referrer": referrer_digest}


def launch_instance(server, admin, project, work, appctl):
    """Publishes examples/gpu-echo (signed, promoted to staging) and launches it without GPUs,
    so the instance routes (events, logs, usage, connect, sessions) have a live target.
    Returns the instance and a connect session, or (None, None) when this host cannot run it."""
    env = dict(os.environ, APPCTL=appctl, APPCTL_TOKEN=admin, XDG_CONFIG_HOME=f"{work}/xdg")
    with open(f"{work}/publish.log", "w") as log:
        result = subprocess.run(
            ["bash", f"{ROOT}/examples/gpu-echo/publish.sh", "--project", project, "--to", "staging", "--server", server,
             "--key", f"{work}/gpu-echo-signing.pem"], env=env, stdout=log, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        print(f"fixtures: no instance (publish.sh exited {result.returncode}; see {work}/publish.log)", file=sys.stderr)
        return None, None
    try:
        _, instance = call(server, "POST", f"/v1/projects/{project}/instances", admin,
                           {"app": "gpu-echo", "environment": "staging", "gpus": "0"})
    except SystemExit as refused:
        print(f"fixtures: no instance ({refused})", file=sys.stderr)
        return None, None
    for _ in range(300):
        _, instance = call(server, "GET", f"/v1/projects/{project}/instances/{instance['id']}", admin)
        if instance["phase"] in ("ready", "failed", "stopped", "succeeded"):
            break
        time.sleep(0.1)
    if instance["phase"] != "ready":
        print(f"fixtures: instance {instance['id']} is {instance['phase']}: {instance.get('message')}", file=sys.stderr)
        return instance["id"], None
    _, session = call(server, "POST", f"/v1/projects/{project}/instances/{instance['id']}/connect", admin, {})
    return instance["id"], session["id"]


def toml_list(values):
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--admin-key-file", required=True)
    parser.add_argument("--out", required=True, help="folder for fixtures.json, v1.toml, v2.toml")
    parser.add_argument("--appctl", help="appctl binary: also publish and launch examples/gpu-echo (needs umoci, runc)")
    args = parser.parse_args()
    server, admin = args.server.rstrip("/"), open(args.admin_key_file).read().strip()

    _, caller = call(server, "GET", "/v1/whoami", admin)
    _, tenant = call(server, "POST", "/v1/tenants", admin, {"name": "fuzz"})
    _, project = call(server, "POST", f"/v1/tenants/{tenant['id']}/projects", admin, {"name": "fuzz"})
    pid = project["id"]
    _, registry_sa = call(server, "POST", f"/v1/projects/{pid}/serviceaccounts", admin, {"name": "registry", "role": "project-admin"})
    _, scratch_sa = call(server, "POST", f"/v1/projects/{pid}/serviceaccounts", admin, {"name": "scratch", "role": "developer"})
    _, tenant_sa = call(server, "POST", f"/v1/tenants/{tenant['id']}/serviceaccounts", admin, {"name": "tenant-scratch", "role": "tenant-admin"})
    _, registry_key = call(server, "POST", "/v1/keys", admin, {
        "serviceAccount": registry_sa["id"], "expiresInSeconds": 86400,
        "scopes": ["artifacts:repository:pull", "artifacts:repository:push", "artifacts:repository:delete"]})
    scratch_keys = [call(server, "POST", "/v1/keys", admin, {
        "serviceAccount": scratch_sa["id"], "expiresInSeconds": 86400, "scopes": ["apps:catalog:read"]})[1] for _ in range(2)]
    manifest = open(f"{ROOT}/manifests/apps/hello.yaml").read()
    _, app = call(server, "POST", f"/v1/projects/{pid}/apps", admin, {"file": "hello.yaml", "manifest": manifest})
    pem = subprocess.run(
        "openssl ecparam -name prime256v1 -genkey -noout | openssl ec -pubout 2>/dev/null",
        shell=True, check=True, capture_output=True, text=True).stdout
    _, signing_key = call(server, "POST", f"/v1/projects/{pid}/signingkeys", admin,
                          {"name": "fuzz", "purpose": "artifact-signing", "publicKeyPEM": pem})
    namespace = pid.lower()
    image = push_image(server, registry_key["key"], f"{namespace}/fuzz")
    push_image(server, registry_key["key"], f"{namespace}/scratch")

    instance, session = launch_instance(server, admin, pid, args.out, args.appctl) if args.appctl else (None, None)

    protected = [caller["keyId"], caller["principalId"], registry_key["info"]["id"], registry_sa["id"], "registry"]
    protected += [instance] if instance else []
    fixtures = {
        "tenant": tenant["id"], "project": pid, "namespace": namespace, "app": app["name"], "signingKey": signing_key["id"],
        "serviceAccounts": [registry_sa["id"], scratch_sa["id"], tenant_sa["id"]],
        "scratchKeys": [k["info"]["id"] for k in scratch_keys], "image": image, "instance": instance, "session": session,
        "registryKey": registry_key["key"], "protected": protected, "protectedRepository": "fuzz",
    }
    with open(f"{args.out}/fixtures.json", "w") as out:
        json.dump(fixtures, out, indent=2)

    # Path parameters are drawn from the fixtures with this probability, otherwise generated.
    p = 0.75
    digests = [image["manifest"], image["config"], image["layer"], image["referrer"]]
    with open(f"{args.out}/v1.toml", "w") as out:
        out.write(f"""# Generated by scripts/schemathesis/fixtures.py for one run; see run.sh.
[dictionaries]
tenant = {{ values = {toml_list([tenant["id"], "fuzz"])} }}
project = {{ values = {toml_list([pid])} }}
account = {{ values = {toml_list([scratch_sa["id"], tenant_sa["id"], "scratch", "tenant-scratch"])} }}
key = {{ values = {toml_list([k["info"]["id"] for k in scratch_keys] + [signing_key["id"]])} }}
app = {{ values = {toml_list([app["name"]])} }}
digest = {{ values = {toml_list(digests)} }}
kind = {{ values = ["product", "scope", "usage-unit", "audit-action", "notification-template", "evidence-type", "artifact-type", "policy", "gpu-model"] }}
role = {{ values = ["developer", "viewer", "project-admin", "tenant-admin"] }}
scope = {{ values = ["apps:catalog:read", "apps:instance:read", "artifacts:repository:pull", "iam:key:read"] }}
serviceaccount = {{ values = {toml_list([scratch_sa["id"]])} }}
instance = {{ values = {toml_list([instance or "no-instance"])} }}
session = {{ values = {toml_list([session or "no-session"])} }}

[parameters]
"path.tenant" = {{ dictionary = "tenant", probability = {p} }}
"path.project" = {{ dictionary = "project", probability = {p} }}
"path.account" = {{ dictionary = "account", probability = {p} }}
"path.key" = {{ dictionary = "key", probability = {p} }}
"path.app" = {{ dictionary = "app", probability = {p} }}
"path.digest" = {{ dictionary = "digest", probability = {p} }}
"path.kind" = {{ dictionary = "kind", probability = {p} }}
"body.role" = {{ dictionary = "role", probability = {p} }}
"body.serviceAccount" = {{ dictionary = "serviceaccount", probability = {p} }}
"body.scopes[*]" = {{ dictionary = "scope", probability = {p} }}
"body.app" = {{ dictionary = "app", probability = 0.5 }}
"path.instance" = {{ dictionary = "instance", probability = {p} }}
"query.instance" = {{ dictionary = "instance", probability = 0.5 }}
"path.session" = {{ dictionary = "session", probability = {p} }}

[cache]
enabled = false
""")
    with open(f"{args.out}/v2.toml", "w") as out:
        out.write(f"""# Generated by scripts/schemathesis/fixtures.py for one run; see run.sh.
[dictionaries]
namespace = {{ values = {toml_list([namespace])} }}
repository = {{ values = ["fuzz", "scratch"] }}
digest = {{ values = {toml_list(digests)} }}
reference = {{ values = {toml_list(["v1", image["manifest"], image["referrer"]])} }}
artifactType = {{ values = ["application/vnd.example.sbom.v1+json"] }}
from = {{ values = {toml_list([f"{namespace}/fuzz", f"{namespace}/scratch"])} }}

[parameters]
"path.namespace" = {{ dictionary = "namespace", probability = 0.9 }}
"path.repository" = {{ dictionary = "repository", probability = {p} }}
"path.digest" = {{ dictionary = "digest", probability = {p} }}
"path.reference" = {{ dictionary = "reference", probability = {p} }}
"query.digest" = {{ dictionary = "digest", probability = 0.5 }}
"query.mount" = {{ dictionary = "digest", probability = {p} }}
"query.from" = {{ dictionary = "from", probability = {p} }}
"query.artifactType" = {{ dictionary = "artifactType", probability = 0.5 }}

[cache]
enabled = false
""")
    print(json.dumps({k: v for k, v in fixtures.items() if k != "registryKey"}))


if __name__ == "__main__":
    main()
