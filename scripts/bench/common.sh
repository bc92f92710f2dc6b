# Sourced by scripts/bench-instances.sh and scripts/bench-connect.sh (from the checkout root):
# which binaries to measure, the tools they need, a platformd with a tenant, a project and
# gpu-echo published, and the cleanup of what the local adapter leaves running.
# The caller sets BENCH_NAME and WORK.

# PLATFORMD_BIN (default: the release build when it is newer than the debug one) and APPCTL_BIN.
bench_binaries() {
  if [ -z "${PLATFORMD_BIN:-}" ]; then
    PLATFORMD_BIN=.build/debug/platformd
    [ .build-release/release/platformd -nt "$PLATFORMD_BIN" ] && PLATFORMD_BIN=.build-release/release/platformd
  fi
  APPCTL_BIN=${APPCTL_BIN:-.build/debug/appctl}
  for tool in "$PLATFORMD_BIN" "$APPCTL_BIN"; do
    [ -x "$tool" ] || { echo "$BENCH_NAME: $tool is missing (swift build first)" >&2; exit 1; }
  done
}

# Exits unless every named tool is on PATH.
bench_require() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$BENCH_NAME: $tool is missing (run scripts/install-deps.sh)" >&2; exit 1; }
  done
}

# Containers outlive platformd by design; a stop still inside its grace period dies with the
# server, so kill what is left (KILL: an app that is PID 1 may ignore TERM).
bench_kill_containers() {
  for id in $(runc --root "$WORK/data/runtime/local/runc-state" list -q 2>/dev/null); do
    runc --root "$WORK/data/runtime/local/runc-state" kill --all "$id" KILL 2>/dev/null || true
  done
}

# Starts PLATFORMD_BIN on a free port with the extra arguments given; sets SERVER_PID, BASE
# and TOKEN (the bootstrap admin's key) once /readyz answers.
bench_start_platformd() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  echo "==> starting $PLATFORMD_BIN on 127.0.0.1:$port" >&2
  "$PLATFORMD_BIN" serve --data-dir "$WORK/data" --listen "127.0.0.1:$port" --log-level warning "$@" >"$WORK/platformd.log" 2>&1 &
  SERVER_PID=$!
  BASE="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -sf "$BASE/readyz" >/dev/null && break; sleep 0.1; done
  TOKEN=$(cat "$WORK/data/bootstrap-admin.key")
}

# Creates tenant and project `bench` and publishes examples/gpu-echo into it (publish.sh
# arguments, e.g. --to staging, pass through); sets PROJECT.
bench_publish() {
  local tenant
  tenant=$(curl -sf -H "Authorization: Bearer $TOKEN" -d '{"name":"bench"}' "$BASE/v1/tenants" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  PROJECT=$(curl -sf -H "Authorization: Bearer $TOKEN" -d '{"name":"bench"}' "$BASE/v1/tenants/$tenant/projects" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  echo "==> publishing examples/gpu-echo in $PROJECT" >&2
  APPCTL=$APPCTL_BIN APPCTL_SERVER=$BASE APPCTL_TOKEN=$TOKEN HOME=$WORK APPCTL_CONFIG=$WORK/appctl.yaml \
    bash examples/gpu-echo/publish.sh --project "$PROJECT" --key "$WORK/signing.pem" "$@" >"$WORK/publish.log" 2>&1 \
    || { tail -20 "$WORK/publish.log" >&2; exit 1; }
}
