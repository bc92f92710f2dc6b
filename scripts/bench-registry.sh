#!/usr/bin/env bash
# bench-registry.sh: a benchmark (not a test) of platformd's built-in OCI registry (/v2/)
# against the reference registry (Debian's docker-registry, distribution 2.8).
#
# For each target it pushes a ~SIZE MiB image (one random-content gzipped layer, built with
# scripts/oci/make-image.sh) with `skopeo copy oci:... docker://...`, pulls it back with
# `skopeo copy docker://... oci:...`, and reports push and pull MiB/s (image bytes / wall
# time of the skopeo run) and the server's peak RSS (VmHWM) at the end.
#
# Targets: distribution and platformd on the filesystem (platformd-read: platformd with
# --sendfile off, blob GETs read through the response body instead of sendfile(2)); distribution-s3 and platformd-s3 on
# one S3 bucket served by moto (scripts/s3/moto_server.py, signature checking on; each target
# under its own prefix): distribution with its s3 driver (redirects off, so both proxy the
# bytes) and platformd with --blob-store s3://…. moto is a Python server, so the S3 rows
# compare the two registries over the same slow store, not S3 itself.
#
# Usage: scripts/bench-registry.sh [--size MB] [--runs N]
#          [--targets "distribution platformd platformd-read distribution-s3 platformd-s3"] [--json FILE]
# Environment:
#   PLATFORMD_BIN      platformd binary (default: .build-release/release/platformd, else
#                      .build/debug/platformd; the first that exists)
#   BENCH_SIZE_MB      image size in MiB (default 200; --size wins)
#   BENCH_RUNS         push+pull rounds per target, the best is kept (default 1; --runs wins)
#   BENCH_TARGETS      which targets (default "distribution platformd"; --targets wins)
#   PLATFORM_MOTO_PYTHON  the Python with moto for the -s3 targets (default: the venv
#                      scripts/install-deps.sh makes under /var/cache/platform-tools)
#   BENCH_JSON         also write the results as JSON to this file (--json wins)
#   BENCH_KEEP=1       keep the temporary folder (images, registry storage, logs)
#   BENCH_PERF=1       record platformd with `perf record -F 499 -g` during its push and pull
#                      and print where its CPU time went (by binary, then by symbol)
#   PLATFORMD_LOG_LEVEL  platformd's --log-level (default warning, like distribution's error)
# Needs: skopeo, umoci, docker-registry, curl, python3 (scripts/install-deps.sh installs them).
# Exit status: 0 all targets measured; 1 a target failed (the others are still reported).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SIZE_MB=${BENCH_SIZE_MB:-200}
RUNS=${BENCH_RUNS:-1}
TARGETS=${BENCH_TARGETS:-"distribution platformd"}
JSON_OUT=${BENCH_JSON:-}
while [ $# -gt 0 ]; do
  case "$1" in
    --size) SIZE_MB=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --targets) TARGETS=$2; shift 2 ;;
    --json) JSON_OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "bench-registry: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$SIZE_MB" =~ ^[0-9]+$ ]] && [ "$SIZE_MB" -gt 0 ] || { echo "bench-registry: --size must be a positive number of MiB" >&2; exit 2; }
[[ "$RUNS" =~ ^[0-9]+$ ]] && [ "$RUNS" -gt 0 ] || { echo "bench-registry: --runs must be a positive number" >&2; exit 2; }
for tool in skopeo umoci docker-registry curl python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench-registry: $tool is missing (run scripts/install-deps.sh)" >&2; exit 1; }
done

BLOB_INFO_CACHE=/var/lib/containers/cache/blob-info-cache-v1.boltdb
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-registry.XXXXXX")
SERVER_PID=""
MOTO_PID=""
cleanup() {
  stop_server
  if [ -n "$MOTO_PID" ]; then kill -TERM "$MOTO_PID" 2>/dev/null || true; wait "$MOTO_PID" 2>/dev/null || true; fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench-registry: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "==> $*" >&2; }
