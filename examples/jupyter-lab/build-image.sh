#!/usr/bin/env bash
# build-image.sh OUT_DIR [TAG]
#
# Builds JupyterLab (default TAG 4.2.5) as an OCI image layout at OUT_DIR, with umoci:
#
#   layer 1   the shared Debian bookworm base (examples/app-base/build-base.sh: mmdebstrap
#             minbase + python3 + ca-certificates), identical for every catalog app
#   layer 2   /opt/jupyter-lab/lib          every wheel of requirements.lock (JupyterLab 4.2.5,
#                                           jupyter_server, ipykernel, ...), pip --no-deps, pycs
#             /usr/local/bin/start-jupyter-lab   the entry command (start.sh)
#             /home/jovyan                  the notebook folder: the manifest mounts its
#                                           persistent `home` volume here
#
# Config: PYTHONPATH=/opt/jupyter-lab/lib, HOME=/home/jovyan, JUPYTER_* folders under /tmp
# (the root is read-only at run time: the app writes only to HOME and /tmp), cmd
# start-jupyter-lab, which listens on $PORT_LAB (default 8888) and takes its token from
# JUPYTER_TOKEN (or the file JUPYTER_TOKEN_FILE). See README.md.
#
# Deterministic: the base is cached per machine, the wheels are pinned by hash, pycs are
# unchecked-hash, every time is SOURCE_DATE_EPOCH (default 0): the same inputs give the same
# manifest digest. Prints that digest (sha256:...) on the last line of stdout.
# Needs root, mmdebstrap, umoci, python3 with pip (downloads), network to deb.debian.org and
# PyPI on a cold cache (${PLATFORM_IMAGE_CACHE:-/var/cache/platform-images}).
set -euo pipefail

usage() { echo "usage: $0 OUT_DIR [TAG]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
out=$1
tag=${2:-4.2.5}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for tool in umoci python3 chroot; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool not found (see scripts/install-deps.sh)" >&2; exit 1; }
done
# shellcheck source=../app-base/image-lib.sh
. "$here/../app-base/image-lib.sh"

app_image_begin "$out" "$tag"
wheels=$(app_wheels_fetch "$here/requirements.lock")
app_wheels_install "$here/requirements.lock" "$wheels" /opt/jupyter-lab/lib
install -D -m 0755 "$here/start.sh" "$APP_ROOT/usr/local/bin/start-jupyter-lab"
mkdir -p "$APP_ROOT/home/jovyan"
app_image_commit "$out" "$tag" "examples/jupyter-lab/build-image.sh" \
  "JupyterLab $(grep -o '^jupyterlab==[^ ]*' "$here/requirements.lock") and its pinned dependencies"

umoci config --image "$out:$tag" --no-history --created "$APP_CREATED" --author "platform-team" \
  --os linux --architecture amd64 \
  --config.env PATH=/opt/jupyter-lab/lib/bin:/usr/local/bin:/usr/bin:/bin \
  --config.env PYTHONPATH=/opt/jupyter-lab/lib \
  --config.env LANG=C.UTF-8 --config.env HOME=/home/jovyan \
  --config.env PYTHONDONTWRITEBYTECODE=1 \
  --config.env JUPYTER_RUNTIME_DIR=/tmp/jupyter/runtime --config.env JUPYTER_DATA_DIR=/tmp/jupyter/data \
  --config.env JUPYTER_CONFIG_DIR=/tmp/jupyter/config --config.env IPYTHONDIR=/tmp/jupyter/ipython \
  --config.workingdir /home/jovyan \
  --config.exposedports 8888/tcp --config.stopsignal SIGTERM \
  --config.cmd /usr/local/bin/start-jupyter-lab \
  --config.label org.opencontainers.image.title=jupyter-lab \
  --config.label "org.opencontainers.image.version=$tag" \
  --config.label "org.opencontainers.image.description=JupyterLab with a Python 3 kernel on Debian bookworm" \
  --manifest.annotation org.opencontainers.image.title=jupyter-lab \
  --manifest.annotation "org.opencontainers.image.version=$tag" \
  --manifest.annotation "org.opencontainers.image.created=$APP_CREATED"
app_image_finish "$out" "$tag"
