#!/bin/sh
# start-jupyter-lab: the image's entry command. Runs JupyterLab on 0.0.0.0:$PORT_LAB (the
# port the platform allocated for the manifest's `lab` endpoint; default 8888), serving
# $HOME (the persistent `home` volume). Extra arguments go to `jupyter lab` as they are.
#
# Token: $JUPYTER_TOKEN (jupyter_server reads it itself), else the contents of
# $JUPYTER_TOKEN_FILE (a platform secret delivered as a file). Without either it refuses to
# start: an unauthenticated notebook server is a shell for anyone who reaches it.
#
# --allow-root: the process is uid 0 of its own user namespace (an unprivileged host uid).
# allow_origin '*': the platform's connect proxy is the only way in and checks the Origin of
# WebSocket upgrades itself; the browser's origin is the platform's, never the instance's.
set -eu
if [ -z "${JUPYTER_TOKEN:-}" ] && [ -n "${JUPYTER_TOKEN_FILE:-}" ]; then
  JUPYTER_TOKEN=$(cat "$JUPYTER_TOKEN_FILE")
  export JUPYTER_TOKEN
fi
[ -n "${JUPYTER_TOKEN:-}" ] || { echo "start-jupyter-lab: JUPYTER_TOKEN (or JUPYTER_TOKEN_FILE) is required" >&2; exit 64; }
mkdir -p "${JUPYTER_RUNTIME_DIR:-/tmp/jupyter/runtime}" "$HOME"
# The manifest passes --port=${ports.lab}; only without one does $PORT_LAB (or 8888) apply
# (Jupyter refuses a port given twice).
port="--port=${PORT_LAB:-8888}"
for arg in "$@"; do
  case $arg in --port=*|--port|--ServerApp.port=*|--ServerApp.port) port="" ;; esac
done
exec python3 -m jupyterlab --no-browser --allow-root --ip=0.0.0.0 ${port:+"$port"} \
  --ServerApp.root_dir="$HOME" --ServerApp.allow_origin='*' --ServerApp.port_retries=0 \
  --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate --LabServerApp.workspaces_dir=/tmp/jupyter/workspaces \
  "$@"
