#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/, a package of its own over the root's parsers) with
# -sanitize=fuzzer and runs each for a bounded time from a copy of its committed seed corpus
# (Fuzz/Corpus/<target>; the seeds themselves are never mutated). Prints executions and
# crashes per target, keeps crash inputs under .build/fuzz-crashes/, and exits non-zero on
# any crash. A crash input belongs in Fuzz/Corpus/<target>/regression-* with a unit test.
#
#   scripts/fuzz/run.sh [SECONDS per target, default 30] [TARGET…]
#
# FUZZ_SEED (default 1) fixes libFuzzer's random seed, so a CI run repeats the same mutations
# (the gate is reproducible and a longer run explores a superset); FUZZ_SEED=0 lets libFuzzer
# pick one, to explore further by hand.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
root="$(pwd)"
seconds="${1:-30}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz-manifest fuzz-http-range fuzz-oci-manifest fuzz-dsse fuzz-tar fuzz-mdx)

# -parse-as-library: the targets have no top-level code; libFuzzer's driver is their entry.
build=(swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library)
started=$(date +%s)
echo "==> ${build[*]}"
"${build[@]}"
bin="$("${build[@]}" --show-bin-path)"
echo "==> fuzz build: $(( $(date +%s) - started )) s"

crashes="$root/.build/fuzz-crashes"
mkdir -p "$crashes"
work="$(mktemp -d "${TMPDIR:-/tmp}/platform-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT

failed=0
summary=()
for target in "${targets[@]}"; do
  corpus="$work/$target"
  mkdir -p "$corpus"
  cp -R "Fuzz/Corpus/$target/." "$corpus/"
  before=$(find "$crashes" -maxdepth 1 -name "$target-*" | wc -l)
  echo "==> $target for ${seconds}s (seeds: $(ls "Fuzz/Corpus/$target" | wc -l))"
  rc=0
  # Swift's own backtracer would catch the trap first and libFuzzer would save no input.
  SWIFT_BACKTRACE=enable=no FUZZ_REPO_ROOT="$root" "$bin/$target" "$corpus" \
    -seed="${FUZZ_SEED:-1}" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$crashes/$target-" >"$work/$target.log" 2>&1 || rc=$?
  executions=$(awk '/stat::number_of_executed_units/ {print $2}' "$work/$target.log" | tail -1)
  found=$(( $(find "$crashes" -maxdepth 1 -name "$target-*" | wc -l) - before ))
  line="$target: ${executions:-?} executions in ${seconds}s, $found crash(es), exit $rc"
  summary+=("$line")
  echo "    $line"
  if [ "$rc" -ne 0 ] || [ "$found" -gt 0 ]; then
    failed=1
    grep -E "Fatal error|property broken|ERROR: libFuzzer|SUMMARY|Test unit written|#[0-9]+ 0x.* in \\\$s" "$work/$target.log" | head -20 | sed 's/^/    /'
  fi
done

echo "==> fuzz summary"
printf '    %s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
  echo "fuzzing found crashes; inputs are in $crashes" >&2
  exit 1
fi
