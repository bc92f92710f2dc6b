#!/usr/bin/env bash
# smoke.sh ROOTFS MANIFEST DIGEST TAG READY_MINUTES WORKDIR
#
# gpu-echo's own smoke test, run by examples/publish.sh instead of its generic readiness smoke
# (examples/publish-smoke.py) because this app has more to prove than readiness: it runs the
# manifest's command in a bubblewrap sandbox of the unpacked image, waits for /healthz, checks
# /cgi-bin/gpus, the live (WebSocket echo) and echo (raw TCP) endpoints, and that SIGTERM stops
# it with status 0. Prints the ready-within evidence (JSON) on stdout; exits non-zero when a
# check fails. Progress and failures go to stderr.
set -euo pipefail
[ $# -eq 6 ] || { echo "usage: smoke.sh ROOTFS MANIFEST DIGEST TAG READY_MINUTES WORKDIR" >&2; exit 2; }
rootfs=$1 manifest=$2 digest=$3 tag=$4 ready_minutes=$5 work=$6
say()  { printf 'gpu-echo smoke: %s\n' "$*" >&2; }
die()  { printf 'gpu-echo smoke: error: %s\n' "$*" >&2; exit 1; }
command -v bwrap >/dev/null 2>&1 || die "bwrap not found (apt-get install bubblewrap), or pass --ready-report FILE to publish.sh"
smoke_pid=""
cleanup() { if [ -n "$smoke_pid" ]; then kill "$smoke_pid" 2>/dev/null || true; wait "$smoke_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT
  # A free loopback port per endpoint, passed as PORT_<ENDPOINT> the way the platform does.
  read -r port port_live port_echo port_ssh < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(4)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])') || die "cannot pick free ports"
  # The manifest's command; ${ports.NAME}, should it use any, replaced like the platform does.
  python3 - "$manifest" "http=$port" "live=$port_live" "echo=$port_echo" "ssh=$port_ssh" >"$work/command" <<'PY' \
    || die "cannot read the command from $manifest"
import json, re, sys
text = open(sys.argv[1]).read()
ports = dict(a.split("=", 1) for a in sys.argv[2:])
m = re.search(r'^command:\s*(\[.*\])\s*$', text, re.M)
if not m:
    sys.exit("no one-line `command: [...]` in the manifest")
args = [re.sub(r"\$\{ports\.([a-z0-9-]+)\}", lambda p: ports.get(p.group(1), p.group(0)), a) for a in json.loads(m.group(1))]
left = [a for a in args if "${" in a]
if left:
    sys.exit(f"unsupported substitution left in the command: {left}")
