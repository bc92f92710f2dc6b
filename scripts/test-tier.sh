#!/usr/bin/env bash
# Prints a `swift test --filter`/`--skip` regex naming every suite and test tagged TAG
# (Swift Testing tags, declared in Tests/PlatformTestKit/TestTiers.swift), for the test
# tiers of scripts/test.sh. `swift test` in Swift 6.3 cannot filter by tag (`--filter
# tag:NAME` matches nothing), so the tags are read from `swift test list`'s event stream
# (the `_tags` field it writes when SWT_EXPERIMENTAL_EVENT_STREAM_FIELDS_ENABLED is set).
# Needs the tests built (`swift build --build-tests`). Fails when nothing carries the tag,
# so a toolchain that stops writing `_tags` cannot silently move every suite into one phase.
#   usage: scripts/test-tier.sh integration
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
tag="${1:?usage: scripts/test-tier.sh TAG}"
events="$(mktemp)"
trap 'rm -f "$events"' EXIT
SWT_EXPERIMENTAL_EVENT_STREAM_FIELDS_ENABLED=1 \
  swift test list --skip-build --event-stream-output-path "$events" --event-stream-version 0 >/dev/null
python3 - "$events" "$tag" <<'PY'
import json, re, sys
events, tag = sys.argv[1], "." + sys.argv[2]
names = set()
for line in open(events):
    record = json.loads(line)
    test = record.get("payload", {})
    if record.get("kind") == "test" and tag in test.get("_tags", []):
        # A function's id ends in its source location (`/File.swift:12:5`); filters match without it.
        names.add(re.sub(r"/[^/]*:\d+:\d+$", "", test["id"]))
if not names:
    sys.exit(f"scripts/test-tier.sh: no suite or test is tagged {tag} (does `swift test list` still write _tags?)")
print("^(" + "|".join(re.escape(name) for name in sorted(names)) + ")(/|$)")
PY
