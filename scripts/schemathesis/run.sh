#!/usr/bin/env bash
# Bounded schemathesis run against a fresh platformd: the /v1 API from the server's own
# /openapi.json, then the OCI Distribution API (/v2) from manifests/api/oci-distribution.json.
# Phases examples, coverage, fuzzing and stateful (OpenAPI links); the gate is the check
# not_a_server_error: any 5xx, or the server dying or hanging (a network error), fails the
# run. Exit status: 0 when both runs are clean, 1 otherwise.
#
# Needs the build products (swift build: platformd) and `schemathesis` 4.x (install-deps.sh).
# Environment:
#   PLATFORMD_BIN_DIR           where platformd is (default: `swift build --show-bin-path`)
#   SCHEMATHESIS_MAX_TIME_V1/V2 seconds per run (default 90 / 60; the whole step ~3 min)
#   SCHEMATHESIS_SEED           the seed (default 1: the same cases every CI run)
#   SCHEMATHESIS_CHECKS         checks (default not_a_server_error; e.g. `all` to look further)
#   SCHEMATHESIS_WORK           folder for the server's data, configs, reports and the server
#                               log (default: a temporary folder, kept when a run fails)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"

BIN="${PLATFORMD_BIN_DIR:-$(swift build --show-bin-path)}"
MAX_TIME_V1="${SCHEMATHESIS_MAX_TIME_V1:-90}"
MAX_TIME_V2="${SCHEMATHESIS_MAX_TIME_V2:-60}"
SEED="${SCHEMATHESIS_SEED:-1}"
CHECKS="${SCHEMATHESIS_CHECKS:-not_a_server_error}"
WORK="${SCHEMATHESIS_WORK:-$(mktemp -d /tmp/schemathesis.XXXXXX)}"
mkdir -p "$WORK/data" "$WORK/reports"

[ -x "$BIN/platformd" ] || { echo "error: $BIN/platformd is missing; run swift build first" >&2; exit 1; }
command -v schemathesis >/dev/null 2>&1 || { echo "error: schemathesis is not installed (scripts/install-deps.sh)" >&2; exit 1; }

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SERVER="http://127.0.0.1:$PORT"
"$BIN/platformd" serve --data-dir "$WORK/data" --listen "127.0.0.1:$PORT" --log-level warning >"$WORK/platformd.log" 2>&1 &
PID=$!
stop_server() {
  # The fixture instance runs under runc beside platformd: stop it through the API first.
  local instance
  instance=$(python3 -c 'import json, sys; f = json.load(open(sys.argv[1])); print(f["project"] + "/instances/" + f["instance"] if f.get("instance") else "")' \
    "$WORK/fixtures.json" 2>/dev/null || true)
  if [ -n "$instance" ]; then
    curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $(cat "$WORK/data/bootstrap-admin.key")" "$SERVER/v1/projects/$instance/stop" || true
    sleep 2
  fi
  kill -INT "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true
}
trap stop_server EXIT
for _ in $(seq 1 200); do
  curl -fsS "$SERVER/livez" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { echo "platformd exited early:" >&2; tail -20 "$WORK/platformd.log" >&2; exit 1; }
  sleep 0.1
done

echo "==> fixtures on $SERVER (tenant, project, accounts, keys, app, signing key, OCI image + referrer, gpu-echo instance)"
with_instance=()
# A running instance of examples/gpu-echo when this host can build and run it (runc, umoci).
if [ -x "$BIN/appctl" ] && command -v runc >/dev/null 2>&1 && command -v umoci >/dev/null 2>&1; then with_instance=(--appctl "$BIN/appctl"); fi
python3 scripts/schemathesis/fixtures.py --server "$SERVER" --admin-key-file "$WORK/data/bootstrap-admin.key" --out "$WORK" \
  ${with_instance[@]+"${with_instance[@]}"} >/dev/null
ADMIN_KEY=$(cat "$WORK/data/bootstrap-admin.key")
REGISTRY_KEY=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["registryKey"])' "$WORK/fixtures.json")
export SCHEMATHESIS_FIXTURES="$WORK/fixtures.json" SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH="$PWD/scripts/schemathesis${PYTHONPATH:+:$PYTHONPATH}"

status=0
summary=()
# run NAME CONFIG MAX_TIME SPEC [schemathesis options…]
run() {
  local name=$1 config=$2 max_time=$3 spec=$4 rc=0 start end cases
  shift 4
  local command=(schemathesis --config-file "$config" run "$spec" --checks "$CHECKS"
    --phases examples,coverage,fuzzing,stateful --max-time "$max_time" --workers 2 --request-timeout 10
    --seed "$SEED" --generation-database none --no-color --warnings off --report junit,har --report-dir "$WORK/reports/$name" "$@")
  echo "==> schemathesis ($name): ${command[*]}" | sed -e "s/$ADMIN_KEY/\$ADMIN_KEY/g" -e "s/$REGISTRY_KEY/\$REGISTRY_KEY/g"
  start=$(date +%s)
  "${command[@]}" >"$WORK/reports/$name.log" 2>&1 || rc=$?
  end=$(date +%s)
  sed -n '/=== SUMMARY ===/,$p' "$WORK/reports/$name.log"
  if ! kill -0 "$PID" 2>/dev/null; then
    echo "platformd died during the $name run:" >&2; tail -20 "$WORK/platformd.log" >&2; rc=1
  fi
  if [ "$rc" -ne 0 ]; then
    echo "--- $name: failures (full log $WORK/reports/$name.log)" >&2
    sed -n '/=== FAILURES ===/,/=== WARNINGS ===\|=== SUMMARY ===/p' "$WORK/reports/$name.log" | head -150 >&2
    status=1
  fi
  cases=$(grep -Eo '[0-9]+ generated' "$WORK/reports/$name.log" | tail -1 || true)
  summary+=("$name: exit $rc, ${cases:-? generated} cases, $((end - start)) s")
}

run v1 "$WORK/v1.toml" "$MAX_TIME_V1" "$SERVER/openapi.json" -H "Authorization: Bearer $ADMIN_KEY"
run v2 "$WORK/v2.toml" "$MAX_TIME_V2" manifests/api/oci-distribution.json --url "$SERVER" --auth "ci:$REGISTRY_KEY"

echo "==> schemathesis summary (checks: $CHECKS, seed $SEED; reports in $WORK/reports)"
printf '    %s\n' "${summary[@]}"
if [ "$status" -eq 0 ] && [ -z "${SCHEMATHESIS_WORK:-}" ]; then
  stop_server; trap - EXIT; rm -rf "$WORK"
fi
exit "$status"
