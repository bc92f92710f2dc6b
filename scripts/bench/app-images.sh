#!/usr/bin/env bash
# app-images.sh: image size and cold/warm start figures of the example apps (a benchmark, not
# a test; not run in CI).
#
# For each app (default: gpu-echo jupyter-lab tensorboard finetune-job; an app without
# examples/APP/build-image.sh or manifests/apps/APP.yaml is skipped with a note) it:
#   1. takes the image's OCI layout from .build/app-images/APP-TAG (what the tests' AppImages
#      built) or builds it there (scripts/images/app-layout.sh);
#   2. starts a FRESH platformd (own data folder, SQLite, local runc adapter), so the local
#      adapter's image cache (DATA/runtime/local/images/<digest>/rootfs, one unpacked rootfs
#      per image digest, shared by every later instance of it) is empty;
#   3. publishes the app with examples/publish.sh --layout (to promoted:staging) and sets a
#      random value for each secret its manifest names;
#   4. launches it on the local adapter (`gpus: 0`) and times launch -> ready: COLD, the first
#      launch after the push, which unpacks the image from the content store (the script
#      checks that no unpacked rootfs existed before); stops it; launches it again: WARM, the
#      rootfs is already unpacked (checked too). A job (`mode: job`) is timed to `running`.
#
# Columns: image bytes = the image manifest's config + layers as stored (compressed);
# rootfs bytes = the unpacked rootfs on disk (du --apparent-size); cold/warm = seconds from
# the launch request to the phase, by the server's own event times (client-polled in brackets).
#
# Usage: scripts/bench/app-images.sh [APP...]
# Environment: PLATFORMD_BIN, APPCTL_BIN (see scripts/bench/common.sh), BENCH_KEEP=1 keeps
# the folder. Needs: runc, umoci, bwrap, curl, python3 (scripts/install-deps.sh), root.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH_NAME=app-images
. scripts/bench/common.sh
bench_binaries
bench_require runc umoci bwrap curl python3
[ $# -gt 0 ] || set -- gpu-echo jupyter-lab tensorboard finetune-job

ROOT_WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-app-images.XXXXXX")
SERVER_PID=""
WORK=""
stop_server() {
  [ -n "$SERVER_PID" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  [ -z "$WORK" ] || bench_kill_containers
}
cleanup() {
  stop_server
  sleep 1
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "app-images: kept $ROOT_WORK" >&2; else rm -rf "$ROOT_WORK"; fi
}
trap cleanup EXIT

results=$ROOT_WORK/results.jsonl
: >"$results"
note() { python3 -c 'import json,sys; print(json.dumps({"app": sys.argv[1], "note": sys.argv[2]}))' "$1" "$2" >>"$results"; echo "app-images: $1: $2" >&2; }

for app in "$@"; do
  manifest=manifests/apps/$app.yaml
  if [ ! -r "examples/$app/build-image.sh" ] || [ ! -r "$manifest" ]; then
    note "$app" "skipped: no examples/$app/build-image.sh or $manifest in this checkout"; continue
  fi
  tag=$(python3 -c 'import sys,yaml; r=yaml.safe_load(open(sys.argv[1]))["artifact"]["reference"]; print(r.rsplit(":",1)[1] if ":" in r.rsplit("/",1)[-1] else "latest")' "$manifest")
  layout=.build/app-images/$app-$tag
  if [ ! -r "$layout/index.json" ]; then echo "==> building $app:$tag into $layout" >&2; fi
  if ! bash scripts/images/app-layout.sh "$app" "$tag" >/dev/null; then
    note "$app" "skipped: build-image.sh failed (log $layout.log)"; continue
  fi

  WORK=$ROOT_WORK/$app
  mkdir -p "$WORK"
  bench_start_platformd
  # Fresh server, so the image cache must be empty now: the first launch is a cold one.
  tenant=$(curl -sf -H "Authorization: Bearer $TOKEN" -d '{"name":"bench"}' "$BASE/v1/tenants" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  PROJECT=$(curl -sf -H "Authorization: Bearer $TOKEN" -d '{"name":"bench"}' "$BASE/v1/tenants/$tenant/projects" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  echo "==> publishing $app:$tag in $PROJECT" >&2
  if ! APPCTL=$APPCTL_BIN APPCTL_SERVER=$BASE APPCTL_TOKEN=$TOKEN HOME=$WORK APPCTL_CONFIG=$WORK/appctl.yaml \
      bash examples/publish.sh --app "$app" --layout "$layout" --tag "$tag" --project "$PROJECT" --key "$WORK/signing.pem" \
      --to staging >"$WORK/publish.log" 2>&1; then
    tail -5 "$WORK/publish.log" >&2
    note "$app" "skipped: publish.sh failed (log $WORK/publish.log)"; stop_server; continue
  fi
  echo "==> $app: cold launch, then warm launch (local adapter)" >&2
  if ! python3 scripts/bench/app_images.py --base "$BASE" --token "$TOKEN" --project "$PROJECT" --app "$app" \
      --manifest "$manifest" --layout "$layout" --tag "$tag" --data "$WORK/data" >>"$results"; then
    note "$app" "failed: see above"
  fi
  stop_server
done

python3 scripts/bench/app_images.py --table "$results"