now() { date +%s.%N; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() {  # URL PID LOG: wait until URL answers at all (any status), up to 30 s
  local url=$1 pid=$2 logf=$3
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "$url" && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "bench-registry: server exited early; last log lines:" >&2; tail -20 "$logf" >&2; return 1
    fi
    sleep 0.1
  done
  echo "bench-registry: $url did not answer within 30 s" >&2; return 1
}
vm_hwm_mib() { awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
vm_rss_mib() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# --- the image ------------------------------------------------------------------------------
IMAGE=$WORK/image
log "building a ${SIZE_MB} MiB image with scripts/oci/make-image.sh"
t0=$(now)
bash "$ROOT/scripts/oci/make-image.sh" "$IMAGE" "$SIZE_MB" >"$WORK/make-image.out"
t1=$(now)
IMAGE_BYTES=$(find "$IMAGE/blobs" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
IMAGE_MIB=$(awk -v b="$IMAGE_BYTES" 'BEGIN { printf "%.1f", b / 1048576 }')
log "image: $IMAGE_MIB MiB in $(find "$IMAGE/blobs" -type f | wc -l) blobs, manifest $(tail -1 "$WORK/make-image.out"), built in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"

# --- one push + pull round against a running registry ---------------------------------------
# measure TARGET HOSTPORT REPO CREDS(user:pass or empty) -> sets PUSH_S PULL_S (best of RUNS)
measure() {
  local target=$1 hostport=$2 repo=$3 creds=$4 run ref out t0 t1 t2 push pull
  local dest_creds=() src_creds=()
  if [ -n "$creds" ]; then dest_creds=(--dest-creds "$creds"); src_creds=(--src-creds "$creds"); fi
  PUSH_S=""; PULL_S=""
  for run in $(seq 1 "$RUNS"); do
    ref="$hostport/$repo"; [ "$run" -gt 1 ] && ref="$ref-$run"
    out=$WORK/pulled-$target-$run
    # Without the cache skopeo would cross-mount blobs it saw in another repository instead
    # of uploading them, and skip blobs it believes are already present.
    rm -f "$BLOB_INFO_CACHE"
    log "$target: skopeo copy oci:image:v1 docker://$ref:v1 (push, run $run/$RUNS)"
    t0=$(now)
    if ! skopeo copy -q --retry-times 0 --dest-tls-verify=false "${dest_creds[@]}" \
        "oci:$IMAGE:v1" "docker://$ref:v1" >"$WORK/$target-push-$run.log" 2>&1; then
      echo "bench-registry: $target: push failed:" >&2; tail -20 "$WORK/$target-push-$run.log" >&2; return 1
    fi
    t1=$(now)
    rm -f "$BLOB_INFO_CACHE"
    log "$target: skopeo copy docker://$ref:v1 oci:pulled:v1 (pull, run $run/$RUNS)"
    if ! skopeo copy -q --retry-times 0 --src-tls-verify=false "${src_creds[@]}" \
        "docker://$ref:v1" "oci:$out:v1" >"$WORK/$target-pull-$run.log" 2>&1; then
      echo "bench-registry: $target: pull failed:" >&2; tail -20 "$WORK/$target-pull-$run.log" >&2; return 1
    fi
    t2=$(now)
    # skopeo checks every digest while pulling; still make sure the big layer came back.
    local pulled_bytes
    pulled_bytes=$(find "$out/blobs" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
    if [ "$pulled_bytes" -lt "$((IMAGE_BYTES * 9 / 10))" ]; then
      echo "bench-registry: $target: the pulled image has $pulled_bytes bytes, pushed $IMAGE_BYTES" >&2; return 1
    fi
    rm -rf "$out"
    # The server alone: one plain GET of the largest blob with curl (no client-side hashing).
    local big_hex curl_auth=() raw
    big_hex=$(find "$IMAGE/blobs/sha256" -type f -printf '%s %f\n' | sort -n | tail -1 | cut -d' ' -f2)
    [ -n "$creds" ] && curl_auth=(-u "$creds")
    raw=$(curl -s "${curl_auth[@]}" -o /dev/null -w '%{speed_download}' "http://${ref%%/*}/v2/${ref#*/}/blobs/sha256:$big_hex" 2>/dev/null || echo 0)
    raw=${raw/,/.}
    raw=$(awk -v r="$raw" 'BEGIN { printf "%.1f", r / 1048576 }')
    log "$target: curl GET of the largest blob ${raw} MiB/s"
    printf '%s\t%s\n' "$target" "$raw" >>"$WORK/raw-get.tsv"
    push=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    pull=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.3f", b - a }')
    log "$target: push ${push} s, pull ${pull} s"
    if [ -z "$PUSH_S" ] || awk -v a="$push" -v b="$PUSH_S" 'BEGIN { exit !(a < b) }'; then PUSH_S=$push; fi
    if [ -z "$PULL_S" ] || awk -v a="$pull" -v b="$PULL_S" 'BEGIN { exit !(a < b) }'; then PULL_S=$pull; fi
  done
}

RESULTS=$WORK/results.tsv   # target push_s pull_s push_mibs pull_mibs rss_mib note
: >"$RESULTS"
record() {  # TARGET RSS NOTE
  local push_mibs pull_mibs
  push_mibs=$(awk -v b="$IMAGE_BYTES" -v s="$PUSH_S" 'BEGIN { printf "%.1f", b / 1048576 / s }')
  pull_mibs=$(awk -v b="$IMAGE_BYTES" -v s="$PULL_S" 'BEGIN { printf "%.1f", b / 1048576 / s }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$PUSH_S" "$PULL_S" "$push_mibs" "$pull_mibs" "$2" "$3" >>"$RESULTS"
}
FAILED=()

# --- moto, for the -s3 targets -----------------------------------------------------------------
S3_ENDPOINT=""; S3_BUCKET=""; S3_KEY=""; S3_SECRET=""
start_moto() {
  [ -n "$S3_ENDPOINT" ] && return 0
  local python=${PLATFORM_MOTO_PYTHON:-/var/cache/platform-tools/moto-5.2.6/bin/python} creds=$WORK/moto.json
  [ -x "$python" ] || { echo "bench-registry: no moto at $python (run scripts/install-deps.sh)" >&2; return 1; }
  log "moto: scripts/s3/moto_server.py (signatures checked)"
  "$python" "$ROOT/scripts/s3/moto_server.py" --credentials "$creds" >"$WORK/moto.log" 2>&1 &
  MOTO_PID=$!
  for _ in $(seq 1 600); do [ -s "$creds" ] && break; sleep 0.1; done
  [ -s "$creds" ] || { echo "bench-registry: moto did not start:" >&2; tail -20 "$WORK/moto.log" >&2; return 1; }
  read -r S3_ENDPOINT S3_BUCKET S3_KEY S3_SECRET < <(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c["endpoint"], c["bucket"], c["accessKeyId"], c["secretAccessKey"])' "$creds")
}

# --- distribution (reference) ---------------------------------------------------------------
bench_distribution() {  # [s3]
  local port dir target=distribution storage
  port=$(free_port)
  if [ "${1:-}" = s3 ]; then
    target=distribution-s3
    start_moto || return 1
    storage="  s3:
    accesskey: $S3_KEY
    secretkey: $S3_SECRET
    region: us-east-1
    regionendpoint: $S3_ENDPOINT
    bucket: $S3_BUCKET
    rootdirectory: /distribution
    secure: false
    v4auth: true
  redirect:
    disable: true"
  else
    storage="  filesystem:
    rootdirectory: $WORK/distribution/storage"
  fi
  dir=$WORK/$target; mkdir -p "$dir/storage"
  cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
$storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
EOF
  log "$target: docker-registry serve (127.0.0.1:$port, $(docker-registry --version 2>/dev/null | awk '{ print $NF }'))"
  # aws-sdk-go v1 panics on an AWS_CA_BUNDLE (some machines export one) with distribution's
  # own HTTP transport; the bucket here is plain http, so the bundle is not needed.
  env -u AWS_CA_BUNDLE docker-registry serve "$dir/config.yml" >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  wait_http "http://127.0.0.1:$port/v2/" "$SERVER_PID" "$dir/server.log" || return 1
  log "$target: RSS at rest $(vm_rss_mib "$SERVER_PID") MiB (before any push)"
  measure "$target" "127.0.0.1:$port" bench/app "" || return 1
  local rss; rss=$(vm_hwm_mib "$SERVER_PID")
  stop_server
  record "$target" "$rss" "docker-registry $(docker-registry --version 2>/dev/null | awk '{ print $NF }')${1:+ on moto S3}"
}

# --- platformd --------------------------------------------------------------------------------
bench_platformd() {  # [s3|read]
  local bin=${PLATFORMD_BIN:-} target=platformd store_args=()
  if [ "${1:-}" = read ]; then
    target=platformd-read
    store_args=(--sendfile off)
  fi
  if [ "${1:-}" = s3 ]; then
    target=platformd-s3
    start_moto || return 1
    store_args=(--blob-store "s3://$S3_BUCKET/platformd?endpoint=$S3_ENDPOINT&region=us-east-1")
    export PLATFORMD_S3_ACCESS_KEY_ID=$S3_KEY PLATFORMD_S3_SECRET_ACCESS_KEY=$S3_SECRET
  fi
  if [ -z "$bin" ]; then
    for candidate in .build-release/release/platformd .build/debug/platformd; do
      if [ -x "$candidate" ]; then bin=$candidate; break; fi
    done
  fi
  if [ -z "$bin" ] || [ ! -x "$bin" ]; then
    echo "bench-registry: platformd: no binary (set PLATFORMD_BIN, or build .build-release/release/platformd or .build/debug/platformd)" >&2
    return 1
  fi
  case "$bin" in *debug*) log "platformd: $bin is a debug build; figures for a release build will differ" ;; esac
  local port dir server key tenant project repo code
  port=$(free_port); dir=$WORK/$target; mkdir -p "$dir/data"
  server="http://127.0.0.1:$port"
  log "$target: $bin serve --data-dir $dir/data --listen 127.0.0.1:$port ${store_args[*]}"
  "$bin" serve --data-dir "$dir/data" --listen "127.0.0.1:$port" "${store_args[@]}" \
    --log-level "${PLATFORMD_LOG_LEVEL:-warning}" >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  wait_http "$server/livez" "$SERVER_PID" "$dir/server.log" || return 1
  for _ in $(seq 1 50); do [ -s "$dir/data/bootstrap-admin.key" ] && break; sleep 0.1; done
  [ -s "$dir/data/bootstrap-admin.key" ] || { echo "bench-registry: platformd wrote no $dir/data/bootstrap-admin.key" >&2; return 1; }
  key=$(tr -d '[:space:]' <"$dir/data/bootstrap-admin.key")

  # Is the registry there at all? GET /v2/ with the key must give 200 (spec end-1).
  code=$(curl -s -o "$dir/v2.body" -w '%{http_code}' -u "admin:$key" "$server/v2/" || echo 000)
  if [ "$code" != 200 ]; then
    echo "bench-registry: platformd: GET $server/v2/ (Basic admin:<bootstrap key>) answered HTTP $code, not 200:" >&2
    head -c 500 "$dir/v2.body" >&2; echo >&2
    echo "bench-registry: platformd ($bin) does not serve the OCI registry at /v2/ (yet?); rebuild it with the registry." >&2
    return 1
  fi

  api() {  # METHOD PATH JSON -> body on stdout; fails on a non-2xx answer
    local out code
    out=$(curl -sS -X "$1" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
      --data "$3" -w '\n%{http_code}' "$server$2") || return 1
    code=${out##*$'\n'}
    if [ "${code:0:1}" != 2 ]; then echo "bench-registry: platformd: $1 $2 -> HTTP $code: ${out%$'\n'*}" >&2; return 1; fi
    printf '%s' "${out%$'\n'*}"
  }
  json_id() { python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'; }
  tenant=$(api POST /v1/tenants '{"name":"bench"}' | json_id) || return 1
  project=$(api POST "/v1/tenants/$tenant/projects" '{"name":"bench"}' | json_id) || return 1
  repo="$(printf '%s' "$project" | tr '[:upper:]' '[:lower:]')/app"
  log "platformd: tenant $tenant, project $project, repository $repo"

  log "$target: RSS at rest $(vm_rss_mib "$SERVER_PID") MiB (before any push; tenant and project made)"
  local perf_pid=""
  if [ "${BENCH_PERF:-0}" = 1 ]; then
    perf record -q -F 499 -g -o "$dir/perf.data" -p "$SERVER_PID" >/dev/null 2>&1 &
    perf_pid=$!
  fi
  measure "$target" "127.0.0.1:$port" "$repo" "admin:$key" || return 1
  if [ -n "$perf_pid" ]; then
    kill -INT "$perf_pid" 2>/dev/null; wait "$perf_pid" 2>/dev/null || true
    log "$target: platformd's CPU during push and pull, by binary (perf, self time)"
    perf report -q -i "$dir/perf.data" --no-children --sort dso -g none --stdio 2>/dev/null | grep -v '^$' | head -12 >&2
    log "$target: by symbol (≥ 1 %)"
    perf report -q -i "$dir/perf.data" --no-children --sort dso,symbol -g none --percent-limit 1 --stdio 2>/dev/null \
      | grep -v '^$' | cut -c1-150 | head -30 >&2
  fi
  local rss; rss=$(vm_hwm_mib "$SERVER_PID")
  stop_server
  local note=$bin
  case "${1:-}" in s3) note="$bin on moto S3" ;; read) note="$bin --sendfile off" ;; esac
  record "$target" "$rss" "$note"
}

for target in $TARGETS; do
  case "$target" in
    distribution) bench_distribution || { FAILED+=(distribution); stop_server; } ;;
    platformd) bench_platformd || { FAILED+=(platformd); stop_server; } ;;
    platformd-read) bench_platformd read || { FAILED+=(platformd-read); stop_server; } ;;
    distribution-s3) bench_distribution s3 || { FAILED+=(distribution-s3); stop_server; } ;;
    platformd-s3) bench_platformd s3 || { FAILED+=(platformd-s3); stop_server; } ;;
    *) echo "bench-registry: unknown target $target" >&2; FAILED+=("$target") ;;
  esac
