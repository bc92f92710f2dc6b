#!/usr/bin/env bash
# scripts/webhooks/receiver.sh python|serve PORT SECRET RECORD [STATUS] [FAIL_FIRST]
#
# The Standard Webhooks reference receiver the webhook tests deliver to (receiver.py): it
# verifies with the PyPI `standardwebhooks` library, pinned below, from a virtual environment
# (WEBHOOKS_VENV, default ~/.cache/platform/webhooks-standardwebhooks-<version>) created on
# first use.
#   python  make sure the venv exists and print its python as the last line
#   serve   run the receiver on 127.0.0.1:PORT, recording each delivery in RECORD (JSON lines)
set -euo pipefail
cd "$(dirname "$0")/../.."

STANDARDWEBHOOKS_VERSION=1.3.0
VENV="${WEBHOOKS_VENV:-${HOME:-/root}/.cache/platform/webhooks-standardwebhooks-$STANDARDWEBHOOKS_VERSION}"

# shellcheck source=scripts/lib/pinned-venv.sh
. scripts/lib/pinned-venv.sh
ensure_venv() { ensure_pinned_venv "$VENV" standardwebhooks "$STANDARDWEBHOOKS_VERSION"; }

case "${1:-}" in
  python) ensure_venv; echo "$VENV/bin/python" ;;
  serve)
    [ $# -ge 4 ] || { echo "usage: scripts/webhooks/receiver.sh serve PORT SECRET RECORD [STATUS] [FAIL_FIRST]" >&2; exit 2; }
    ensure_venv
    shift
    exec "$VENV/bin/python" -u scripts/webhooks/receiver.py "$@" ;;
  *) echo "usage: scripts/webhooks/receiver.sh python|serve PORT SECRET RECORD [STATUS] [FAIL_FIRST]" >&2; exit 2 ;;
esac
