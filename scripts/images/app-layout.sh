#!/usr/bin/env bash
# Builds the catalog image APP (examples/APP/build-image.sh, from real packages) into the
# OCI layout .build/app-images/APP-TAG, unless this checkout already has it; prints the
# layout's path. TAG defaults to the tag of manifests/apps/APP.yaml's artifact reference.
# Callers at once (the tests' AppImages, scripts/test.sh's prebuild, the app-images bench)
# are serialized by flock on .build/app-images/APP.lock; the script builds into a fresh
# .partial folder and a rename publishes it whole, so a failed build leaves no layout.
# The build's log is .build/app-images/APP-TAG.log.
#   usage: scripts/images/app-layout.sh APP [TAG]
set -euo pipefail
cd "$(dirname "$0")/../.."
app="${1:?usage: scripts/images/app-layout.sh APP [TAG]}"
tag="${2:-}"
if [ -z "$tag" ]; then
  tag=$(python3 -c 'import sys,yaml; r=yaml.safe_load(open(sys.argv[1]))["artifact"]["reference"]; print(r.rsplit(":",1)[1] if ":" in r.rsplit("/",1)[-1] else "latest")' "manifests/apps/$app.yaml")
fi
folder=$PWD/.build/app-images
layout=$folder/$app-$tag
mkdir -p "$folder"
flock "$folder/$app.lock" bash -c '
  set -e
  [ -f "$1/index.json" ] && exit 0
  rm -rf "$1.partial"
  bash "$2" "$1.partial" "$3" >"$1.log" 2>&1
  mv "$1.partial" "$1"' app-layout "$layout" "examples/$app/build-image.sh" "$tag"
echo "$layout"
