#!/usr/bin/env bash
# Fuzz smoke for CI, bounded to about two minutes once built:
#
#   bash scripts/fuzz-smoke.sh
#
# 1. Always (stable Rust is enough): every file of fuzz/corpus/<target>/ and
#    fuzz/regressions/<target>/ goes through the fuzz target bodies
#    (`cargo test --manifest-path fuzz/Cargo.toml --no-default-features`), so a crash the
#    fuzzer once found stays fixed.
# 2. Only when `cargo +nightly` and cargo-fuzz are installed: a few seconds of real
#    libFuzzer fuzzing per target, starting from the corpus. New corpus entries go to a
#    scratch folder (the checked-in corpus is not modified); a crash fails the script and
#    leaves its input in fuzz/artifacts/<target>/.
#
# Environment:
#   FUZZ_SMOKE_SECONDS  seconds of fuzzing per target (default 10)
#   FUZZ_SMOKE_NIGHTLY  0 skips step 2 even when nightly and cargo-fuzz are there
#
# See docs/reliability.md for the long runs and what they found.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
targets=(rubric accounts script calendar)
seconds=${FUZZ_SMOKE_SECONDS:-10}
start=$SECONDS

step "fuzz corpus replay (stable, no libFuzzer)"
# Share the main workspace's target directory: the dependencies are already built there.
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}" \
  cargo test --manifest-path fuzz/Cargo.toml --no-default-features --locked

if [ "${FUZZ_SMOKE_NIGHTLY:-1}" = "0" ]; then
  echo "FUZZ_SMOKE_NIGHTLY=0: skipping libFuzzer runs"
elif ! cargo +nightly --version >/dev/null 2>&1; then
  echo "no nightly toolchain: skipping libFuzzer runs (the corpus replay above ran)"
elif ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz not installed: skipping libFuzzer runs (cargo install cargo-fuzz)"
else
  step "libFuzzer: ${seconds}s per target"
  # No sanitizer: the library forbids unsafe code; overflow checks and debug assertions
  # stay on (cargo-fuzz's default build).
  (cd fuzz && cargo +nightly fuzz build -s none)
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  for t in "${targets[@]}"; do
    mkdir -p "$scratch/$t"
    log="$scratch/$t.log"
    if (cd fuzz && cargo +nightly fuzz run -s none "$t" "$scratch/$t" "corpus/$t" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1) \
      >"$log" 2>&1; then
      runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo '?')
      echo "$t: $runs executions in ${seconds}s, no failure"
    else
      tail -n 60 "$log" >&2
      echo "fuzz target \`$t\` failed; its input is in fuzz/artifacts/$t/" >&2
      exit 1
    fi
  done
fi
echo "fuzz smoke passed in $((SECONDS - start))s"
