#!/usr/bin/env bash
# build-image.sh OUT_DIR [TAG]
#
# Builds the tensorboard catalog app as an OCI image layout at OUT_DIR, tagged TAG (default
# 2.18.0): the shared Debian bookworm base (examples/app-base/build-base.sh: minbase +
# python3) and ONE app layer with
#
#   /opt/tensorboard/lib   requirements.lock's wheels (TensorBoard 2.18.0 from PyPI and every
#                          package it needs), pip --no-deps inside the image, unchecked-hash pycs
#   /etc/hosts             localhost (unless the base has one): TensorBoard resolves it at start
#
# Config: PYTHONPATH=/opt/tensorboard/lib, PYTHONDONTWRITEBYTECODE=1 (the root file system is
# read-only at run time), HOME=/tmp (TensorBoard keeps its instance info under a temp
# folder), cmd `python3 -m tensorboard.main --logdir /data/runs --host 0.0.0.0 --port 6006
# --load_fast=false`. The manifest passes the port the platform allocated instead.
#
# Deterministic: every time is pinned to SOURCE_DATE_EPOCH (default 0) and the pycs carry no
# source times, so the same base layout (cached per machine), lock file and script give the
# same manifest digest. Prints the manifest digest (sha256:...) last on stdout.
# Needs root (chroot, umoci unpack), umoci, python3 with pip (downloads into
# ${PLATFORM_IMAGE_CACHE:-/var/cache/platform-images}/wheels once), and what build-base.sh needs.
set -euo pipefail

usage() { echo "usage: $0 OUT_DIR [TAG]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
out=$1
tag=${2:-2.18.0}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ -r "$here/requirements.lock" ] || { echo "error: $here/requirements.lock is missing" >&2; exit 1; }
# shellcheck source=../app-base/image-lib.sh
. "$here/../app-base/image-lib.sh"

app_image_begin "$out" "$tag"
wheels=$(app_wheels_fetch "$here/requirements.lock")
app_wheels_install "$here/requirements.lock" "$wheels" /opt/tensorboard/lib
# pip's console scripts name this build's interpreter path; the app runs `python3 -m`.
rm -rf "$APP_ROOT/opt/tensorboard/lib/bin"
# TensorBoard checks its port by connecting to "localhost"; minbase ships no /etc/hosts and
# the Slurm adapter's sandbox shows the image's own /etc.
[ -e "$APP_ROOT/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$APP_ROOT/etc/hosts"
app_image_commit "$out" "$tag" "examples/tensorboard/build-image.sh" \
  "tensorboard $tag and its pinned wheels under /opt/tensorboard/lib"
umoci config --image "$out:$tag" --no-history --created "$APP_CREATED" --author "ml-training" \
  --os linux --architecture amd64 \
  --config.env PYTHONPATH=/opt/tensorboard/lib --config.env PYTHONDONTWRITEBYTECODE=1 \
  --config.env HOME=/tmp \
  --config.workingdir / --config.stopsignal SIGTERM --config.exposedports 6006/tcp \
  --config.cmd python3 --config.cmd -m --config.cmd tensorboard.main \
  --config.cmd --logdir --config.cmd /data/runs --config.cmd --host --config.cmd 0.0.0.0 \
  --config.cmd --port --config.cmd 6006 --config.cmd --load_fast=false \
  --config.label org.opencontainers.image.title=tensorboard \
  --config.label "org.opencontainers.image.version=$tag" \
  --config.label "org.opencontainers.image.description=TensorBoard over the event files of a project volume" \
  --manifest.annotation org.opencontainers.image.title=tensorboard \
  --manifest.annotation "org.opencontainers.image.version=$tag" \
  --manifest.annotation "org.opencontainers.image.created=$APP_CREATED"
app_image_finish "$out" "$tag"
