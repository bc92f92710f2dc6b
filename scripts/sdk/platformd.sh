# Sourced by scripts/sdk/python.sh and scripts/sdk/swift.sh: a fresh platformd for an SDK
# smoke. After `start_platformd BIN WORK`: SERVER (http://127.0.0.1:PORT), PID, and an EXIT
# trap that stops an instance the smoke left running (named in WORK/instance) and then
# platformd. Ready means: it answers /livez, wrote its bootstrap key and still runs — the port
# was free when chosen, but another server may take it first (then ours exits, and /livez
# alone would be answered by the other one).
start_platformd() {
  local bin=$1
  SMOKE_WORK=$2
  mkdir -p "$SMOKE_WORK/data"
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  SERVER="http://127.0.0.1:$port"
  "$bin/platformd" serve --data-dir "$SMOKE_WORK/data" --listen "127.0.0.1:$port" --log-level warning \
    >"$SMOKE_WORK/platformd.log" 2>&1 &
  PID=$!
  trap stop_platformd EXIT
  trap 'exit 143' TERM INT
  for _ in $(seq 1 200); do
    platformd_running || exit 1
    [ -s "$SMOKE_WORK/data/bootstrap-admin.key" ] && curl -fsS "$SERVER/livez" >/dev/null 2>&1 && break
    sleep 0.1
  done
  sleep 0.2
  platformd_running || exit 1
}

platformd_running() {
  kill -0 "$PID" 2>/dev/null && return 0
  echo "platformd exited early:" >&2; tail -20 "$SMOKE_WORK/platformd.log" >&2
  return 1
}

stop_platformd() {
  # An instance the smoke left running (it failed before its stop step) runs under runc beside
  # platformd: stop it through the API first.
  if [ -s "$SMOKE_WORK/instance" ] && [ ! -e "$SMOKE_WORK/instance.stopped" ]; then
    timeout 10 curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $(cat "$SMOKE_WORK/data/bootstrap-admin.key")" \
      "$SERVER/v1/projects/$(cat "$SMOKE_WORK/instance")/stop" || true
    sleep 2
  fi
  kill -INT "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true
}

# finish_smoke NAME RC: reports a failure with the server's log, or cleans up after a pass
# (the work folder stays when the caller chose it with SDK_SMOKE_WORK).
finish_smoke() {
  if [ "$2" -ne 0 ]; then
    echo "error: the $1 smoke failed (exit $2); platformd log: $SMOKE_WORK/platformd.log" >&2
    tail -20 "$SMOKE_WORK/platformd.log" >&2
    exit "$2"
  fi
  [ -n "${SDK_SMOKE_WORK:-}" ] || { stop_platformd; trap - EXIT; rm -rf "$SMOKE_WORK"; }
}
