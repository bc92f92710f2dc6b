#!/usr/bin/env bash
# scripts/asyncapi/validate.sh [DOCUMENT]   (default: manifests/api/asyncapi.json)
#
# Validates the AsyncAPI 3.0 document with a real AsyncAPI validator: the `asyncapi3`
# object model from PyPI (pydantic models of AsyncAPI 3.0) plus what it leaves unchecked
# (local references, operation/channel/message links, address parameters) and jsonschema's
# Draft 7 meta-schema check of every payload schema, with each example validated against
# its payload (scripts/asyncapi/validate.py). It then proves it rejects broken copies of the
# document (action `publish`, a missing channel, a bad schema, a bad example). Exit 1 on
# any error. The tools live in a virtual environment (ASYNCAPI_VENV, default
# ~/.cache/platform/asyncapi-<version>), created from the pins in requirements.txt on first
# use; it needs python3 with venv (scripts/install-deps.sh installs python3-venv).
set -euo pipefail
cd "$(dirname "$0")/../.."

ASYNCAPI3_VERSION=0.0.2
REQUIREMENTS=scripts/asyncapi/requirements.txt
DOCUMENT="${1:-manifests/api/asyncapi.json}"
STAMP=$(sha256sum "$REQUIREMENTS" | cut -c1-12)
VENV="${ASYNCAPI_VENV:-${HOME:-/root}/.cache/platform/asyncapi-$ASYNCAPI3_VERSION-$STAMP}"

if ! "$VENV/bin/python" -c "import asyncapi3, jsonschema" 2>/dev/null; then
  echo "==> python3 -m venv $VENV; pip install -r $REQUIREMENTS (asyncapi3==$ASYNCAPI3_VERSION)"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQUIREMENTS"
fi
[ -f "$DOCUMENT" ] || { echo "error: $DOCUMENT is missing (UPDATE_GOLDEN=1 swift test --filter AsyncAPIGoldenTests writes it)" >&2; exit 1; }
echo "==> AsyncAPI: validate $DOCUMENT (asyncapi3 $ASYNCAPI3_VERSION, jsonschema Draft 7), then the self-check on broken copies"
exec "$VENV/bin/python" scripts/asyncapi/validate.py "$DOCUMENT"
