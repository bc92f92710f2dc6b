#!/usr/bin/env bash
# bench-notifications.sh: a benchmark (not a test) of notification delivery latency.
#
# Intent creation → webhook delivery under load: a platformd on SQLite with one project
# webhook pointing at the Standard Webhooks reference receiver (scripts/webhooks/receiver.sh,
# which verifies each signature and records its arrival time), COUNT concurrent launches of
# examples/gpu-echo on the local adapter (runc), each committing an `instance.ready` intent
# in the transaction that makes it ready. Latency = receiver arrival - intent creation (the
# event ULID's time). The peer in the same run: RUNS signed POSTs sent straight to the same
# receiver, the floor of any delivery. Prints n, p50, p99, max per path (goal: p99 < 30 s,
# the seed's dispatch-intent budget).
#
# Usage: scripts/bench-notifications.sh [--count N] [--runs N] [--outbox-poll-ms MS] [--down-endpoints K]
#   --count           concurrent launches, one notice each (default 50)
#   --runs            direct POSTs of the baseline (default 200)
#   --outbox-poll-ms  the dispatcher's idle poll interval (default 1000, platformd's default)
#   --down-endpoints  also register K endpoints of the same project where nothing listens
#                     (default 0): how much a dead receiver delays a live one
# Environment: PLATFORMD_BIN, APPCTL_BIN (see scripts/bench/common.sh), BENCH_KEEP=1 keeps the folder.
# Needs: runc, bwrap, umoci, curl, python3 (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=50
RUNS=200
OUTBOX_POLL_MS=1000
DOWN=0
while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --outbox-poll-ms) OUTBOX_POLL_MS=$2; shift 2 ;;
    --down-endpoints) DOWN=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "bench-notifications: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
BENCH_NAME=bench-notifications
. scripts/bench/common.sh
bench_binaries
bench_require runc bwrap umoci curl python3
RECEIVER_PY=$(bash scripts/webhooks/receiver.sh python | tail -1)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-notifications.XXXXXX")
SERVER_PID=""
RECEIVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [ -n "$RECEIVER_PID" ] && kill -TERM "$RECEIVER_PID" 2>/dev/null && wait "$RECEIVER_PID" 2>/dev/null || true
  bench_kill_containers
  sleep 1
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench-notifications: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

bench_start_platformd --quota-plan plan.research --outbox-poll-interval "$OUTBOX_POLL_MS"
bench_publish --to staging

RPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SECRET=$(curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"url\":\"http://127.0.0.1:$RPORT/hook\",\"templates\":[\"instance.ready\"]}" \
  "$BASE/v1/projects/$PROJECT/webhooks" | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
echo "==> receiver on 127.0.0.1:$RPORT" >&2
for _ in $(seq 1 "$DOWN"); do
  DPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"url\":\"http://127.0.0.1:$DPORT/hook\",\"templates\":[\"instance.ready\"]}" "$BASE/v1/projects/$PROJECT/webhooks"
done
"$RECEIVER_PY" -u scripts/webhooks/receiver.py "$RPORT" "$SECRET" "$WORK/deliveries.jsonl" >"$WORK/receiver.log" 2>&1 &
RECEIVER_PID=$!
for _ in $(seq 1 100); do grep -q "listening on" "$WORK/receiver.log" && break; sleep 0.1; done

echo "==> $RUNS direct POSTs, then $COUNT concurrent launches each announcing instance.ready ($PLATFORMD_BIN, outbox poll $OUTBOX_POLL_MS ms, $DOWN endpoints down)" >&2
PLATFORMD=$BASE TOKEN=$TOKEN PROJECT=$PROJECT RECEIVER="http://127.0.0.1:$RPORT/hook" RECORD="$WORK/deliveries.jsonl" \
  SECRET=$SECRET OUTBOX_POLL_MS=$OUTBOX_POLL_MS DOWN=$DOWN "$RECEIVER_PY" scripts/bench/notifications.py "$RUNS" "$COUNT"
