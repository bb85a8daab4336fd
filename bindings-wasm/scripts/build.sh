#!/usr/bin/env bash
# Builds the npm package `csrubric` into bindings-wasm/pkg/ (gitignored):
#   pkg/web/   ES module for browsers and bundlers (call the default export `init()` first)
#   pkg/node/  CommonJS module for Node (synchronous)
#
#   bash bindings-wasm/scripts/build.sh
#
# Needs: rustup (adds the wasm32 target), cargo, node + npm (wasm-opt from the `binaryen`
# npm package, when installed). wasm-bindgen-cli is installed once, at exactly the version
# of the wasm-bindgen crate in Cargo.lock, into a cache outside the clone
# ($CSRUBRIC_TOOLS, default ~/.cache/csrubric-tools).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown

version=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
[ -n "$version" ] || { echo "wasm-bindgen not found in Cargo.lock" >&2; exit 1; }
tools="${CSRUBRIC_TOOLS:-$HOME/.cache/csrubric-tools}/wasm-bindgen-$version"
bindgen="$tools/bin/wasm-bindgen"
if [ ! -x "$bindgen" ] || [ "$("$bindgen" --version | awk '{print $2}')" != "$version" ]; then
  echo "installing wasm-bindgen-cli $version into $tools (once, about 2 minutes)"
  # No --locked: the CLI's own lock file may name versions the registry mirror lacks.
  cargo install -q wasm-bindgen-cli --version "=$version" --root "$tools"
fi

cargo build --locked -q --release --target wasm32-unknown-unknown -p csrubric-wasm
wasm="$root/target/wasm32-unknown-unknown/release/csrubric_wasm.wasm"

rm -rf "$here/pkg"
"$bindgen" --target web --out-dir "$here/pkg/web" "$wasm"
"$bindgen" --target nodejs --out-dir "$here/pkg/node" "$wasm"
# wasm-bindgen cannot mark a typed parameter optional: `options` is (Option<JsValue> in Rust).
sed -i 's/options: ScoreOptions)/options?: ScoreOptions)/' "$here"/pkg/*/csrubric_wasm.d.ts
# The package is "type": "module"; the Node build is CommonJS.
echo '{ "type": "commonjs" }' > "$here/pkg/node/package.json"

size() { printf '%s bytes (gzip -9: %s bytes)' "$(wc -c <"$1")" "$(gzip -9c "$1" | wc -c)"; }
opt="$here/node_modules/.bin/wasm-opt"
{
  echo "csrubric_wasm.wasm after wasm-bindgen: $(size "$here/pkg/web/csrubric_wasm_bg.wasm")"
  if [ -x "$opt" ]; then
    # The features rustc enables by default for wasm32-unknown-unknown.
    feats="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-reference-types"
    for t in web node; do
      f="$here/pkg/$t/csrubric_wasm_bg.wasm"
      # shellcheck disable=SC2086
      "$opt" -Oz $feats --strip-debug --strip-producers "$f" -o "$f.opt"
      mv "$f.opt" "$f"
    done
    echo "csrubric_wasm.wasm after wasm-opt -Oz:  $(size "$here/pkg/web/csrubric_wasm_bg.wasm")"
  else
    echo "(wasm-opt not installed: run npm ci in bindings-wasm to optimize)"
  fi
} | tee "$here/pkg/size.txt"
