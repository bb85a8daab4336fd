#!/usr/bin/env bash
# The whole csrubric test suite, installing what it needs. CI runs exactly this (.ci/run).
#
#   bash scripts/test.sh
#
# Steps: formatting, lints, every Rust test (unit, integration, property, doc tests incl.
# the README), a smoke run of the benchmarks, and the CLI on every shipped rubric and example.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first" >&2; exit 1; }
for c in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
done
cargo --version

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test (workspace: every target, then the doc tests)"
# The binding crates have no Rust tests of their own (clippy checks them above; their
# suites run below through Python and Node), so their test builds are skipped.
# `--all-targets` includes the criterion benches, which run each benchmark once when not
# given `--bench` (a smoke test; real numbers: benches/README.md); it leaves out the doc
# tests, run next with the same packages (so the same features, no second build).
mkdir -p target
pkgs=(--workspace --exclude csrubric-python --exclude csrubric-wasm)
(
  set -e
  cargo test --locked "${pkgs[@]}" --all-targets
  cargo test --locked "${pkgs[@]}" --doc
) 2>&1 | tee target/test-output.txt

step "CLI on every shipped rubric and example"
cargo build --locked -q -p csrubric
bin=target/debug/csrubric
"$bin" check rubrics/*/*.toml
"$bin" test rubrics/*/*.toml
for f in examples/health/*.csv examples/health/*.json; do
  [ -e "$f" ] || continue
  name=$(basename "${f%.*}")
  "$bin" score "rubrics/health/$name.toml" "$f" --format json --at 2026-11-23T00:00:00Z >/dev/null
  echo "scored $f"
done

bash bindings-wasm/scripts/test.sh  # the npm package: node API tests, CLI equality, browser e2e
step "Python binding: wheel + pytest"; bash bindings-python/scripts/test.sh
step "summary"
passed=$(grep -Eo '[0-9]+ passed' target/test-output.txt | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' target/test-output.txt | awk '{s+=$1} END {print s+0}')
echo "all checks passed"
echo "$passed passed, $failed failed"
