#!/usr/bin/env bash
# Builds the polyglot example: a C component calling a Python component calling a JavaScript
# component, composed with wac into wasm/polyglot.wasm. See README.md.
#
#   bash examples/polyglot/build.sh [--force]
#
# Each piece is skipped while its inputs (sources, WIT, pinned tool versions) match its stamp
# in stamps/ (committed, like wasm/app-c.wasm); --force rebuilds everything.
#
# Pinned tools, checked before use (the install commands are printed when one is missing):
#   clang-19, lld-19, wasi-libc, libclang-rt-19-dev-wasm32   Debian (bookworm) packages
#   wit-bindgen-cli 0.63.0, wasm-tools 1.263.0, wac-cli 0.12.0   crates.io
#   wasi-preview1-component-adapter-provider 50.0.1          crates.io (the preview1 adapter)
#   componentize-py 0.25.1, wasmtime 50.0.1 (Python)         PyPI
#   componentize-js 0.23.0                                   npm (js/package-lock.json)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HERE"

WIT_BINDGEN_VERSION=0.63.0
WASM_TOOLS_VERSION=1.263.0
WAC_VERSION=0.12.0
ADAPTER_VERSION=50.0.1
# sha256 of wasi_snapshot_preview1.reactor.wasm in that crate
ADAPTER_SHA256=6d52112df28f0caee9018f911f279f94f848230b2f0ed02138290363e925671f
COMPONENTIZE_PY_VERSION=0.25.1
COMPONENTIZE_JS_VERSION=0.23.0
WASMTIME_PY_VERSION=50.0.1
CLANG=${CLANG:-clang-19}
PYTHON=${PYTHON:-python3}

APT_INSTALL="apt-get install -y clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32"
CARGO_INSTALL="cargo install --locked wit-bindgen-cli@$WIT_BINDGEN_VERSION wasm-tools@$WASM_TOOLS_VERSION"
# Without the registry feature (a warg client) wac builds in a third of the time, and plugs the
# same bytes.
WAC_INSTALL="cargo install --locked wac-cli@$WAC_VERSION --no-default-features --features wit"
PIP_INSTALL="pip install componentize-py==$COMPONENTIZE_PY_VERSION wasmtime==$WASMTIME_PY_VERSION"

die() {
  echo "build.sh: $*" >&2
  exit 1
}

# require TOOL VERSION-COMMAND EXPECTED-SUBSTRING INSTALL-HINT
require() {
  local tool=$1 cmd=$2 want=$3 hint=$4 got
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found; install it with: $hint"
  got=$(eval "$cmd" 2>&1 | head -n 1) || true
  [[ $got == *"$want"* ]] || die "$tool: found '$got', need $want; install it with: $hint"
}

FORCE=0
for arg in "$@"; do
  case $arg in
    --force) FORCE=1 ;;
    -h | --help)
      sed -n '2,16p' "$0"
      exit 0
      ;;
    *) die "unknown argument '$arg' (only --force)" ;;
  esac
done

stamp_hash() {
  {
    printf '%s\n' "$WIT_BINDGEN_VERSION $WASM_TOOLS_VERSION $WAC_VERSION $ADAPTER_SHA256" \
      "$COMPONENTIZE_PY_VERSION $COMPONENTIZE_JS_VERSION $WASMTIME_PY_VERSION $CLANG"
    cat "$@"
  } | sha256sum | cut -d' ' -f1
}
# fresh NAME OUTPUT FILE...: true when OUTPUT exists and the FILEs hash as at NAME's last build.
fresh() {
  local name=$1 out=$2
  shift 2
  [[ $FORCE == 0 && -f $out && -f stamps/$name ]] &&
    [[ $(cat "stamps/$name") == "$(stamp_hash "$@")" ]] &&
    echo "$name: up to date ($out)"
}
record() {
  local name=$1
  shift 2
  stamp_hash "$@" >"stamps/$name"
}

mkdir -p .cache wasm stamps
WIT=(wit/polyglot.wit)
# validate FILE: wasm-tools validate when wasm-tools is installed. Only the C part needs
# wasm-tools to build; without it (CI builds only the Python and JS parts and the composition)
# the file is validated when Canopy loads it (wasmparser, with the component-model features).
validate() {
  if command -v wasm-tools >/dev/null 2>&1; then
    wasm-tools validate "$1"
  else
    echo "$1: not validated here (no wasm-tools); Canopy validates it when it loads it"
  fi
}

# ---- the wasi_snapshot_preview1 adapter, from the crate that embeds wasmtime's build of it
fetch_adapter() {

ADAPTER=.cache/wasi_snapshot_preview1.reactor.wasm
if [[ ! -f $ADAPTER ]] || [[ $(sha256sum "$ADAPTER" | cut -d' ' -f1) != "$ADAPTER_SHA256" ]]; then
  require cargo "cargo --version" "cargo" "rustup (the project's Rust toolchain)"
  mkdir -p .cache/adapter/src
  cat >.cache/adapter/Cargo.toml <<EOF
[package]
name = "write-adapter"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
wasi-preview1-component-adapter-provider = "=$ADAPTER_VERSION"

# Its own workspace, not a member of the project's.
[workspace]
EOF
  cat >.cache/adapter/src/main.rs <<'EOF'
fn main() {
    let out = std::env::args().nth(1).expect("usage: write-adapter OUT.wasm");
    std::fs::write(out, wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER)
        .expect("writing the adapter");
}
EOF
  CARGO_TARGET_DIR=.cache/adapter/target cargo run --quiet --manifest-path .cache/adapter/Cargo.toml -- "$ADAPTER"
  got=$(sha256sum "$ADAPTER" | cut -d' ' -f1)
  [[ $got == "$ADAPTER_SHA256" ]] || die "adapter: sha256 $got, expected $ADAPTER_SHA256"
  echo "adapter: wrote $ADAPTER"
fi

}

