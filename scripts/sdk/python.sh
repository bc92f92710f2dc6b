#!/usr/bin/env bash
# scripts/sdk/python.sh generate|generate-into DIR|install|check|smoke
#
# The Python SDK (sdk/python/platform-client, package `platform_client`) is generated from
# manifests/api/openapi.json by openapi-python-client, pinned below together with the ruff
# that formats its output (a different ruff may format differently, which would read as drift).
#   generate  regenerate sdk/python/platform-client in place (commit the result)
#   generate-into DIR  regenerate into DIR/platform-client only (what appctl contract check compares)
#   install   install the committed SDK into the venv and print the venv's python (docs tests)
#   check     regenerate into a temporary folder and diff it against sdk/python/platform-client;
#             exit 1 on any difference or generator warning (the SDK drift gate)
#   smoke     install the committed SDK and run examples/python/onboarding.py against a fresh
#             platformd (needs `swift build`: platformd and appctl)
# The tools live in a virtual environment (SDK_PYTHON_VENV, default
# ~/.cache/platform/sdk-python-<version>), created on first use from PyPI.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
# shellcheck source=scripts/sdk/platformd.sh
. scripts/sdk/platformd.sh

GENERATOR_VERSION=0.29.1
RUFF_VERSION=0.17.6
SPEC=manifests/api/openapi.json
CONFIG=sdk/python/config.yaml
TARGET=sdk/python/platform-client
VENV="${SDK_PYTHON_VENV:-${HOME:-/root}/.cache/platform/sdk-python-$GENERATOR_VERSION-ruff-$RUFF_VERSION}"

ensure_venv() {
  if ! "$VENV/bin/openapi-python-client" --version 2>/dev/null | grep -q "$GENERATOR_VERSION" ||
     ! "$VENV/bin/ruff" --version 2>/dev/null | grep -q "$RUFF_VERSION"; then
    echo "==> python3 -m venv $VENV; pip install openapi-python-client==$GENERATOR_VERSION ruff==$RUFF_VERSION"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
      "openapi-python-client==$GENERATOR_VERSION" "ruff==$RUFF_VERSION"
  fi
}

# generate_into DIR: the generated project lands in DIR/platform-client.
generate_into() {
  local out=$1/platform-client log=$1/generator.log
  # The generator's post hooks call `ruff` from PATH: the venv's pinned one.
  if ! PATH="$VENV/bin:$PATH" RUFF_NO_CACHE=true "$VENV/bin/openapi-python-client" generate \
      --path "$SPEC" --config "$CONFIG" --meta setup --output-path "$out" --overwrite --fail-on-warning >"$log" 2>&1; then
    cat "$log" >&2
    echo "error: openapi-python-client $GENERATOR_VERSION failed or warned on $SPEC (fix the document at its source, Sources/PlatformAPI)" >&2
    return 1
  fi
  if grep -qi "warning" "$log"; then
    cat "$log" >&2; echo "error: openapi-python-client warned on $SPEC" >&2; return 1
  fi
  rm -rf "$out/.ruff_cache"
}

mode="${1:-check}"
case "$mode" in
  generate)
    ensure_venv
    tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
    generate_into "$tmp"
    rm -rf "$TARGET"; cp -R "$tmp/platform-client" "$TARGET"
    echo "==> regenerated $TARGET from $SPEC (openapi-python-client $GENERATOR_VERSION, ruff $RUFF_VERSION)"
    ;;
  generate-into)
    # Regenerate into DIR/platform-client, leaving the committed SDK alone (appctl contract
    # check compares that tree with sdk/python/platform-client by digest).
    [ $# -ge 2 ] || { echo "usage: scripts/sdk/python.sh generate-into DIR" >&2; exit 2; }
    ensure_venv
    mkdir -p "$2"
    generate_into "$(cd "$2" && pwd)"
    ;;
  install)
    # Install the committed SDK into the venv (from a copy: setuptools builds in place) and print
    # the venv's python as the last line: the docs tests run the SDK page's snippet with it.
    ensure_venv >&2
    tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
    cp -R "$TARGET" "$tmp/sdk"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$tmp/sdk" >&2
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$tmp/sdk" >&2
    echo "$VENV/bin/python"
    ;;
  check)
    ensure_venv
    tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
    echo "==> Python SDK drift check: regenerate $TARGET from $SPEC and diff"
    generate_into "$tmp"
    # Byte products of using the SDK in place (caches, builds) are not drift.
    if ! diff -ru -x __pycache__ -x '*.egg-info' -x build -x dist -x .ruff_cache "$TARGET" "$tmp/platform-client" >"$tmp/diff.txt"; then
      head -80 "$tmp/diff.txt" >&2
      echo "error: $TARGET is stale: it differs from what $SPEC generates ($(grep -c '^[-+][^-+]' "$tmp/diff.txt" || true) changed lines;" \
        "first 80 diff lines above). Run: bash scripts/sdk/python.sh generate, and commit $TARGET." >&2
      exit 1
    fi
    echo "    $TARGET is up to date ($(find "$TARGET" -type f | wc -l) files)"
    ;;
  smoke)
    ensure_venv
    BIN="${PLATFORMD_BIN_DIR:-$(swift build --show-bin-path)}"
    [ -x "$BIN/platformd" ] || { echo "error: $BIN/platformd is missing; run swift build first" >&2; exit 1; }
    WORK="${SDK_SMOKE_WORK:-$(mktemp -d /tmp/sdk-python-smoke.XXXXXX)}"
    # Installed from a copy: setuptools leaves build/ and *.egg-info beside the sources.
    echo "==> pip install $TARGET (into $VENV)"
    rm -rf "$WORK/sdk"; cp -R "$TARGET" "$WORK/sdk"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$WORK/sdk"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$WORK/sdk"
    start_platformd "$BIN" "$WORK"
    launch=()
    # Launching needs the gpu-echo artifact published (appctl, umoci) and runc to run it.
    if [ -x "$BIN/appctl" ] && command -v runc >/dev/null 2>&1 && command -v umoci >/dev/null 2>&1; then
      launch=(--appctl "$BIN/appctl")
    fi
    echo "==> examples/python/onboarding.py on $SERVER (work folder $WORK)"
    rc=0
    timeout 100 "$VENV/bin/python" examples/python/onboarding.py --server "$SERVER" \
      --admin-key-file "$WORK/data/bootstrap-admin.key" --work "$WORK" ${launch[@]+"${launch[@]}"} || rc=$?
    finish_smoke "Python SDK" "$rc"
    ;;
  *)
    echo "usage: scripts/sdk/python.sh generate|generate-into DIR|install|check|smoke" >&2; exit 2 ;;
esac
