"""The Python SDK's first call (shown on the portal's Python SDK page, run by the docs tests):
authenticate with a key and ask the platform who you are.
PLATFORM_SERVER: the platform's URL; PLATFORM_KEY_FILE: a file holding an API key."""
import os
from pathlib import Path

from platform_client import AuthenticatedClient
from platform_client.api.iam import whoami

server = os.environ.get("PLATFORM_SERVER", "http://127.0.0.1:8080")
key = Path(os.environ.get("PLATFORM_KEY_FILE", "key")).read_text().strip()

with AuthenticatedClient(base_url=server, token=key) as client:
    me = whoami.sync(client=client)
    print(f"{me.principal_name} ({me.principal_kind}) with {len(me.scopes)} scopes")
