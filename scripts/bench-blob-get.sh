#!/usr/bin/env bash
# bench-blob-get.sh: a benchmark and profile (not a test) of platformd's /v2 blob GET, with
# sendfile(2) and without it (--sendfile off) in the same run, on the filesystem store.
#
#   1. Large GETs: COUNT sequential curl GETs of a SIZE MiB blob per mode; prints MiB/s and
#      platformd's CPU time per GiB served (utime+stime from /proc/PID/stat), i.e. what the
#      zero-copy path saves the server.
#   2. Small GETs: wrk (1 thread, CONNECTIONS connections, DURATION s) GETting a 4 KiB blob
#      with HTTP Basic (the key): the per-request cost (authentication, authorization, the
#      blob link lookup); req/s and p50/p99 per mode, and the server's own lookup time
#      (platform_registry_lookup_duration_seconds, kind="blob") from /metrics.
#   3. With --perf (and perf installed), `perf record -F 499` on the sendfile server during a
#      second, unmeasured small-GET run; prints the time per binary and the top symbols.
#
# Usage: scripts/bench-blob-get.sh [--size MiB] [--count N] [--duration S] [--connections N] [--perf]
# Environment: PLATFORMD_BIN (default .build-release/release/platformd when newer than the
# debug build), BENCH_KEEP=1 keeps the folder. Needs: curl, wrk, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=64
COUNT=10
DURATION=10
CONNECTIONS=16
PERF=0
while [ $# -gt 0 ]; do
  case "$1" in
    --size) SIZE_MB=$2; shift 2 ;;
    --count) COUNT=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --perf) PERF=1; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "bench-blob-get: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
BENCH_NAME=bench-blob-get
. scripts/bench/common.sh
APPCTL_BIN=${APPCTL_BIN:-/bin/true}
bench_binaries
bench_require curl wrk python3
ROOT_WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-blob-get.XXXXXX")
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench-blob-get: kept $ROOT_WORK" >&2; else rm -rf "$ROOT_WORK"; fi
}
trap cleanup EXIT

head -c $((SIZE_MB << 20)) /dev/urandom >"$ROOT_WORK/big.bin"
head -c 4096 /dev/urandom >"$ROOT_WORK/small.bin"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICKS=$(getconf CLK_TCK)
RESULTS=$ROOT_WORK/results.tsv
: >"$RESULTS"

