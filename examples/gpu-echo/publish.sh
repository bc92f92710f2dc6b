#!/usr/bin/env bash
# publish.sh --project TENANT/PROJECT [options]
#
# Publishes gpu-echo: examples/publish.sh --app gpu-echo with the same options (see its --help).
# Kept so the tests, scripts/demo.sh, the SDK and bench scripts and the onboarding guide that
# run examples/gpu-echo/publish.sh keep working; gpu-echo's own smoke test and inventory are
# examples/gpu-echo/smoke.sh and inventory.sh, which the generic script picks up.
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../publish.sh" --app gpu-echo "$@"
