#!/usr/bin/env bash
# Tests of the npm package `csrubric`, installing what they need:
#   rustup target wasm32-unknown-unknown, wasm-bindgen-cli (cached, exact Cargo.lock version),
#   npm packages from the committed package-lock.json (binaryen's wasm-opt, playwright-core),
#   Debian's chromium via apt when /usr/bin/chromium is missing.
# Then builds the package and the CLI, and runs node's test runner over tests/: the API
# tests, equality with `csrubric score --format json` on examples/, and the headless
# chromium end-to-end test of the playground (screenshots in bindings-wasm/test-artifacts/).
#
#   bash bindings-wasm/scripts/test.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"

command -v node >/dev/null || { echo "node not found (Node 18+ needed)" >&2; exit 1; }
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/binaryen ]; then
  npm ci --no-audit --no-fund
fi
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver
fi

bash scripts/build.sh
(cd .. && cargo build --locked -q -p csrubric)

node --test --test-reporter=spec tests/ 2>&1 | tee ../target/wasm-test-output.txt
