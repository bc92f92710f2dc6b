#!/usr/bin/env bash
# build-image.sh OUT_DIR [TAG]
#
# Builds the finetune-job catalog app as an OCI image layout at OUT_DIR, tagged TAG (default
# 1.0.0): the shared Debian bookworm base (examples/app-base/build-base.sh: minbase + python3)
# and ONE app layer with
#
#   /opt/finetune-job/lib       requirements.lock's wheels (tensorboardX, numpy, protobuf,
#                               packaging), pip --no-deps inside the image, unchecked-hash pycs
#   /opt/finetune-job/train.py  the job (see that file): trains a small MLP with numpy,
#                               checkpoints to /data atomically, resumes, writes TensorBoard events
#
# Config: PYTHONPATH=/opt/finetune-job/lib, PYTHONUNBUFFERED=1 (the platform's log shows each
# step as it happens), PYTHONDONTWRITEBYTECODE=1 (the root file system is read-only at run
# time), cmd `python3 /opt/finetune-job/train.py`, which is also the manifest's command.
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
tag=${2:-1.0.0}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for src in train.py requirements.lock; do
  [ -r "$here/$src" ] || { echo "error: $here/$src is missing" >&2; exit 1; }
done
# shellcheck source=../app-base/image-lib.sh
. "$here/../app-base/image-lib.sh"

app_image_begin "$out" "$tag"
wheels=$(app_wheels_fetch "$here/requirements.lock")
app_wheels_install "$here/requirements.lock" "$wheels" /opt/finetune-job/lib
install -m 0644 "$here/train.py" "$APP_ROOT/opt/finetune-job/train.py"
app_image_commit "$out" "$tag" "examples/finetune-job/build-image.sh" \
  "finetune-job: train.py and its pinned wheels (tensorboardX, numpy) under /opt/finetune-job"
umoci config --image "$out:$tag" --no-history --created "$APP_CREATED" --author "ml-training" \
  --os linux --architecture amd64 \
  --config.env PYTHONPATH=/opt/finetune-job/lib --config.env PYTHONUNBUFFERED=1 \
  --config.env PYTHONDONTWRITEBYTECODE=1 \
  --config.workingdir / --config.stopsignal SIGTERM \
  --config.cmd python3 --config.cmd /opt/finetune-job/train.py \
  --config.label org.opencontainers.image.title=finetune-job \
  --config.label "org.opencontainers.image.version=$tag" \
  --config.label "org.opencontainers.image.description=A small CPU training job: checkpoints to a volume, resumes, writes TensorBoard events" \
  --manifest.annotation org.opencontainers.image.title=finetune-job \
  --manifest.annotation "org.opencontainers.image.version=$tag" \
  --manifest.annotation "org.opencontainers.image.created=$APP_CREATED"
app_image_finish "$out" "$tag"
