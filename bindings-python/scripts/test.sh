#!/usr/bin/env bash
# Builds the csrubric wheel and runs the Python test suite (pytest, Spark, notebook).
#
#   bash bindings-python/scripts/test.sh [pytest args...]
#
# The venv lives outside the clone ($CSRUBRIC_VENV_ROOT, default ~/.cache/csrubric-venv),
# keyed by a hash of requirements-test.txt, and is reused while that file is unchanged.
# The wheel is built with maturin (release code, abi3) and pip-installed into the venv, so the
# tests exercise exactly what a user installs.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$here/.." && pwd)"
cd "$repo"

step() { printf '\n==> %s\n' "$*"; }

python=${PYTHON:-python3}
command -v "$python" >/dev/null || { echo "python3 not found" >&2; exit 1; }
req="$here/requirements-test.txt"
key=$( { cat "$req"; "$python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -c1-12)
venv="${CSRUBRIC_VENV_ROOT:-$HOME/.cache/csrubric-venv}/$key"

step "python venv ($venv)"
if [ ! -f "$venv/.complete" ]; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -r "$req"
  touch "$venv/.complete"
fi
"$venv/bin/python" --version

step "build the wheel (maturin, release code without LTO: profile wheel-test, abi3)"
rm -rf target/wheels/csrubric-*.whl
VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" \
  "$venv/bin/maturin" build --profile wheel-test --locked -m bindings-python/Cargo.toml --out target/wheels -q
wheel=$(ls target/wheels/csrubric-*.whl | head -n1)
echo "built $wheel"

step "install the wheel into the venv"
"$venv/bin/python" -m pip install -q --force-reinstall --no-deps "$wheel"

step "the CLI (for the CLI-equality tests)"
cargo build --locked -q -p csrubric
export CSRUBRIC_CLI="$repo/target/debug/csrubric"

step "pytest"
export SPARK_LOCAL_IP=127.0.0.1
export PYSPARK_PYTHON="$venv/bin/python"
export PYSPARK_DRIVER_PYTHON="$venv/bin/python"
# Run from the tests directory so `import csrubric` is the installed wheel, not the source tree.
cd "$here/tests"
set +e
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$@" 2>&1 | tee "$repo/target/python-test-output.txt"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests" >&2
  exit 1
fi
exit "$rc"
