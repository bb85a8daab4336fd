#!/usr/bin/env bash
# The side-by-side comparison: the slavkokernel rubric scored by numpy/pandas (float64), by
# GoRules ZEN, and by csrubric from Rust, Python and Node (WASM), on the same generated
# accounts, in one run. Not part of the test suite (numbers depend on the machine).
#
#   bash benches/compare/run.sh            # 1,000,000 accounts
#   N=100000 bash benches/compare/run.sh   # fewer
#
# Installs what it needs: a Python venv outside the clone ($CSRUBRIC_VENV_ROOT, default
# ~/.cache/csrubric-compare-venv, keyed by requirements.txt), the csrubric wheel (maturin),
# and the npm package (bindings-wasm/scripts/build.sh; skipped without node).
# Prints a markdown table (also written to target/compare/results.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
n=${N:-1000000}
out="$repo/target/compare"
mkdir -p "$out"

python=${PYTHON:-python3}
key=$( { cat "$here/requirements.txt"; "$python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -c1-12)
venv="${CSRUBRIC_VENV_ROOT:-$HOME/.cache/csrubric-compare-venv}/$key"
if [ ! -f "$venv/.complete" ]; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -r "$here/requirements.txt"
  touch "$venv/.complete"
fi

echo "==> wheel" >&2
rm -rf target/wheels/csrubric-*.whl
VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" \
  "$venv/bin/maturin" build --release --locked -m bindings-python/Cargo.toml --out target/wheels -q
"$venv/bin/python" -m pip install -q --force-reinstall --no-deps target/wheels/csrubric-*.whl

echo "==> Rust example (release)" >&2
cargo build --release --locked -q -p csrubric-benches --example compare

node_ok=0
if command -v node >/dev/null; then
  echo "==> npm package (WASM)" >&2
  (cd bindings-wasm && { [ -d node_modules/binaryen ] || npm ci --no-audit --no-fund; } && bash scripts/build.sh >&2) && node_ok=1
fi

echo "==> data: $n accounts" >&2
"$venv/bin/python" "$here/gen.py" "$out" "$n" >&2

results="$out/results.jsonl"
: > "$results"
"$repo/target/release/examples/compare" "$out" | tee -a "$results" >&2
"$venv/bin/python" "$here/compare.py" "$out" | tee -a "$results" >&2
if [ "$node_ok" = 1 ]; then
  node "$here/compare.mjs" "$out" | tee -a "$results" >&2
fi

"$venv/bin/python" - "$results" "$n" <<'PY' | tee "$out/results.md"
import json, platform, subprocess, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
base = next(r for r in rows if r["impl"] == "csrubric Rust, columnar, 1 thread")["rows_per_s"]
cpu = next((l.split(":", 1)[1].strip() for l in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines() if l.startswith("Model name")), platform.processor())
print(f"{int(sys.argv[2]):,} accounts (slavkokernel, 8% of cells missing, half of the accounts within 0.03 of a band edge); {cpu}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores\n")
print("| implementation | accounts/s | vs csrubric Rust (1 thread) | band errors | note |")
print("|---|---:|---:|---:|---|")
for r in rows:
    err = "-" if r["band_errors"] is None else f'{r["band_errors"]:,}'
    print(f'| {r["impl"]} | {r["rows_per_s"]:,.0f} | {r["rows_per_s"] / base:.2f}x | {err} | {r["note"]} |')
PY