for mode in on off; do
  WORK=$ROOT_WORK/$mode
  mkdir -p "$WORK"
  bench_start_platformd --sendfile "$mode"
  tenant=$(curl -sf -H "Authorization: Bearer $TOKEN" -d '{"name":"bench"}' "$BASE/v1/tenants" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  project=$(curl -sf -H "Authorization: Bearer $TOKEN" -d '{"name":"bench"}' "$BASE/v1/tenants/$tenant/projects" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"].lower())')
  for blob in big small; do
    digest=sha256:$(sha256sum "$ROOT_WORK/$blob.bin" | cut -d' ' -f1)
    curl -sf -u "bench:$TOKEN" -H 'Content-Type: application/octet-stream' --data-binary "@$ROOT_WORK/$blob.bin" \
      "$BASE/v2/$project/blob/blobs/uploads/?digest=$digest" -o /dev/null
    eval "${blob}_url=\$BASE/v2/\$project/blob/blobs/\$digest"
  done
  # 1. Large GETs.
  curl -sf -u "bench:$TOKEN" -o /dev/null "$big_url"  # warm the page cache
  before=$(cpu_ticks "$SERVER_PID")
  started=$(date +%s.%N)
  for _ in $(seq 1 "$COUNT"); do curl -sf -u "bench:$TOKEN" -o /dev/null "$big_url"; done
  ended=$(date +%s.%N)
  after=$(cpu_ticks "$SERVER_PID")
  # 2. Small GETs.
  auth="Authorization: Basic $(printf 'bench:%s' "$TOKEN" | base64 -w0)"
  wrk_out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$auth" "$small_url")
  if [ "$mode" = on ] && [ "$PERF" = 1 ] && command -v perf >/dev/null; then
    # A second, unmeasured run under perf: the figures above are taken without it.
    perf record -q -F 499 -o "$ROOT_WORK/perf.data" -p "$SERVER_PID" -- sleep "$DURATION" >/dev/null 2>&1 &
    perf_pid=$!
    wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -H "$auth" "$small_url" >/dev/null
    wait "$perf_pid" || true
  fi
  lookup=$(curl -sf "$BASE/metrics" | python3 -c '
import re, sys
text = sys.stdin.read()
s = re.search(r"platform_registry_lookup_duration_seconds_sum\{kind=\"blob\"\} ([0-9.e+-]+)", text)
c = re.search(r"platform_registry_lookup_duration_seconds_count\{kind=\"blob\"\} ([0-9.e+-]+)", text)
print(f"{1000 * float(s.group(1)) / float(c.group(1)):.3f}" if s and c and float(c.group(1)) else "n/a")')
  python3 - "$mode" "$SIZE_MB" "$COUNT" "$started" "$ended" "$before" "$after" "$TICKS" "$lookup" "$RESULTS" <<PY
import re, sys
mode, size_mb, count, started, ended, before, after, ticks, lookup, results = sys.argv[1:11]
out = """$wrk_out"""
def latency(label):
    m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
gib = int(size_mb) * int(count) / 1024
seconds = float(ended) - float(started)
cpu_ms_per_gib = 1000 * (int(after) - int(before)) / int(ticks) / gib
with open(results, "a") as f:
    f.write(f"{mode}\t{int(size_mb) * int(count) / seconds:.1f}\t{cpu_ms_per_gib:.0f}\t{rps:.0f}\t{latency('50%'):.3f}\t{latency('99%'):.3f}\t{lookup}\n")
PY
  kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
done

echo
echo "blob GET, $SIZE_MB MiB x $COUNT sequential (curl) and 4 KiB with wrk -t1 -c$CONNECTIONS -d${DURATION}s; $(nproc) CPUs; $PLATFORMD_BIN"
python3 - "$RESULTS" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
print(f"{'sendfile':<10}{'large MiB/s':>12}{'CPU ms/GiB':>12}{'small req/s':>13}{'p50 ms':>9}{'p99 ms':>9}{'lookup ms':>11}")
for r in rows:
    print(f"{r[0]:<10}{float(r[1]):>12.1f}{float(r[2]):>12.0f}{float(r[3]):>13.0f}{float(r[4]):>9.3f}{float(r[5]):>9.3f}{r[6]:>11}")
if len(rows) == 2:
    on, off = rows
    print(f"{'on/off':<10}{float(on[1]) / float(off[1]):>12.2f}{float(on[2]) / max(float(off[2]), 1):>12.2f}{float(on[3]) / float(off[3]):>13.2f}")
PY
if [ -f "$ROOT_WORK/perf.data" ]; then
  echo
  echo "perf: where platformd's CPU time went during a small-GET run (sendfile on), by binary, then by symbol"
  perf report -q -i "$ROOT_WORK/perf.data" --sort dso --percent-limit 2 --stdio 2>/dev/null | grep -v '^$' | head -12 | cut -c1-120
  perf report -q -i "$ROOT_WORK/perf.data" --sort symbol --percent-limit 1.2 --stdio 2>/dev/null | grep -v '^$' | head -12 | cut -c1-150
  echo "perf: platformd's own symbols (share of all samples)"
  perf report -q -i "$ROOT_WORK/perf.data" --dsos platformd --sort symbol --percent-limit 0.4 --stdio 2>/dev/null | grep -v '^$' | head -20 \
    | sed -E 's/\$s[0-9A-Za-z_]+/&/' | cut -c1-160
fi
