#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine (as root) lacks to build and test the platform.
# Swift 6.3 itself is not an apt package: it is expected at /opt/swift or on PATH.
set -euo pipefail

need_apt=()
for pkg in ca-certificates curl postgresql-15 util-linux; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "==> apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need_apt[@]}"
fi

# The OpenAPI document is checked with the reference validator (PyPI) before the tests.
if ! python3 -c "import openapi_spec_validator" >/dev/null 2>&1; then
  echo "==> pip install openapi-spec-validator"
  python3 -m pip install -q openapi-spec-validator || python3 -m pip install -q --break-system-packages openapi-spec-validator
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "==> using Swift from /opt/swift/usr/bin"
  else
    echo "error: Swift 6.3 is required (swift not on PATH and not in /opt/swift)." >&2
    echo "       Install a Swift 6.3 toolchain for Debian 12 from swift.org and put it on PATH." >&2
    exit 1
  fi
fi
