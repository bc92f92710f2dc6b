#!/usr/bin/env bash
# Prints a `swift test --filter`/`--skip` regex naming every suite and test that carries
# every TAG given (A,B: either) and none of the -TAGs (Swift Testing tags, declared in
# Tests/PlatformTestKit/TestTiers.swift), for the test tiers and lanes of scripts/test.sh.
# `swift test` in Swift 6.3 cannot filter by tag (`--filter tag:NAME` matches nothing), so
# the tags are read from `swift test list`'s event stream (the `_tags` field it writes when
# SWT_EXPERIMENTAL_EVENT_STREAM_FIELDS_ENABLED is set).
# Needs the tests built (`swift build --build-tests`). Fails when nothing matches, so a
# toolchain that stops writing `_tags` cannot silently move every suite into one phase.
#   usage: scripts/test-tier.sh TAG[,TAG...] [TAG[,TAG...]|-TAG ...]
#   e.g.   scripts/test-tier.sh integration            (the whole integration tier)
#          scripts/test-tier.sh integration slurm,appImages
#          scripts/test-tier.sh integration -slurm -appImages -timing
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
[ $# -gt 0 ] || { echo "usage: scripts/test-tier.sh TAG[,TAG...] [TAG[,TAG...]|-TAG ...]" >&2; exit 64; }
events="$(mktemp)"
trap 'rm -f "$events"' EXIT
SWT_EXPERIMENTAL_EVENT_STREAM_FIELDS_ENABLED=1 \
  swift test list --skip-build --event-stream-output-path "$events" --event-stream-version 0 >/dev/null
python3 - "$events" "$@" <<'PY'
import json, re, sys
events, selectors = sys.argv[1], sys.argv[2:]
wanted = [{"." + t for t in s.split(",")} for s in selectors if not s.startswith("-")]
unwanted = {"." + s[1:] for s in selectors if s.startswith("-")}
names = set()
for line in open(events):
    record = json.loads(line)
    test = record.get("payload", {})
    tags = set(test.get("_tags", []))
    if record.get("kind") == "test" and all(any_of & tags for any_of in wanted) and not (unwanted & tags):
        # A function's id ends in its source location (`/File.swift:12:5`); filters match without it.
        names.add(re.sub(r"/[^/]*:\d+:\d+$", "", test["id"]))
if not names:
    sys.exit(f"scripts/test-tier.sh: no suite or test is tagged {' '.join(selectors)} (does `swift test list` still write _tags?)")
print("^(" + "|".join(re.escape(name) for name in sorted(names)) + ")(/|$)")
PY
