#!/usr/bin/env bash
# bench-replicas.sh: a benchmark (not a test) of two platformd replicas against one, in one run.
#
# It starts a PostgreSQL 15 of its own (initdb into the work folder, as the postgres user),
# platformd replica `a` on it (tenant, project, examples/gpu-echo published, one gpu-echo
# instance launched, no GPU), then replica `b` on the same database and data directory, and
# HAProxy (Debian's, round robin, health-checked on /livez) over:
#   - one replica (a alone behind HAProxy), and
#   - the pair (a and b behind HAProxy),
# and runs the same wrk loads through HAProxy against each:
#   read      GET /v1/projects/P/instances (an authorized read of the instance rows),
#   sessions  POST /v1/projects/P/instances/I/connect (a connect session per request: a
#             write, an audit record and NOTIFY in one transaction).
# It prints a table of req/s and p50/p99 per load and setup, and pair/single.
# On this 2-core machine both replicas share the cores, so the pair cannot add CPU; what the
# table says is what coordination through PostgreSQL costs (or not) when it scales out.
#
# Usage: scripts/bench-replicas.sh [--duration S] [--connections N]
# Environment: PLATFORMD_BIN (default .build-release/release/platformd when newer than the
# debug build), APPCTL_BIN, BENCH_KEEP=1 keeps the folder.
# Needs: wrk, haproxy, runc, umoci, curl, python3, postgresql-15 (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=10
CONNECTIONS=32
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "bench-replicas: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
BENCH_NAME=bench-replicas
. scripts/bench/common.sh
bench_binaries
bench_require wrk haproxy runc umoci curl python3 runuser
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] || { echo "bench-replicas: PostgreSQL server binaries are missing (scripts/install-deps.sh)" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-replicas.XXXXXX")
chmod 755 "$WORK"
SERVER_PID=""
B_PID=""
PG_PID=""
HAPROXY_PID=""
cleanup() {
  for pid in "$HAPROXY_PID" "$B_PID" "$SERVER_PID"; do
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  bench_kill_containers
  [ -n "$PG_PID" ] && kill -TERM "$PG_PID" 2>/dev/null && wait "$PG_PID" 2>/dev/null || true
  sleep 1
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench-replicas: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

echo "==> PostgreSQL ($PGBIN)" >&2
mkdir -p "$WORK/pg" && chown postgres "$WORK/pg"
runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres -A trust -E UTF8 --no-sync >"$WORK/initdb.log" 2>&1
PG_PORT=$(free_port)
runuser -u postgres -- "$PGBIN/postgres" -D "$WORK/pg/data" -k "$WORK/pg" -p "$PG_PORT" -c listen_addresses=127.0.0.1 \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 >"$WORK/postgres.log" 2>&1 &
PG_PID=$!
for _ in $(seq 1 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $PG_PORT), 1)" 2>/dev/null && break; sleep 0.1; done
DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"

bench_start_platformd --database-url "$DATABASE_URL" --replica-id a
A_BASE=$BASE
bench_publish --to staging
api() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
echo "==> launching gpu-echo (no GPU)" >&2
INSTANCE=$(api -d '{"app":"gpu-echo","environment":"staging","adapter":"local","gpus":"0"}' "$BASE/v1/projects/$PROJECT/instances" | field '["id"]')
for _ in $(seq 1 300); do
  PHASE=$(api "$BASE/v1/projects/$PROJECT/instances/$INSTANCE" | field '["phase"]')
  [ "$PHASE" = ready ] && break
  [ "$PHASE" = failed ] && { echo "bench-replicas: the instance failed" >&2; exit 1; }
  sleep 0.1
done

B_PORT=$(free_port)
echo "==> starting replica b on 127.0.0.1:$B_PORT" >&2
"$PLATFORMD_BIN" serve --data-dir "$WORK/data" --listen "127.0.0.1:$B_PORT" --log-level warning \
  --database-url "$DATABASE_URL" --replica-id b >"$WORK/platformd-b.log" 2>&1 &
B_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$B_PORT/readyz" >/dev/null && break; sleep 0.1; done

# One HAProxy per setup, the same settings: round robin, keep-alive, health checks.
start_haproxy() {
  local name=$1; shift
  local port servers=""
  port=$(free_port)
  for backend in "$@"; do servers+="  server ${backend//[:.]/_} $backend check"$'\n'; done
  cat >"$WORK/haproxy-$name.cfg" <<CFG
global
  maxconn 4096
defaults
  mode http
  timeout connect 5s
  timeout client 65s
  timeout server 65s
frontend fe
  bind 127.0.0.1:$port
  default_backend replicas
backend replicas
  balance roundrobin
  option httpchk GET /livez
  default-server inter 1s fall 2 rise 1
$servers
CFG
  haproxy -c -q -f "$WORK/haproxy-$name.cfg"
  haproxy -db -f "$WORK/haproxy-$name.cfg" >"$WORK/haproxy-$name.log" 2>&1 &
  HAPROXY_PID=$!
  for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/livez" && break; sleep 0.1; done
  HAPROXY_URL="http://127.0.0.1:$port"
}

export TOKEN PROJECT INSTANCE DURATION CONNECTIONS
RESULTS="$WORK/results.jsonl"
for setup in single pair; do
  if [ "$setup" = single ]; then start_haproxy single "${A_BASE#http://}"; else start_haproxy pair "${A_BASE#http://}" "127.0.0.1:$B_PORT"; fi
  echo "==> $setup: wrk -t2 -c$CONNECTIONS -d${DURATION}s through $HAPROXY_URL" >&2
  SETUP=$setup BASE_URL=$HAPROXY_URL python3 scripts/bench/replicas.py run >>"$RESULTS"
  kill -TERM "$HAPROXY_PID" 2>/dev/null && wait "$HAPROXY_PID" 2>/dev/null || true
  HAPROXY_PID=""
done
python3 scripts/bench/replicas.py table "$RESULTS"
