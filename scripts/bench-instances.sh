#!/usr/bin/env bash
# bench-instances.sh: benchmarks (not tests) of instance launches.
#
#   1. Slurm launch overhead: `POST /v1/projects/P/instances` (adapter slurm, 1 GPU) until
#      the instance is `running`, against raw `sbatch` of the same rendered job script until
#      `scontrol` says RUNNING, both polled every POLL_MS; prints p50/p95 of each and of the
#      difference (goal: ≤ 50 ms p95 added).
#   2. Concurrency: COUNT launches at once on the local adapter (runc); prints how many were
#      accepted, ready and failed (goal: 0 failures) and the time until all were ready.
#
# It starts its own one-node Slurm cluster (scripts/slurm/cluster.sh, 4 fake GPUs), a
# platformd on SQLite with that cluster and quota plan plan.research (100 concurrent
# instances), a tenant and a project, and publishes examples/gpu-echo to promoted:staging.
#
# Usage: scripts/bench-instances.sh [--runs N] [--count N] [--poll-ms MS]
# Environment: PLATFORMD_BIN (default .build-release/release/platformd when it is newer than
# .build/debug/platformd, else the debug one; build it with
# `swift build -c release --build-path .build-release --product platformd`), APPCTL_BIN
# (default .build/debug/appctl), BENCH_KEEP=1 keeps the folder.
# Needs: runc, bwrap, slurmctld/slurmd/munge, umoci, curl, python3 (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=20
COUNT=100
POLL_MS=20
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --count) COUNT=$2; shift 2 ;;
    --poll-ms) POLL_MS=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "bench-instances: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "${PLATFORMD_BIN:-}" ]; then
  PLATFORMD_BIN=.build/debug/platformd
  [ .build-release/release/platformd -nt "$PLATFORMD_BIN" ] && PLATFORMD_BIN=.build-release/release/platformd
fi
APPCTL_BIN=${APPCTL_BIN:-.build/debug/appctl}
for tool in "$PLATFORMD_BIN" "$APPCTL_BIN"; do
  [ -x "$tool" ] || { echo "bench-instances: $tool is missing (swift build first)" >&2; exit 1; }
done
for tool in runc bwrap sbatch umoci curl python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench-instances: $tool is missing (run scripts/install-deps.sh)" >&2; exit 1; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-instances.XXXXXX")
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  bash scripts/slurm/cluster.sh stop "$WORK/slurm" >/dev/null 2>&1 || true
  # Containers outlive platformd by design; a stop still inside its grace period dies with
  # the server, so kill what is left (KILL: an app that is PID 1 ignores TERM).
  for id in $(runc --root "$WORK/data/runtime/local/runc-state" list -q 2>/dev/null); do
    runc --root "$WORK/data/runtime/local/runc-state" kill --all "$id" KILL 2>/dev/null || true
  done
  sleep 1
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench-instances: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "==> starting a one-node Slurm cluster with 4 fake h100 GPUs" >&2
bash scripts/slurm/cluster.sh start "$WORK/slurm" 4 h100 >/dev/null
export SLURM_CONF=$WORK/slurm/slurm.conf
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "==> starting $PLATFORMD_BIN on 127.0.0.1:$PORT" >&2
"$PLATFORMD_BIN" serve --data-dir "$WORK/data" --listen "127.0.0.1:$PORT" --slurm-conf "$SLURM_CONF" --slurm-partition gpu \
  --quota-plan plan.research --poll-interval "$POLL_MS" --log-level warning >"$WORK/platformd.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
TOKEN=$(cat "$WORK/data/bootstrap-admin.key")
api() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
TENANT=$(api -d '{"name":"bench"}' "http://127.0.0.1:$PORT/v1/tenants" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
PROJECT=$(api -d '{"name":"bench"}' "http://127.0.0.1:$PORT/v1/tenants/$TENANT/projects" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
echo "==> publishing examples/gpu-echo to promoted:staging in $PROJECT" >&2
APPCTL=$APPCTL_BIN APPCTL_SERVER="http://127.0.0.1:$PORT" APPCTL_TOKEN=$TOKEN HOME=$WORK APPCTL_CONFIG=$WORK/appctl.yaml \
  bash examples/gpu-echo/publish.sh --project "$PROJECT" --to staging --key "$WORK/signing.pem" >"$WORK/publish.log" 2>&1 \
  || { tail -20 "$WORK/publish.log" >&2; exit 1; }

export PLATFORMD="http://127.0.0.1:$PORT" TOKEN PROJECT POLL_MS DATA_DIR=$WORK/data
echo "==> Slurm launch overhead: $RUNS launches, platform vs raw sbatch, polled every $POLL_MS ms ($PLATFORMD_BIN)" >&2
python3 scripts/bench/instances.py slurm-overhead --runs "$RUNS"
echo "==> $COUNT concurrent launches on the local adapter (runc)" >&2
python3 scripts/bench/instances.py concurrent --count "$COUNT"
