#!/usr/bin/env bash
# scripts/smtp/receiver.sh python|serve PORT DIR [RCPT_REPLY]
#
# The SMTP receiver the email tests send to (receiver.py): PyPI `aiosmtpd`, pinned below,
# from a virtual environment (SMTP_VENV, default ~/.cache/platform/smtp-aiosmtpd-<version>)
# created on first use.
#   python  make sure the venv exists and print its python as the last line
#   serve   run the receiver on 127.0.0.1:PORT, saving each message in DIR (.eml and .json)
set -euo pipefail
cd "$(dirname "$0")/../.."

AIOSMTPD_VERSION=1.4.6
VENV="${SMTP_VENV:-${HOME:-/root}/.cache/platform/smtp-aiosmtpd-$AIOSMTPD_VERSION}"

# shellcheck source=scripts/lib/pinned-venv.sh
. scripts/lib/pinned-venv.sh
ensure_venv() { ensure_pinned_venv "$VENV" aiosmtpd "$AIOSMTPD_VERSION"; }

case "${1:-}" in
  python) ensure_venv; echo "$VENV/bin/python" ;;
  serve)
    [ $# -ge 3 ] || { echo "usage: scripts/smtp/receiver.sh serve PORT DIR [RCPT_REPLY]" >&2; exit 2; }
    ensure_venv
    shift
    exec "$VENV/bin/python" -u scripts/smtp/receiver.py "$@" ;;
  *) echo "usage: scripts/smtp/receiver.sh python|serve PORT DIR [RCPT_REPLY]" >&2; exit 2 ;;
esac
