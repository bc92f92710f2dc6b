#!/usr/bin/env bash
# The test command: installs what is missing, builds everything and runs the whole suite
# (SQLite and a real PostgreSQL 15 that the tests start themselves as the postgres user).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"

# step: a heading with the minutes since the start, so CI's log shows where its time goes.
step() { printf '==> [%d:%02d] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

step "scripts/install-deps.sh"
bash scripts/install-deps.sh

step "openapi-spec-validator manifests/api/openapi.json (the drift check is a test in the suite)"
python3 -m openapi_spec_validator manifests/api/openapi.json
step "openapi-spec-validator manifests/api/oci-distribution.json (the /v2 API, fuzzed by the schemathesis step)"
python3 -m openapi_spec_validator manifests/api/oci-distribution.json
step "scripts/asyncapi/validate.sh manifests/api/asyncapi.json (AsyncAPI 3.0; the drift check is a test in the suite)"
timeout 120 bash scripts/asyncapi/validate.sh manifests/api/asyncapi.json

if [ $# -gt 0 ]; then
  echo "==> swift test $*"
  exec swift test "$@"
fi
# The catalog's app images (JupyterLab, TensorBoard, the fine-tune job: Debian packages and
# PyPI wheels, ~6 min on a fresh machine, mostly downloads) are built in the background
# while Swift compiles, into .build/app-images where the integration tests' AppImages looks
# (scripts/images/app-layout.sh, each bounded at 25 min like the tests' own builds; a test
# that finds none builds it itself, under the same lock).
mkdir -p .build
( for app in jupyter-lab tensorboard finetune-job; do
    started=$SECONDS
    if timeout 1500 bash scripts/images/app-layout.sh "$app" >/dev/null; then echo "==> app image $app built or found in $((SECONDS - started)) s"
    else echo "==> app image $app: build failed (log .build/app-images/$app-*.log); its tests will try again"; fi
  done ) >.build/app-images-prebuild.log 2>&1 &
prebuild=$!

# Two phases of one suite, chosen by Swift Testing tags (Tests/PlatformTestKit/TestTiers.swift).
# Suites tagged `.integration` run real processes (platformd, runc, Slurm, PostgreSQL, skopeo,
# ssh, Chromium) or assert on timing (connection deadlines, client timeouts); they starved
# each other when run in parallel with everything else on a 2-core machine (client timeouts,
# PostgreSQL pool waits, an idle-stop test losing its instance), so they run after the rest,
# one at a time within a lane; everything else (the fast tier included) runs in parallel
# first. `swift test` cannot filter by tag, so scripts/test-tier.sh turns tags into regexes.
step "swift build --build-tests (then scripts/test-tier.sh reads the tags)"
swift build --build-tests
integration="$(bash scripts/test-tier.sh integration)"
slurm_lane="$(bash scripts/test-tier.sh integration slurm,appImages)"
process_lane="$(bash scripts/test-tier.sh integration -slurm -appImages -timing)"
timing_lane="$(bash scripts/test-tier.sh integration timing)"
step "swift test --skip '$integration' (every untagged suite, in parallel)"
swift test --skip "$integration"

wait "$prebuild" || true
cat .build/app-images-prebuild.log
# The integration tier in two lanes at once, then the timing lane alone. Each lane runs its
# suites one at a time (--no-parallel). The Slurm lane holds every suite that starts a Slurm
# cluster and those that launch the catalog's PyPI images (about as long as the rest); the
# process lane every other real-process suite: both mostly wait on processes
# they started, and nothing they touch is shared (PostgreSQL, ports, runc state, network
# slots and data folders are per process or per test; image builds take a lock). SwiftPM
# holds its .build lock for a whole `swift test`, so two cannot run at once: each lane runs
# the built test bundle directly, with the arguments `swift test` would give it, and prints
# the same summary line. The timing lane asserts on deadlines, so it runs with nothing beside it.
tests_bundle="$(swift build --show-bin-path)/PlatformPackageTests.xctest"
lane() {  # NAME REGEX: one lane, each line prefixed with the lane's name
  # Bounded (40 min; a lane takes 11–12 here): a test that hangs fails its lane with its last
  # lines on screen, instead of holding CI until its own limit with nothing said.
  local status
  NO_COLOR=1 timeout --kill-after=30 2400 "$tests_bundle" --testing-library swift-testing --no-parallel --filter "$2" 2>&1 \
    | sed -u "s/^/[$1] /"
  status=${PIPESTATUS[0]}
  if [ "$status" = 124 ] || [ "$status" = 137 ]; then echo "==> the $1 lane ran past 40 minutes and was stopped: a test hung (see its last [$1] lines)"; fi
  return "$status"
}
step "integration tier: the Slurm lane and the process lane at once, each suite one at a time"
echo "    slurm lane: --filter '$slurm_lane'"
echo "    process lane: --filter '$process_lane'"
lane slurm "$slurm_lane" & slurm_pid=$!
lane process "$process_lane" & process_pid=$!
slurm_status=0; process_status=0
wait "$slurm_pid" || slurm_status=$?
wait "$process_pid" || process_status=$?
step "integration tier: the timing lane, alone (--filter '$timing_lane')"
timing_status=0
lane timing "$timing_lane" || timing_status=$?
echo "==> integration lanes: slurm exit $slurm_status, process exit $process_status, timing exit $timing_status"
[ "$slurm_status" = 0 ] && [ "$process_status" = 0 ] && [ "$timing_status" = 0 ]
# The Python SDK (sdk/python, openapi-python-client 0.29.1 from manifests/api/openapi.json):
# the drift check regenerates it and fails on any difference; the smoke runs
# examples/python/onboarding.py through it against a fresh platformd (authenticate, service
# account and key, register gpu-echo, launch, events, stop). ~30 s; each part capped at 2 min.
step "scripts/sdk/python.sh check (Python SDK drift), then scripts/sdk/python.sh smoke (examples/python/onboarding.py)"
timeout 120 bash scripts/sdk/python.sh check
timeout 120 bash scripts/sdk/python.sh smoke
# The Swift SDK (the PlatformClient product appctl calls the API through): the same onboarding
# path by examples/swift/Onboarding (swift-sdk-onboarding, built above) against a fresh
# platformd; every step time-bounded. ~15 s; capped at 3 min.
step "scripts/sdk/swift.sh smoke (examples/swift/Onboarding through PlatformClient)"
timeout 180 bash scripts/sdk/swift.sh smoke
# The contract-and-SDK drift gate as one command: OpenAPI and AsyncAPI derived from the typed
# endpoints, the Python SDK regenerated from the committed openapi.json, the Swift SDK's
# operations; exits 65 (contract.drift) on any difference. The JSON (source SHA, digests,
# pass/fail) is what a release-evidence bundle records; it is kept in .build/contract-check.json.
step "appctl contract check --json (contract and SDK drift)"
timeout 180 "$(swift build --show-bin-path)/appctl" contract check --json | tee .build/contract-check.json
# Bounded API fuzzing (~3 min): schemathesis 4 against a fresh platformd, /v1 from its
# /openapi.json and /v2 from manifests/api/oci-distribution.json, phases examples, coverage,
# fuzzing and stateful; any 5xx (or the server dying) fails the step.
step "scripts/schemathesis/run.sh (schemathesis: /v1 and /v2, check not_a_server_error)"
bash scripts/schemathesis/run.sh
# Bounded libFuzzer run (under 5 min: the fuzz package's cold release build took 2m13s on 2
# loaded cores, then 15 s per target):
# the manifest parser and validator, the HTTP range and scope parsers, OCI manifest/index and
# DSSE/in-toto decoding, tar import and the portal's MDX, each from its seed corpus in
# Fuzz/Corpus; any crash or broken property fails the step (inputs under .build/fuzz-crashes/).
step "scripts/fuzz/run.sh ${FUZZ_SECONDS:-15} (libFuzzer: six targets, -sanitize=fuzzer)"
bash scripts/fuzz/run.sh "${FUZZ_SECONDS:-15}"
step "done: every step passed"