print("\n".join(args))
PY
  mapfile -t command <"$work/command"
  smoke_instance="publish-smoke-$(date -u +%Y%m%dT%H%M%SZ)"
  userns=()
  [ "$(id -u)" -eq 0 ] || userns=(--unshare-user-try)
  started_ns=$(date +%s%N)
  # Like the platform's adapters: read-only root, tmpfs /tmp and /run, host network.
  # No PLATFORM_SSH_USER_CA: /bin/start leaves sshd off.
  bwrap "${userns[@]}" --json-status-fd 3 --ro-bind "$rootfs" / --proc /proc --dev /dev --tmpfs /tmp --tmpfs /run \
    --unshare-pid --unshare-ipc --unshare-uts --hostname gpu-echo-smoke --die-with-parent \
    --clearenv --setenv PATH /bin:/usr/bin:/usr/sbin --setenv CUDA_VISIBLE_DEVICES 0,1 \
    --setenv NVIDIA_VISIBLE_DEVICES GPU-smoke-0,GPU-smoke-1 --setenv PLATFORM_INSTANCE_ID "$smoke_instance" \
    --setenv PORT_HTTP "$port" --setenv PORT_LIVE "$port_live" --setenv PORT_ECHO "$port_echo" \
    --setenv PORT_SSH "$port_ssh" \
    -- "${command[@]}" >"$work/httpd.log" 2>&1 3>"$work/bwrap-status.json" &
  smoke_pid=$!
  deadline=$(( $(date +%s) + ready_minutes * 60 ))
  ready_ms=""
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if ! kill -0 "$smoke_pid" 2>/dev/null; then
      cat "$work/httpd.log" >&2; die "the server exited during the smoke test"
    fi
    if [ "$(curl -s -o "$work/healthz" -w '%{http_code}' "http://127.0.0.1:$port/healthz" || true)" = 200 ]; then
      ready_ms=$(( ($(date +%s%N) - started_ns) / 1000000 )); break
    fi
    sleep 0.1
  done
  [ -n "$ready_ms" ] || { cat "$work/httpd.log" >&2; die "/healthz did not answer 200 within ${ready_minutes} min"; }
  curl -sf "http://127.0.0.1:$port/cgi-bin/gpus" >"$work/gpus.json" \
    || { cat "$work/httpd.log" >&2; die "GET /cgi-bin/gpus failed"; }
  # Endpoint live (the WebSocket echo server answers a plain GET) and endpoint echo (raw TCP).
  live_code=$(curl -s -o "$work/live.txt" -w '%{http_code}' "http://127.0.0.1:$port_live/" || true)
  python3 - "$port_echo" >"$work/tcp-echo.json" <<'PY' || true
import json, os, socket, sys, threading
data = os.urandom(256 * 1024)
got, error = bytearray(), None
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
    def send():
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
    t = threading.Thread(target=send, daemon=True)
    t.start()
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
    t.join(10)
    s.close()
except OSError as e:
    error = str(e)
print(json.dumps({"sent": len(data), "received": len(got), "equal": bytes(got) == data, "error": error}))
PY
  # Stop it the way the platform does: SIGTERM to the app (inside the sandbox: the child of
  # bwrap's init, whose host pid --json-status-fd gives), then it must exit 0 promptly.
  sandbox_pid=$(sed -n 's/.*"child-pid": *\([0-9]*\).*/\1/p' "$work/bwrap-status.json" | head -n 1)
  app_pid=""
  [ -z "$sandbox_pid" ] || app_pid=$(cat /proc/"$sandbox_pid"/task/*/children 2>/dev/null | awk '{print $1; exit}')
  stop_ms=-1 stop_status=-1
  if [ -n "$app_pid" ]; then
    stop_started=$(date +%s%N)
    kill -TERM "$app_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$smoke_pid" 2>/dev/null || break; sleep 0.05; done
    if ! kill -0 "$smoke_pid" 2>/dev/null; then
      stop_status=0; wait "$smoke_pid" || stop_status=$?
      stop_ms=$(( ($(date +%s%N) - stop_started) / 1000000 )); smoke_pid=""
    fi
  fi
  if [ -n "$smoke_pid" ]; then kill "$smoke_pid" 2>/dev/null || true; wait "$smoke_pid" 2>/dev/null || true; smoke_pid=""; fi
  python3 - "$work/gpus.json" "$work/healthz" "$smoke_instance" "$ready_ms" "$ready_minutes" "$digest" "$tag" \
    "$(hostname 2>/dev/null || echo unknown)" "$live_code" "$work/live.txt" "$work/tcp-echo.json" "$stop_status" "$stop_ms" \
    >"$work/ready-within.json" <<'PY' || { cat "$work/httpd.log" >&2; die "the smoke test failed"; }
import json, sys, datetime
gpus_file, health_file, instance, ready_ms, minutes, digest, tag, host = sys.argv[1:9]
live_code, live_file, tcp_file, stop_status, stop_ms = sys.argv[9:]
try:
    gpus = json.load(open(gpus_file))
except ValueError as e:
    sys.exit(f"/cgi-bin/gpus is not JSON: {e}: {open(gpus_file).read()!r}")
try:
    live_body = open(live_file, errors="replace").read()
except OSError:
    live_body = ""
try:
    tcp = json.load(open(tcp_file))
except (OSError, ValueError):
    tcp = {"error": "no result"}
checks = [
    {"name": "GET /healthz answers 200 ok", "passed": open(health_file).read().strip() == "ok"},
    {"name": "GET /cgi-bin/gpus reports the devices it was given",
     "passed": gpus.get("app") == "gpu-echo" and gpus.get("cuda_visible_devices") == "0,1"
               and gpus.get("nvidia_visible_devices") == "GPU-smoke-0,GPU-smoke-1"
               and gpus.get("instance") == instance,
     "response": gpus},
    {"name": "GET / on endpoint live (WebSocket echo server) answers 200",
     "passed": live_code == "200" and live_body.startswith("echo-server:"),
     "response": live_body.strip()},
    {"name": "endpoint echo returns every byte sent (raw TCP echo, 256 KiB)",
     "passed": tcp.get("equal") is True, "response": tcp},
    {"name": "SIGTERM stops the app with status 0 within 5 s",
     "passed": stop_status == "0" and 0 <= int(stop_ms) <= 5000,
     "response": {"exitStatus": int(stop_status), "stoppedAfterMs": int(stop_ms)}},
]
ready_s = int(ready_ms) / 1000
report = {
    "app": "gpu-echo", "version": tag, "subject": digest,
    "test": "examples/gpu-echo/publish.sh smoke test",
    "environment": "local bubblewrap sandbox of the image's rootfs, host network (not a platform instance)",
    "host": host,
    "probe": {"endpoint": "http", "path": "/healthz"},
    "readyWithinMinutes": int(minutes),
    "observedReadySeconds": ready_s,
    "ready": ready_s <= int(minutes) * 60,
    "checks": checks,
    "passed": all(c["passed"] for c in checks) and ready_s <= int(minutes) * 60,
    "finishedAt": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
}
print(json.dumps(report, indent=2))
if not report["passed"]:
    print(json.dumps(report, indent=2), file=sys.stderr)
    sys.exit("smoke test checks failed")
PY
  say "ready after ${ready_ms} ms; /cgi-bin/gpus: $(cat "$work/gpus.json"); live, echo answered; stopped on TERM in ${stop_ms} ms"
cat "$work/ready-within.json"
