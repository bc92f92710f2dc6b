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
BENCH_NAME=bench-instances
. scripts/bench/common.sh
bench_binaries
bench_require runc bwrap sbatch umoci curl python3

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-instances.XXXXXX")
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  bash scripts/slurm/cluster.sh stop "$WORK/slurm" >/dev/null 2>&1 || true
  bench_kill_containers
  sleep 1
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench-instances: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "==> starting a one-node Slurm cluster with 4 fake h100 GPUs" >&2
bash scripts/slurm/cluster.sh start "$WORK/slurm" 4 h100 >/dev/null
export SLURM_CONF=$WORK/slurm/slurm.conf
bench_start_platformd --slurm-conf "$SLURM_CONF" --slurm-partition gpu --quota-plan plan.research --poll-interval "$POLL_MS"
bench_publish --to staging

export PLATFORMD=$BASE TOKEN PROJECT POLL_MS DATA_DIR=$WORK/data
echo "==> Slurm launch overhead: $RUNS launches, platform vs raw sbatch, polled every $POLL_MS ms ($PLATFORMD_BIN)" >&2
python3 scripts/bench/instances.py slurm-overhead --runs "$RUNS"
echo "==> $COUNT concurrent launches on the local adapter (runc)" >&2
python3 scripts/bench/instances.py concurrent --count "$COUNT"
