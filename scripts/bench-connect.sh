#!/usr/bin/env bash
# bench-connect.sh: benchmarks (not tests) of the connect data plane.
#
#   1. Proxy throughput and added latency: `wrk` against the instance's endpoint directly
#      and through platformd's proxy (/i/INSTANCE/ACTION/…, session bearer token), same run,
#      same connections and duration; prints req/s and p50/p99 of each and what the proxy
#      adds (goals: ≥ 3,000 req/s through the proxy on 2 cores, ≤ 2 ms added p99).
#   2. Session creation: CONCURRENCY callers at once, ROUNDS rounds, each
#      `POST /v1/projects/P/instances/I/connect`; prints p50/p99 (goal: p99 ≤ 5 ms at 50).
#
# It starts a platformd on SQLite (local adapter), a tenant and a project, publishes
# examples/gpu-echo and launches it once; the target is its `live` endpoint (the echo
# server's plain HTTP GET, keep-alive) unless --action/--path say otherwise.
#
# Usage: scripts/bench-connect.sh [--duration S] [--connections N] [--threads N]
#                                 [--concurrency N] [--rounds N] [--action A] [--path P]
# Environment: PLATFORMD_BIN (default .build-release/release/platformd when it is newer than
# .build/debug/platformd; build it with
# `swift build -c release --build-path .build-release --product platformd`), APPCTL_BIN
# (default .build/debug/appctl), BENCH_KEEP=1 keeps the folder.
# Needs: wrk, runc, umoci, curl, python3 (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=10
CONNECTIONS=32
THREADS=2
CONCURRENCY=50
ROUNDS=20
ACTION=live
URLPATH=/healthz
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --action) ACTION=$2; shift 2 ;;
    --path) URLPATH=$2; shift 2 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "bench-connect: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "${PLATFORMD_BIN:-}" ]; then
  PLATFORMD_BIN=.build/debug/platformd
  [ .build-release/release/platformd -nt "$PLATFORMD_BIN" ] && PLATFORMD_BIN=.build-release/release/platformd
fi
APPCTL_BIN=${APPCTL_BIN:-.build/debug/appctl}
for tool in "$PLATFORMD_BIN" "$APPCTL_BIN"; do
  [ -x "$tool" ] || { echo "bench-connect: $tool is missing (swift build first)" >&2; exit 1; }
done
for tool in wrk runc umoci curl python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench-connect: $tool is missing (run scripts/install-deps.sh)" >&2; exit 1; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-connect.XXXXXX")
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  for id in $(runc --root "$WORK/data/runtime/local/runc-state" list -q 2>/dev/null); do
    runc --root "$WORK/data/runtime/local/runc-state" kill --all "$id" KILL 2>/dev/null || true
  done
  sleep 1
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench-connect: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "==> starting $PLATFORMD_BIN on 127.0.0.1:$PORT" >&2
"$PLATFORMD_BIN" serve --data-dir "$WORK/data" --listen "127.0.0.1:$PORT" --log-level warning >"$WORK/platformd.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
TOKEN=$(cat "$WORK/data/bootstrap-admin.key")
BASE="http://127.0.0.1:$PORT"
api() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
TENANT=$(api -d '{"name":"bench"}' "$BASE/v1/tenants" | field '["id"]')
PROJECT=$(api -d '{"name":"bench"}' "$BASE/v1/tenants/$TENANT/projects" | field '["id"]')
echo "==> publishing examples/gpu-echo in $PROJECT and launching it" >&2
APPCTL=$APPCTL_BIN APPCTL_SERVER=$BASE APPCTL_TOKEN=$TOKEN HOME=$WORK APPCTL_CONFIG=$WORK/appctl.yaml \
  bash examples/gpu-echo/publish.sh --project "$PROJECT" --key "$WORK/signing.pem" >"$WORK/publish.log" 2>&1 \
  || { tail -20 "$WORK/publish.log" >&2; exit 1; }
INSTANCE=$(api -d '{"app":"gpu-echo","adapter":"local"}' "$BASE/v1/projects/$PROJECT/instances" | field '["id"]')
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

export DIRECT_URL="$DIRECT$URLPATH" PROXY_URL="$BASE/i/$INSTANCE/$ACTION$URLPATH" SESSION_TOKEN DURATION CONNECTIONS THREADS \
  PLATFORMD=$BASE TOKEN PROJECT INSTANCE CONCURRENCY ROUNDS ACTION
echo "==> proxy vs direct: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency ($PLATFORMD_BIN)" >&2
python3 scripts/bench/connect.py proxy
echo "==> session creation: $CONCURRENCY concurrent, $ROUNDS rounds" >&2
python3 scripts/bench/connect.py sessions
