#!/usr/bin/env bash
# The test command: installs what is missing, builds everything and runs the whole suite
# (SQLite and a real PostgreSQL 15 that the tests start themselves as the postgres user).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"

bash scripts/install-deps.sh

echo "==> openapi-spec-validator manifests/api/openapi.json (the drift check is a test in the suite)"
python3 -m openapi_spec_validator manifests/api/openapi.json
echo "==> openapi-spec-validator manifests/api/oci-distribution.json (the /v2 API, fuzzed by the schemathesis step)"
python3 -m openapi_spec_validator manifests/api/oci-distribution.json
echo "==> scripts/asyncapi/validate.sh manifests/api/asyncapi.json (AsyncAPI 3.0; the drift check is a test in the suite)"
timeout 120 bash scripts/asyncapi/validate.sh manifests/api/asyncapi.json

if [ $# -gt 0 ]; then
  echo "==> swift test $*"
  exec swift test "$@"
fi
# Two phases of one suite, chosen by Swift Testing tags (Tests/PlatformTestKit/TestTiers.swift).
# Suites tagged `.integration` run real processes (platformd, runc, Slurm, PostgreSQL, skopeo,
# ssh, Chromium) or assert on timing (connection deadlines, client timeouts); they starved
# each other when run in parallel with everything else on a 2-core machine (client timeouts,
# PostgreSQL pool waits, an idle-stop test losing its instance), so they run after the rest,
# one at a time (--no-parallel); everything else (the fast tier included) runs in parallel
# first. `swift test` cannot filter by tag, so scripts/test-tier.sh turns the tag into a regex.
echo "==> swift build --build-tests (then scripts/test-tier.sh integration reads the tags)"
swift build --build-tests
integration="$(bash scripts/test-tier.sh integration)"
echo "==> swift test --skip '$integration' (every untagged suite, in parallel)"
swift test --skip "$integration"
echo "==> swift test --no-parallel --filter '$integration' (the integration tier, one at a time)"
swift test --no-parallel --filter "$integration"
# The Python SDK (sdk/python, openapi-python-client 0.29.1 from manifests/api/openapi.json):
# the drift check regenerates it and fails on any difference; the smoke runs
# examples/python/onboarding.py through it against a fresh platformd (authenticate, service
# account and key, register gpu-echo, launch, events, stop). ~30 s; each part capped at 2 min.
echo "==> scripts/sdk/python.sh check (Python SDK drift), then scripts/sdk/python.sh smoke (examples/python/onboarding.py)"
timeout 120 bash scripts/sdk/python.sh check
timeout 120 bash scripts/sdk/python.sh smoke
# The Swift SDK (the PlatformClient product appctl calls the API through): the same onboarding
# path by examples/swift/Onboarding (swift-sdk-onboarding, built above) against a fresh
# platformd; every step time-bounded. ~15 s; capped at 3 min.
echo "==> scripts/sdk/swift.sh smoke (examples/swift/Onboarding through PlatformClient)"
timeout 180 bash scripts/sdk/swift.sh smoke
# The contract-and-SDK drift gate as one command: OpenAPI and AsyncAPI derived from the typed
# endpoints, the Python SDK regenerated from the committed openapi.json, the Swift SDK's
# operations; exits 65 (contract.drift) on any difference. The JSON (source SHA, digests,
# pass/fail) is what a release-evidence bundle records; it is kept in .build/contract-check.json.
echo "==> appctl contract check --json (contract and SDK drift)"
timeout 180 "$(swift build --show-bin-path)/appctl" contract check --json | tee .build/contract-check.json
# Bounded API fuzzing (~5 min): schemathesis 4 against a fresh platformd, /v1 from its
# /openapi.json and /v2 from manifests/api/oci-distribution.json, phases examples, coverage,
# fuzzing and stateful; any 5xx (or the server dying) fails the step.
echo "==> scripts/schemathesis/run.sh (schemathesis: /v1 and /v2, check not_a_server_error)"
bash scripts/schemathesis/run.sh
# Bounded libFuzzer run (under 5 min: the fuzz package's cold release build took 2m13s on 2
# loaded cores, then 25 s per target):
# the manifest parser and validator, the HTTP range and scope parsers, OCI manifest/index and
# DSSE/in-toto decoding, tar import and the portal's MDX, each from its seed corpus in
# Fuzz/Corpus; any crash or broken property fails the step (inputs under .build/fuzz-crashes/).
echo "==> scripts/fuzz/run.sh ${FUZZ_SECONDS:-25} (libFuzzer: six targets, -sanitize=fuzzer)"
bash scripts/fuzz/run.sh "${FUZZ_SECONDS:-25}"