done

# --- report -----------------------------------------------------------------------------------
python3 - "$RESULTS" "$IMAGE_BYTES" "$SIZE_MB" "$RUNS" "$JSON_OUT" "${FAILED[*]:-}" <<'PY'
import json, os, platform, sys
path, image_bytes, size_mb, runs, json_out, failed = sys.argv[1:7]
rows = {}
raw_get = {}
raw_path = os.path.join(os.path.dirname(path), "raw-get.tsv")
if os.path.exists(raw_path):
    for line in open(raw_path):
        t, mibs = line.split()
        raw_get[t] = max(raw_get.get(t, 0.0), float(mibs))
for line in open(path):
    t, push_s, pull_s, push_mibs, pull_mibs, rss, note = line.rstrip("\n").split("\t")
    rows[t] = {"push_seconds": float(push_s), "pull_seconds": float(pull_s),
               "push_mib_per_s": float(push_mibs), "pull_mib_per_s": float(pull_mibs),
               "peak_rss_mib": float(rss), "server": note}
for t, r in rows.items():
    r["raw_get_mib_per_s"] = raw_get.get(t, 0.0)
print()
print(f"image: {int(image_bytes) / 1048576:.1f} MiB (requested {size_mb} MiB), best of {runs} run(s), "
      f"{os.cpu_count()} CPUs")
