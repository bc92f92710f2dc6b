# image-lib.sh: sourced by examples/<app>/build-image.sh to build an app image on the shared
# Debian base (build-base.sh) with the app's pinned wheels as a second layer.
#
#   . "$repo/examples/app-base/image-lib.sh"
#   app_image_begin OUT TAG          # OUT := base layout tagged TAG; unpacked at $APP_ROOT
#   wheels=$(app_wheels_fetch LOCK)  # the LOCK's wheels, downloaded once into the cache
#   app_wheels_install LOCK "$wheels" /opt/APP/lib   # pip --no-deps inside the image, pyc
#   ...write more files under $APP_ROOT...
#   app_image_commit OUT TAG "examples/APP/build-image.sh" "what the layer holds"
#   umoci config --image OUT:TAG ...  # the app's env, cmd, labels (pass --created "$APP_CREATED")
#   app_image_finish OUT TAG         # gc; prints the manifest digest (last stdout line)
#
# Why: one base layer (identical digest for every app on a machine) and one app layer, both
# with times pinned to SOURCE_DATE_EPOCH (default 0) and byte-compiled with unchecked-hash
# pycs (no source times in them; the root file system is read-only at run time, so Python
# could never write them there), so the same base, lock file and script give the same digest.
# pip runs inside the image (chroot) with the image's own python3, so scripts' shebangs and
# installed paths are the image's, not the build machine's. Needs root (chroot, umoci unpack).
# Cache: ${PLATFORM_IMAGE_CACHE:-/var/cache/platform-images}/wheels/<sha256 of the lock file>.

APP_EPOCH=${SOURCE_DATE_EPOCH:-0}
APP_CACHE=${PLATFORM_IMAGE_CACHE:-/var/cache/platform-images}
APP_CREATED=$(date -u -d "@$APP_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
APP_PIP_VERSION=24.2   # runs inside the image to install the wheels; not left in it
APP_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# app_image_begin OUT TAG: OUT must not exist or be empty. Sets APP_WORK and APP_ROOT.
app_image_begin() {
  local out=$1 tag=$2 base
  [[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$ ]] || { echo "error: '$tag' is not a valid OCI tag" >&2; return 2; }
  [[ "$APP_EPOCH" =~ ^[0-9]+$ ]] || { echo "error: SOURCE_DATE_EPOCH must be whole seconds" >&2; return 2; }
  [ "$(id -u)" = 0 ] || { echo "error: building an app image needs root (chroot, umoci unpack)" >&2; return 1; }
  if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then echo "error: $out exists and is not empty" >&2; return 1; fi
  base=$("$APP_LIB_DIR/build-base.sh" | tail -n 1)
  APP_WORK=$(mktemp -d "${TMPDIR:-/tmp}/app-image.XXXXXX")
  trap 'rm -rf "$APP_WORK"' EXIT
  mkdir -p "$out"
  cp -a "$base/." "$out/"
  umoci tag --image "$out:bookworm" "$tag"
  umoci rm --image "$out:bookworm"
  umoci unpack --image "$out:$tag" "$APP_WORK/bundle" >/dev/null
  APP_ROOT=$APP_WORK/bundle/rootfs
}

# app_wheels_fetch LOCK: prints the folder holding exactly LOCK's wheels (hash-checked).
app_wheels_fetch() {
  local lock=$1 key dir
  key=$( { sha256sum <"$lock"; echo "pip==$APP_PIP_VERSION"; } | sha256sum | cut -c1-16)
  dir=$APP_CACHE/wheels/$key
  if [ ! -f "$dir/.complete" ]; then
    mkdir -p "$dir.partial"
    echo "==> pip download ($(grep -c '^[A-Za-z0-9]' "$lock") pinned wheels) into $dir" >&2
    # --platform/--python-version: the image's CPython 3.11 on x86_64, whatever runs this.
    python3 -m pip download -q --disable-pip-version-check --require-hashes --no-deps --only-binary=:all: \
      --python-version 3.11 --implementation cp --abi cp311 \
      --platform manylinux_2_36_x86_64 --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 \
      --platform manylinux2014_x86_64 --platform manylinux1_x86_64 \
      -d "$dir.partial" -r "$lock" >&2
    python3 -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
      -d "$dir.partial/pip" "pip==$APP_PIP_VERSION" >&2
    rm -rf "$dir"; mv "$dir.partial" "$dir"; touch "$dir/.complete"
  fi
  echo "$dir"
}

# app_wheels_install LOCK WHEELS TARGET: pip install --no-deps --no-index LOCK's wheels into
# TARGET (a path inside the image, put on PYTHONPATH by the app's config), then pycs.
app_wheels_install() {
  local lock=$1 wheels=$2 target=$3 pipwheel
  pipwheel=$(ls "$wheels"/pip/pip-*.whl)
  mkdir -p "$APP_ROOT/tmp/wheels" "$APP_ROOT$target"
  cp "$wheels"/*.whl "$pipwheel" "$lock" "$APP_ROOT/tmp/wheels/"
  chroot "$APP_ROOT" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 SOURCE_DATE_EPOCH="$APP_EPOCH" \
    python3 "/tmp/wheels/$(basename "$pipwheel")/pip" install -q --disable-pip-version-check --root-user-action=ignore --no-cache-dir \
    --no-deps --no-index --find-links /tmp/wheels --no-compile --require-hashes \
    --target "$target" -r "/tmp/wheels/$(basename "$lock")" >&2
  rm -rf "$APP_ROOT/tmp/wheels"
  chroot "$APP_ROOT" /usr/bin/env -i PATH=/usr/bin:/bin LANG=C.UTF-8 \
    python3 -m compileall -q -j 1 --invalidation-mode unchecked-hash "$target" >/dev/null || true
}

# app_image_commit OUT TAG CREATED_BY COMMENT: pins every time and packs the changes as a layer.
app_image_commit() {
  local out=$1 tag=$2 by=$3 comment=$4
  find "$APP_ROOT" -exec touch -h -d "@$APP_EPOCH" {} +
  umoci repack --image "$out:$tag" --history.created "$APP_CREATED" --history.created_by "$by" \
    --history.comment "$comment" "$APP_WORK/bundle"
}

# app_image_finish OUT TAG: drops superseded blobs; prints OUT:TAG's manifest digest.
app_image_finish() {
  local out=$1 tag=$2
  umoci gc --layout "$out"
  python3 - "$out" "$tag" <<'PY'
import json, sys
layout, tag = sys.argv[1], sys.argv[2]
index = json.load(open(f"{layout}/index.json"))
for m in index.get("manifests", []):
    if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag:
        print(m["digest"]); break
else:
    sys.exit(f"error: tag {tag} not found in {layout}/index.json")
PY
}
