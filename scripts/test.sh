#!/usr/bin/env bash
# The test command: installs what is missing, builds everything and runs the whole suite
# (SQLite and a real PostgreSQL 15 that the tests start themselves as the postgres user).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"

bash scripts/install-deps.sh

echo "==> openapi-spec-validator manifests/api/openapi.json (the drift check is a test in the suite)"
python3 -m openapi_spec_validator manifests/api/openapi.json

echo "==> swift test (builds everything, then runs every suite)"
exec swift test "$@"
