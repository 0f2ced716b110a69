#!/bin/sh
# sorot build script. Installs what is missing, then:
#   ./build.sh            build the WebAssembly module, its JS glue and the default gazetteer
#                         (dist/pkg/), and stage the npm package (dist/package/)
#   ./build.sh serve [P]  build, then serve the demo on http://localhost:P (default 8080)
#   ./build.sh package    build, then write the npm tarball dist/sorot-VERSION.tgz
#   ./build.sh test       build, then run every test (Rust, CLI, types, package, browser)
#   ./build.sh eval [...] the quality benchmark on annotated news (docs/quality.md)
#   ./build.sh bench [...] the browser benchmark against the peers (bench/README.md)
# A second run skips every step whose result is already there.
set -eu
cd "$(dirname "$0")"

step() { printf '==> %s\n' "$*" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

WASM=target/wasm32-unknown-unknown/release/sorot.wasm
PKG=dist/pkg
STAGE=dist/package

# newer A B...: true when A is missing or older than any B.
newer_than() {
  out=$1; shift
  [ -e "$out" ] || return 0
  for f in "$@"; do
    [ -n "$(find "$f" -newer "$out" -print -quit 2>/dev/null)" ] && return 0
  done
  return 1
}

need_tools() {
  command -v cargo >/dev/null || die "cargo not found: install Rust from https://rustup.rs"
  command -v node >/dev/null || die "node not found: install Node.js 20 or later"
  command -v npm >/dev/null || die "npm not found: install Node.js 20 or later (with npm)"
}

need_wasm_target() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    step "adding the Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

need_wasm_bindgen() {
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  [ -n "$want" ] || die "Cargo.lock names no wasm-bindgen version"
  have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
  if [ "$have" != "$want" ]; then
    step "installing wasm-bindgen-cli $want to match Cargo.lock (takes a few minutes, once)"
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

need_npm() {
  if newer_than node_modules/.package-lock.json package.json package-lock.json; then
    step "installing the npm dev dependencies (wasm-opt, playwright-core)"
    npm ci --no-audit --no-fund
  fi
}

build_wasm() {
  step "building the core for wasm32 (release)"
  cargo build --quiet --release --target wasm32-unknown-unknown --lib
  if newer_than "$PKG/sorot_bg.wasm" "$WASM" build.sh; then
    step "generating the JS glue and its types (wasm-bindgen --target web)"
    wasm-bindgen --target web --out-dir "$PKG" "$WASM"
    step "optimising the wasm (wasm-opt -Oz)"
    node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$PKG/sorot_bg.wasm" -o "$PKG/sorot_bg.wasm.opt"
    mv "$PKG/sorot_bg.wasm.opt" "$PKG/sorot_bg.wasm"
  fi
}

build_cli() {
  step "building the command-line tool"
  cargo build --quiet --bin sorot
}

build_gazetteer() {
  if newer_than "$PKG/default-gazetteer.json" data target/debug/sorot; then
    step "compiling the default gazetteer to $PKG/default-gazetteer.json"
    mkdir -p "$PKG"
    target/debug/sorot convert --compact > "$PKG/default-gazetteer.json.tmp"
    mv "$PKG/default-gazetteer.json.tmp" "$PKG/default-gazetteer.json"
  fi
}

# The npm package, staged from its one copy of each file: the library's modules
# (www/lib/), the wasm, its glue and the default gazetteer (dist/pkg/), the types
# (from the JSDoc, by tsc), README.md and LICENSE.
stage_package() {
  if newer_than "$STAGE/.staged" www/lib "$PKG" README.md LICENSE build.sh; then
    step "staging the npm package in $STAGE/ (types from the JSDoc: tsc)"
    rm -rf "$STAGE"
    mkdir -p "$STAGE/pkg"
    cp www/lib/*.js www/lib/package.json README.md LICENSE "$STAGE/"
    for f in sorot.js sorot.d.ts sorot_bg.wasm sorot_bg.wasm.d.ts default-gazetteer.json; do
      cp "$PKG/$f" "$STAGE/pkg/"
    done
    node_modules/.bin/tsc --declaration --allowJs --emitDeclarationOnly --skipLibCheck \
      --target es2022 --module es2022 --moduleResolution bundler --lib es2022,dom,dom.iterable \
      --outDir "$STAGE/types" "$STAGE"/*.js
    touch "$STAGE/.staged"
  fi
}

build_package() {
  version=$(node -p "require('./www/lib/package.json').version")
  tarball="dist/sorot-$version.tgz"
  if newer_than "$tarball" "$STAGE/.staged"; then
    step "packing $tarball (npm pack)"
    (cd dist && npm pack --silent ./package >/dev/null)
  fi
  printf '%s: %s bytes\n' "$tarball" "$(wc -c < "$tarball")" >&2
}

build() {
  need_tools
  need_wasm_target
  need_wasm_bindgen
  need_npm
  build_wasm
  build_cli
  build_gazetteer
  stage_package
}

need_chromium() {
  if [ -n "${CHROMIUM:-}" ]; then
    [ -x "$CHROMIUM" ] || die "CHROMIUM=$CHROMIUM is not an executable"
    return
  fi
  for c in /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -x "$c" ]; then CHROMIUM=$c; export CHROMIUM; return; fi
  done
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    step "installing Chromium for the browser tests (apt-get install chromium)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    CHROMIUM=/usr/bin/chromium
    export CHROMIUM
    return
  fi
  die "the browser tests need Chromium: install it (Debian: sudo apt-get install chromium) or set CHROMIUM=/path/to/chrome"
}

run_tests() {
  build
  step "checking formatting (cargo fmt --check)"
  cargo fmt --check || die "run 'cargo fmt' to format the code"
  if cargo clippy --version >/dev/null 2>&1; then
    step "linting (cargo clippy)"
    cargo clippy --quiet --all-targets -- -D warnings
  else
    step "skipping cargo clippy: not installed (rustup component add clippy)"
  fi
  step "Rust tests (cargo test)"
  cargo test --quiet
  if command -v python3 >/dev/null; then
    step "quality benchmark's own tests (python3 -m unittest, scripts/eval)"
    SOROT_BIN="$PWD/target/debug/sorot" python3 -B -m unittest discover -s scripts/eval
  else
    step "skipping the quality benchmark's own tests: python3 not found"
  fi
  need_chromium
  step "type tests (tsc --noEmit --strict on tests/types/, against the staged package)"
  node_modules/.bin/tsc -p tests/types/tsconfig.json
  build_package
  step "browser tests (node --test, headless Chromium: $CHROMIUM)"
  node --test --test-concurrency=1 tests/browser/
  step "the browser API suite again, with the engine in a module Worker"
  SOROT_TEST_ENGINE=worker node --test --test-concurrency=1 \
    tests/browser/api.test.mjs tests/browser/renderers.test.mjs tests/browser/observe.test.mjs
}

run_eval() {
  command -v cargo >/dev/null || die "cargo not found: install Rust from https://rustup.rs"
  py=$(command -v python3.11 || command -v python3) || die "the quality benchmark needs Python 3.11"
  step "building the command-line tool (release)"
  cargo build --quiet --release --bin sorot
  step "quality benchmark (scripts/eval/quality.py $*)"
  "$py" scripts/eval/quality.py "$@"
}

run_bench() {
  build
  need_chromium
  # The same wasm module(s) with their function names kept (wasm-opt -g), and the
  # default gazetteer beside them, for the benchmark's CPU profiles only; the
  # flags are build_wasm's. (One module, or the engine and the compiler.)
  named=dist/bench/named-pkg
  mkdir -p "$named"
  for module in "${WASM:-}:sorot" "${ENGINE_WASM:-}:sorot_engine" "${COMPILER_WASM:-}:sorot_compiler"; do
    src=${module%%:*}
    name=${module##*:}
    if [ -n "$src" ] && [ -e "$src" ] && newer_than "$named/${name}_bg.wasm" "$src" build.sh; then
      step "a copy of $name that keeps its function names, for the profiles ($named/)"
      wasm-bindgen --target web --out-dir "$named" --out-name "$name" "$src"
      node_modules/.bin/wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int \
        --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
        "$named/${name}_bg.wasm" -o "$named/${name}_bg.wasm.opt"
      mv "$named/${name}_bg.wasm.opt" "$named/${name}_bg.wasm"
    fi
  done
  for f in default-gazetteer.json default.sorot; do
    if [ -e "$PKG/$f" ]; then cp "$PKG/$f" "$named/"; fi
  done
  step "browser benchmark of issue 11 (node bench/highlight.mjs $*)"
  node bench/highlight.mjs "$@"
}

case "${1:-build}" in
  build) build ;;
  serve)
    build
    port=${2:-8080}
    step "serving the demo (www/demo/, the library at /lib/; Ctrl-C to stop)"
    exec node scripts/serve.mjs site "$port"
    ;;
  package) build; build_package ;;
  test) run_tests ;;
  eval) shift; run_eval "$@" ;;
  bench) shift; run_bench "$@" ;;
  *) die "unknown command '$1' (use: build, serve [PORT], package, test, eval, bench)" ;;
esac