print(f"{'target':<14}{'push MiB/s':>12}{'pull MiB/s':>12}{'GET MiB/s':>12}{'peak RSS MiB':>14}  server")
for t, r in rows.items():
    print(f"{t:<14}{r['push_mib_per_s']:>12.1f}{r['pull_mib_per_s']:>12.1f}{r['raw_get_mib_per_s']:>12.1f}{r['peak_rss_mib']:>14.1f}  {r['server']}")
ratios = None
if "platformd" in rows and "distribution" in rows:
    p, d = rows["platformd"], rows["distribution"]
    ratios = {"push": p["push_mib_per_s"] / d["push_mib_per_s"],
              "pull": p["pull_mib_per_s"] / d["pull_mib_per_s"],
              "raw_get": p["raw_get_mib_per_s"] / d["raw_get_mib_per_s"] if d["raw_get_mib_per_s"] else 0.0,
              "peak_rss": p["peak_rss_mib"] / d["peak_rss_mib"]}
    print(f"{'ratio p/d':<14}{ratios['push']:>12.2f}{ratios['pull']:>12.2f}{ratios['raw_get']:>12.2f}{ratios['peak_rss']:>14.2f}  platformd / distribution")
if "platformd-read" in rows and "platformd" in rows and rows["platformd-read"]["raw_get_mib_per_s"]:
    z, r = rows["platformd"], rows["platformd-read"]
    print(f"{'sendfile/read':<14}{z['push_mib_per_s'] / r['push_mib_per_s']:>12.2f}{z['pull_mib_per_s'] / r['pull_mib_per_s']:>12.2f}"
          f"{z['raw_get_mib_per_s'] / r['raw_get_mib_per_s']:>12.2f}{z['peak_rss_mib'] / r['peak_rss_mib']:>14.2f}  platformd / platformd --sendfile off")