# ---- C: the app world, over the imported transform
build_c() {
  local out=wasm/app-c.wasm inputs=(c/app.c "${WIT[@]}")
  fresh app-c "$out" "${inputs[@]}" && return
  require "$CLANG" "$CLANG --version" "version 19." "$APT_INSTALL"
  require wasm-tools "wasm-tools --version" "wasm-tools $WASM_TOOLS_VERSION" "$CARGO_INSTALL"
  fetch_adapter
  [[ -x $($CLANG -print-prog-name=wasm-ld) ]] || die "wasm-ld (lld-19) not found; install it with: $APT_INSTALL"
  [[ -f /usr/lib/wasm32-wasi/libc.a ]] || die "wasi-libc not found; install it with: $APT_INSTALL"
  [[ -f $($CLANG --target=wasm32-wasi -print-libgcc-file-name) ]] ||
    die "clang's wasm32 runtime not found; install it with: $APT_INSTALL"
  require wit-bindgen "wit-bindgen --version" "wit-bindgen-cli $WIT_BINDGEN_VERSION" "$CARGO_INSTALL"
  local gen=.cache/c-bindings
  rm -rf "$gen" && mkdir -p "$gen"
  wit-bindgen c wit --world app --out-dir "$gen" >"$gen.log" 2>&1 || {
    cat "$gen.log" >&2
    die "c: wit-bindgen failed"
  }
  "$CLANG" --target=wasm32-wasi -mexec-model=reactor -O2 -Wall -Wextra -Werror \
    -Wl,--strip-debug -I "$gen" \
    -o .cache/app-c.core.wasm c/app.c "$gen/app.c" "$gen/app_component_type.o"
  # The module imports wasi_snapshot_preview1 (stdio for its stderr line): the adapter turns
  # those imports into WASI 0.2 ones.
  wasm-tools component new .cache/app-c.core.wasm --adapt "wasi_snapshot_preview1=$ADAPTER" -o "$out"
  validate "$out"
  record app-c "$out" "${inputs[@]}"
  echo "c: built $out ($(stat -c %s "$out") bytes)"
}

# ---- JavaScript: the scorer world
build_js() {
  local out=wasm/scorer-js.wasm inputs=(js/scorer.js js/package.json js/package-lock.json "${WIT[@]}")
  fresh scorer-js "$out" "${inputs[@]}" && return
  require node "node --version" "v" "apt-get install -y nodejs npm"
  require npm "npm --version" "" "apt-get install -y nodejs npm"
  local have=
  if [[ -f js/node_modules/@bytecodealliance/componentize-js/package.json ]]; then
    have=$(node -p "require('./js/node_modules/@bytecodealliance/componentize-js/package.json').version")
  fi
  if [[ $have != "$COMPONENTIZE_JS_VERSION" ]]; then
    (cd js && npm ci --no-audit --no-fund)
  fi
  # No wasi:http (features http and fetch-event off), no AOT: nothing is downloaded.
  (cd js && ./node_modules/.bin/componentize-js scorer.js --wit ../wit --world-name scorer \
    --disable http fetch-event -o "../$out") | grep -v "^  [A-Z0-9_]*: " || true
  [[ -f $out ]] || die "js: componentize-js wrote no $out"
  validate "$out"
  record scorer-js "$out" "${inputs[@]}"
  echo "js: built $out ($(stat -c %s "$out") bytes)"
}

# ---- Python: the transformer world, over the imported score
build_py() {
  local out=wasm/transformer-py.wasm inputs=(py/app.py "${WIT[@]}")
  fresh transformer-py "$out" "${inputs[@]}" && return
  require componentize-py "componentize-py --version" "componentize-py $COMPONENTIZE_PY_VERSION" "$PIP_INSTALL"
  componentize-py -d wit -w transformer componentize -p py app -o "$out" >/dev/null
  validate "$out"
  record transformer-py "$out" "${inputs[@]}"
  echo "py: built $out ($(stat -c %s "$out") bytes)"
}

# ---- the composition: transform's import of score from JS, app's import of transform from
# that. WASI imports stay imports of the whole (wac merges equal interfaces of 0.2.9 and 0.2.12).
compose() {
  local out=wasm/polyglot.wasm
  fresh polyglot "$out" stamps/app-c stamps/scorer-js stamps/transformer-py && return
  require wac "wac --version" "wac-cli $WAC_VERSION" "$WAC_INSTALL"
  wac plug wasm/transformer-py.wasm --plug wasm/scorer-js.wasm -o .cache/transformer+scorer.wasm
  wac plug wasm/app-c.wasm --plug .cache/transformer+scorer.wasm -o "$out"
  validate "$out"
  record polyglot "$out" stamps/app-c stamps/scorer-js stamps/transformer-py
  echo "compose: built $out ($(stat -c %s "$out") bytes)"
}

# ---- wasmtime's answers to calls.txt, with the fixtures' reference runner
check() {
  local out=expected.txt
  fresh expected "$out" stamps/polyglot calls.txt ../../fixtures/components/reference.py && return
  require "$PYTHON" "$PYTHON -c 'import importlib.metadata as m; print(\"wasmtime\", m.version(\"wasmtime\"))'" \
    "wasmtime $WASMTIME_PY_VERSION" "$PIP_INSTALL"
  "$PYTHON" ../../fixtures/components/reference.py wasm/polyglot.wasm --calls calls.txt --out "$out"
  record expected "$out" stamps/polyglot calls.txt ../../fixtures/components/reference.py
  echo "expected: wrote $out"
  cat "$out"
}

build_c
build_js
build_py
compose
check
