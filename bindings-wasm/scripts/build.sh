#!/usr/bin/env bash
# Builds the npm package `csrubric` into bindings-wasm/pkg/ (gitignored):
#   pkg/web/   ES module for browsers and bundlers (call the default export `init()` first)
#   pkg/node/  CommonJS module for Node (synchronous)
#
#   bash bindings-wasm/scripts/build.sh          # CSRUBRIC_WASM_OPT=0 skips wasm-opt (faster)
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

# The release profile, tuned for size for this target only (the settings apply to this
# command; native release builds keep the workspace's profile): optimise for size, one
# codegen unit and fat LTO so unused code of the core is dropped.
CARGO_PROFILE_RELEASE_OPT_LEVEL="${CSRUBRIC_WASM_OPT_LEVEL:-z}" \
CARGO_PROFILE_RELEASE_LTO=fat \
CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
  cargo build --locked -q --release --target wasm32-unknown-unknown -p csrubric-wasm
wasm="$root/target/wasm32-unknown-unknown/release/csrubric_wasm.wasm"

rm -rf "$here/pkg"
"$bindgen" --target web --out-dir "$here/pkg/web" "$wasm"
"$bindgen" --target nodejs --out-dir "$here/pkg/node" "$wasm"
for t in web node; do
  dts="$here/pkg/$t/csrubric_wasm.d.ts"
  js="$here/pkg/$t/csrubric_wasm.js"
  # wasm-bindgen cannot mark a typed parameter optional (they are Option<JsValue> in Rust).
  sed -i -E \
    -e 's/\boptions: ([A-Za-z<>]+)\)/options?: \1 | null)/' \
    -e 's/(static from(Toml|Json)\(text: string, )name: string\)/\1name?: string | null)/' \
    -e 's/\brun\(op: string, input: Input,/run(op: string, input?: Input | null,/' \
    "$dts"
  # The glue's own errors (a non-Rubric where a Rubric is expected, a freed Rubric) get a
  # `code` like every other error of the package.
  grep -q 'throw new Error(`expected instance of ${klass.name}`);' "$js"
  grep -q 'throw new Error(getStringFromWasm0(arg0, arg1));' "$js"
  sed -i \
    -e 's/throw new Error(`expected instance of ${klass.name}`);/throw Object.assign(new Error(`expected instance of ${klass.name}`), { code: "invalid_argument" });/' \
    -e 's/throw new Error(getStringFromWasm0(arg0, arg1));/throw Object.assign(new Error(getStringFromWasm0(arg0, arg1)), { code: "invalid_argument" });/' \
    "$js"
done
# The package is "type": "module"; the Node build is CommonJS.
echo '{ "type": "commonjs" }' > "$here/pkg/node/package.json"

size() { printf '%s bytes (gzip -9: %s bytes)' "$(wc -c <"$1")" "$(gzip -9c "$1" | wc -c)"; }
opt="$here/node_modules/.bin/wasm-opt"
web="$here/pkg/web/csrubric_wasm_bg.wasm"
node="$here/pkg/node/csrubric_wasm_bg.wasm"
{
  echo "csrubric_wasm.wasm after wasm-bindgen: $(size "$web")"
  if [ "${CSRUBRIC_WASM_OPT:-1}" = 0 ]; then
    echo "(wasm-opt skipped: CSRUBRIC_WASM_OPT=0)"
  elif [ -x "$opt" ]; then
    # The features rustc enables by default for wasm32-unknown-unknown.
    feats="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-reference-types"
    # wasm-bindgen writes the same module for both targets: optimise it once if so.
    same=0
    cmp -s "$web" "$node" && same=1
    for f in "$web" "$node"; do
      if [ "$f" = "$node" ] && [ "$same" = 1 ]; then
        cp "$web" "$node"
        continue
      fi
      # shellcheck disable=SC2086
      "$opt" -Oz $feats --strip-debug --strip-producers "$f" -o "$f.opt"
      mv "$f.opt" "$f"
    done
    echo "csrubric_wasm.wasm after wasm-opt -Oz:  $(size "$web")"
  else
    echo "(wasm-opt not installed: run npm ci in bindings-wasm to optimize)"
  fi
} | tee "$here/pkg/size.txt"
