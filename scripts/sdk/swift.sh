#!/usr/bin/env bash
# scripts/sdk/swift.sh smoke
#
# The Swift SDK is the PlatformClient library product (Sources/PlatformClient over the typed
# endpoints of Sources/PlatformAPI); appctl makes every /v1 call through it. Being compiled
# against the same endpoint table as the server, it cannot drift from it: a changed path or
# type breaks the build. What is left to check is that it works against a live server:
#   smoke     run examples/swift/Onboarding (the `swift-sdk-onboarding` executable) against a
#             fresh platformd: authenticate, tenant and project, service account and key, then
#             as that key register gpu-echo and list the catalog, launch it after
#             examples/gpu-echo/publish.sh put its artifact at staging, wait ready, read its
#             events, stop it (needs `swift build`: platformd, appctl, swift-sdk-onboarding;
#             launching needs runc and umoci, else the program stops after the catalog and says so)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"

mode="${1:-smoke}"
case "$mode" in
  smoke)
    BIN="${PLATFORMD_BIN_DIR:-$(swift build --show-bin-path)}"
    [ -x "$BIN/platformd" ] || { echo "error: $BIN/platformd is missing; run swift build first" >&2; exit 1; }
    if [ ! -x "$BIN/swift-sdk-onboarding" ]; then
      echo "==> swift build --product swift-sdk-onboarding"
      timeout 600 swift build --product swift-sdk-onboarding
    fi
    WORK="${SDK_SMOKE_WORK:-$(mktemp -d /tmp/sdk-swift-smoke.XXXXXX)}"
    mkdir -p "$WORK/data"
    PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    SERVER="http://127.0.0.1:$PORT"
    "$BIN/platformd" serve --data-dir "$WORK/data" --listen "127.0.0.1:$PORT" --log-level warning >"$WORK/platformd.log" 2>&1 &
    PID=$!
    stop_server() {
      # An instance the smoke left running (it failed before its stop step) runs under runc
      # beside platformd: stop it through the API first (the example names it in $WORK/instance).
      if [ -s "$WORK/instance" ] && [ ! -e "$WORK/instance.stopped" ]; then
        timeout 10 curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $(cat "$WORK/data/bootstrap-admin.key")" \
          "$SERVER/v1/projects/$(cat "$WORK/instance")/stop" || true
        sleep 2
      fi
      kill -INT "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true
    }
    trap stop_server EXIT
    trap 'exit 143' TERM INT
    # Ready when it answers and has written its bootstrap key, and is still running: the port
    # was free when chosen, but another server may have taken it since (then ours exits).
    for _ in $(seq 1 200); do
      kill -0 "$PID" 2>/dev/null || { echo "platformd exited early:" >&2; tail -20 "$WORK/platformd.log" >&2; exit 1; }
      [ -s "$WORK/data/bootstrap-admin.key" ] && curl -fsS "$SERVER/livez" >/dev/null 2>&1 && break
      sleep 0.1
    done
    sleep 0.2
    kill -0 "$PID" 2>/dev/null || { echo "platformd exited early:" >&2; tail -20 "$WORK/platformd.log" >&2; exit 1; }
    launch=()
    # Launching needs the gpu-echo artifact published (appctl, umoci) and runc to run it.
    if [ -x "$BIN/appctl" ] && command -v runc >/dev/null 2>&1 && command -v umoci >/dev/null 2>&1; then
      launch=(--appctl "$BIN/appctl")
    fi
    echo "==> examples/swift/Onboarding (swift-sdk-onboarding) on $SERVER (work folder $WORK)"
    rc=0
    # Every step bounds itself (15 s; publish 75 s; each wait 35 s); this bounds the whole.
    timeout 150 "$BIN/swift-sdk-onboarding" --server "$SERVER" --admin-key-file "$WORK/data/bootstrap-admin.key" \
      --work "$WORK" --root "$PWD" ${launch[@]+"${launch[@]}"} || rc=$?
    if [ "$rc" -ne 0 ]; then
      echo "error: the Swift SDK smoke failed (exit $rc); platformd log: $WORK/platformd.log" >&2
      tail -20 "$WORK/platformd.log" >&2
      exit "$rc"
    fi
    [ -n "${SDK_SMOKE_WORK:-}" ] || { stop_server; trap - EXIT; rm -rf "$WORK"; }
    ;;
  *)
    echo "usage: scripts/sdk/swift.sh smoke" >&2; exit 2 ;;
esac
