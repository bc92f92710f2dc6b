"""schemathesis hooks (run.sh loads them: SCHEMATHESIS_HOOKS=schemathesis_hooks).

- Destructive calls may target anything the fuzzer created and the sacrificial fixtures, but
  not what the run itself stands on: the keys it authenticates with, their service accounts,
  the running instance (stop, delete), and the `fuzz` repository of the /v2 run (its twin `scratch` takes the deletes). Such a call
  is still sent, with the protected value swapped for a harmless one (a 404, or a delete in
  `scratch`), so the route is exercised without pulling the fixtures from under the run.
- Path parameters arrive percent-encoded (a digest's `:` as `%3A`); `/v2` decodes each path
  segment as distribution does, so they are sent as generated.
"""
import json
import os
from urllib.parse import unquote

import schemathesis

_FIXTURES = json.load(open(os.environ["SCHEMATHESIS_FIXTURES"])) if os.environ.get("SCHEMATHESIS_FIXTURES") else {}
_PROTECTED = {str(value).lower() for value in _FIXTURES.get("protected", [])}
_REPOSITORY = _FIXTURES.get("protectedRepository")


def _destructive(case):
    method = case.method.upper()
    return method in ("DELETE", "PATCH", "PUT") or (method == "POST" and case.path.endswith(("/revoke", "/rotate", "/stop")))


@schemathesis.hook
def before_call(context, case, kwargs):
    if not case.path_parameters:
        return
    if not _destructive(case):
        return
    for name, value in list(case.path_parameters.items()):
        if unquote(str(value)).lower() in _PROTECTED:
            case.path_parameters[name] = "protected-fixture"
    if _REPOSITORY and case.path.startswith("/v2/") and case.method.upper() == "DELETE" \
            and case.path_parameters.get("repository") == _REPOSITORY:
        case.path_parameters["repository"] = "scratch"
