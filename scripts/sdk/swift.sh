#!/usr/bin/env bash
# scripts/sdk/swift.sh smoke
#
# The Swift SDK is the PlatformClient library product (Sources/PlatformClient over the typed
# endpoints of Sources/PlatformAPI); appctl makes every /v1 call through it. Being compiled
# against the same endpoint table as the server, it cannot drift from it: a changed path or
# type breaks the build. What is left to check is that it works against a live server:
#   smoke     run examples/swift/Onboarding (the `swift-sdk-onboarding` executable) against a
#             fresh platformd: authenticate, tenant and project, service account and key, then
#             as that key register gpu-echo and list the catalog, launch it after
#             examples/gpu-echo/publish.sh put its artifact at staging, wait ready, read its
#             events, stop it (needs `swift build`: platformd, appctl, swift-sdk-onboarding;
#             launching needs runc and umoci, else the program stops after the catalog and says so)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
# shellcheck source=scripts/sdk/platformd.sh
. scripts/sdk/platformd.sh

mode="${1:-smoke}"
case "$mode" in
  smoke)
    BIN="${PLATFORMD_BIN_DIR:-$(swift build --show-bin-path)}"
    [ -x "$BIN/platformd" ] || { echo "error: $BIN/platformd is missing; run swift build first" >&2; exit 1; }
    if [ ! -x "$BIN/swift-sdk-onboarding" ]; then
      echo "==> swift build --product swift-sdk-onboarding"
      timeout 600 swift build --product swift-sdk-onboarding
    fi
    WORK="${SDK_SMOKE_WORK:-$(mktemp -d /tmp/sdk-swift-smoke.XXXXXX)}"
    start_platformd "$BIN" "$WORK"
    launch=()
    # Launching needs the gpu-echo artifact published (appctl, umoci) and runc to run it.
    if [ -x "$BIN/appctl" ] && command -v runc >/dev/null 2>&1 && command -v umoci >/dev/null 2>&1; then
      launch=(--appctl "$BIN/appctl")
    fi
    echo "==> examples/swift/Onboarding (swift-sdk-onboarding) on $SERVER (work folder $WORK)"
    rc=0
    # Every step bounds itself (15 s; publish 75 s; each wait 35 s); this bounds the whole.
    timeout 150 "$BIN/swift-sdk-onboarding" --server "$SERVER" --admin-key-file "$WORK/data/bootstrap-admin.key" \
      --work "$WORK" --root "$PWD" ${launch[@]+"${launch[@]}"} || rc=$?
    finish_smoke "Swift SDK" "$rc"
    ;;
  *)
    echo "usage: scripts/sdk/swift.sh smoke" >&2; exit 2 ;;
esac
