#!/usr/bin/env bash
# bench-connect.sh: benchmarks (not tests) of the connect data plane.
#
#   1. Proxy throughput and added latency: `wrk` against the instance's endpoint directly
#      and through platformd's proxy (/i/INSTANCE/ACTION/…, session bearer token), same run,
#      same connections and duration; prints req/s and p50/p99 of each and what the proxy
#      adds (goals: ≥ 3,000 req/s through the proxy on 2 cores, ≤ 2 ms added p99).
#      Two loads: --connections (throughput; the 2 cores saturated) and --latency-connections
#      (default 2: latency below saturation). The peer in the same run: HAProxy (Debian's,
#      `nbthread 1`, plain `mode http` reverse proxy, no authentication) in front of the same
#      endpoint, so the table says what a mature proxy costs on the same cores.
#   2. Session creation: wrk with CONCURRENCY connections POSTing
#      `/v1/projects/P/instances/I/connect` back to back for the same duration (one session
#      per request); prints sessions/s and p50/p99 (goal: p99 ≤ 5 ms at 50).
#
# It starts a platformd on SQLite (local adapter), a tenant and a project, publishes
# examples/gpu-echo, registers it again as 1.0.1 with 1 CPU instead of 0.1 and launches that
# once; the target is its `live` endpoint (the echo server's plain HTTP GET, keep-alive)
# unless --action/--path say otherwise.
#
# Usage: scripts/bench-connect.sh [--duration S] [--connections N] [--threads N]
#                                 [--latency-connections N] [--concurrency N] [--action A] [--path P]
# Environment: PLATFORMD_BIN (default .build-release/release/platformd when it is newer than
# .build/debug/platformd; build it with
# `swift build -c release --build-path .build-release --product platformd`), APPCTL_BIN
# (default .build/debug/appctl), BENCH_KEEP=1 keeps the folder, BENCH_PERF=1 records platformd
# with `perf record -F 499 -g` during the proxied throughput run and session creation and prints
# where the time went.
# Needs: wrk, haproxy, runc, umoci, curl, python3 (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=10
CONNECTIONS=32
THREADS=2
CONCURRENCY=50
LATENCY_CONNECTIONS=2
ACTION=live
URLPATH=/healthz
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --latency-connections) LATENCY_CONNECTIONS=$2; shift 2 ;;
    --action) ACTION=$2; shift 2 ;;
    --path) URLPATH=$2; shift 2 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "bench-connect: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
BENCH_NAME=bench-connect
. scripts/bench/common.sh
bench_binaries
bench_require wrk haproxy runc umoci curl python3

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-connect.XXXXXX")
SERVER_PID=""
HAPROXY_PID=""
cleanup() {
  [ -n "$HAPROXY_PID" ] && kill -TERM "$HAPROXY_PID" 2>/dev/null && wait "$HAPROXY_PID" 2>/dev/null || true
  [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  bench_kill_containers
  sleep 1
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench-connect: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

bench_start_platformd
bench_publish --to staging
api() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
# The same image as 1.0.1 with a whole core instead of 0.1: the benchmark measures the proxy,
# not the app's CPU quota (a 10 ms quota per 100 ms period stalls the direct run too).
sed -e 's/^  version: 1.0.0$/  version: 1.0.1/' -e 's/^  cpuMillicores: 100$/  cpuMillicores: 1000/' \
  manifests/apps/gpu-echo.yaml >"$WORK/gpu-echo-bench.yaml"
APPCTL_SERVER=$BASE APPCTL_TOKEN=$TOKEN APPCTL_CONFIG=$WORK/appctl.yaml "$APPCTL_BIN" app register "$WORK/gpu-echo-bench.yaml" \
  --project "$PROJECT" >/dev/null
echo "==> launching gpu-echo 1.0.1 (1 CPU, no GPU)" >&2
INSTANCE=$(api -d '{"app":"gpu-echo","version":"1.0.1","environment":"staging","adapter":"local","gpus":"0"}' "$BASE/v1/projects/$PROJECT/instances" | field '["id"]')
for _ in $(seq 1 300); do
  PHASE=$(api "$BASE/v1/projects/$PROJECT/instances/$INSTANCE" | field '["phase"]')
  [ "$PHASE" = ready ] && break
  [ "$PHASE" = failed ] && { echo "bench-connect: the instance failed" >&2; exit 1; }
  sleep 0.1
done
ENDPOINT=$(api -d "{\"action\":\"$ACTION\"}" "$BASE/v1/projects/$PROJECT/instances/$INSTANCE/connect" | field '["endpoint"]')
DIRECT=$(api "$BASE/v1/projects/$PROJECT/instances/$INSTANCE" | python3 -c "
import json,sys
print(next(e['url'] for e in json.load(sys.stdin)['endpoints'] if e['name'] == '$ENDPOINT'))")
SESSION_TOKEN=$(api -d "{\"action\":\"$ACTION\"}" "$BASE/v1/projects/$PROJECT/instances/$INSTANCE/connect" | field '["token"]')

# HAProxy in front of the same endpoint: one thread, keep-alive both sides (its defaults).
HAPROXY_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
UPSTREAM=${DIRECT#http://}
UPSTREAM=${UPSTREAM%%/*}
cat >"$WORK/haproxy.cfg" <<CFG
global
  nbthread 1
  maxconn 4096
defaults
  mode http
  timeout connect 5s
  timeout client 65s
  timeout server 65s
frontend fe
  bind 127.0.0.1:$HAPROXY_PORT
  default_backend app
backend app
  server instance $UPSTREAM
CFG
haproxy -c -q -f "$WORK/haproxy.cfg"
haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
HAPROXY_PID=$!
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$HAPROXY_PORT$URLPATH" && break; sleep 0.1; done

export HAPROXY_URL="http://127.0.0.1:$HAPROXY_PORT$URLPATH"
export PLATFORMD_PID=$SERVER_PID BENCH_WORK=$WORK
export DIRECT_URL="$DIRECT$URLPATH" PROXY_URL="$BASE/i/$INSTANCE/$ACTION$URLPATH" SESSION_TOKEN DURATION CONNECTIONS THREADS \
  PLATFORMD=$BASE TOKEN PROJECT INSTANCE CONCURRENCY LATENCY_CONNECTIONS ACTION
echo "==> proxy vs direct: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency ($PLATFORMD_BIN)" >&2
python3 scripts/bench/connect.py proxy
echo "==> session creation: wrk -t1 -c$CONCURRENCY -d${DURATION}s, POST …/connect" >&2
python3 scripts/bench/connect.py sessions