if "platformd-s3" in rows and "distribution-s3" in rows:
    p, d = rows["platformd-s3"], rows["distribution-s3"]
    s3 = {"push": p["push_mib_per_s"] / d["push_mib_per_s"], "pull": p["pull_mib_per_s"] / d["pull_mib_per_s"],
          "raw_get": p["raw_get_mib_per_s"] / d["raw_get_mib_per_s"] if d["raw_get_mib_per_s"] else 0.0,
          "peak_rss": p["peak_rss_mib"] / d["peak_rss_mib"]}
    print(f"{'ratio s3 p/d':<14}{s3['push']:>12.2f}{s3['pull']:>12.2f}{s3['raw_get']:>12.2f}{s3['peak_rss']:>14.2f}  platformd-s3 / distribution-s3")
    ratios = dict(ratios or {}, s3=s3)
for t in failed.split():
    print(f"{t:<14}{'FAILED':>12}{'FAILED':>12}{'-':>14}")
if json_out:
    doc = {"image_bytes": int(image_bytes), "size_mb": int(size_mb), "runs": int(runs),
           "cpus": os.cpu_count(), "host": platform.node(), "targets": rows,
           "ratios_platformd_over_distribution": ratios, "failed": failed.split()}
    with open(json_out, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print(f"\nJSON written to {json_out}")
PY

if [ "${#FAILED[@]}" -gt 0 ]; then
  echo "bench-registry: failed: ${FAILED[*]}" >&2
  exit 1
fi
