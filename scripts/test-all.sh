#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: the Rust workspace (unit, conformance,
# differential, spec and end-to-end tests of the CLI and the language server), then the VS Code
# extension (npm ci, type check, bundle, .vsix packaging and content check, and end-to-end tests
# that drive the real `canopy lsp` through VS Code's own client libraries).
# Installs what is missing (Node.js and npm from Debian when absent, componentize-py from PyPI
# for the Python fixture component, wasmtime from PyPI for the live differential test of the
# component runtime). Needs ../shared beside
# the project. This is the README's test command; .ci/run calls it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }

if [[ ! -d ../shared/conformance ]]; then
    echo "error: ../shared (conformance corpora) must be checked out beside the project" >&2
    exit 1
fi

if ! command -v npm >/dev/null 2>&1; then
    step "Installing Node.js and npm (Debian packages)"
    if [[ $(id -u) -eq 0 ]]; then
        apt-get update && apt-get install -y --no-install-recommends nodejs npm
    else
        sudo apt-get update && sudo apt-get install -y --no-install-recommends nodejs npm
    fi
fi

# The Python fixture component is not committed (18 MB): build it from the prebuilt
# componentize-py wheel (about 25 s) before the tests, which fail without it in CI.
if ! componentize-py --version 2>/dev/null | grep -q "componentize-py 0.25.1"; then
    step "Installing componentize-py 0.25.1 (PyPI wheel)"
    python3 -m pip install --quiet componentize-py==0.25.1
fi
# The live differential test (engine/wasi/tests/differential.rs) runs every fixture component
# on wasmtime 50 too, through its Python API; it fails without it.
if ! python3 -c "import importlib.metadata as m, sys; sys.exit(m.version('wasmtime') != '50.0.1')" 2>/dev/null; then
    step "Installing wasmtime 50.0.1 (PyPI wheel, a prebuilt engine)"
    python3 -m pip install --quiet wasmtime==50.0.1
fi
step "Building the Python fixture component"
bash fixtures/components/build.sh py

# The polyglot example's composition is not committed (30 MB): its Python and JavaScript
# parts are built from the componentize-py wheel and componentize-js (npm), and wac plugs
# them with the committed C part. wac-cli is compiled once (about 7 minutes on two cores).
if ! wac --version 2>/dev/null | grep -q "wac-cli 0.12.0"; then
    step "Installing wac-cli 0.12.0 (crates.io)"
    CARGO_TARGET_DIR="${TMPDIR:-/tmp}/canopy-wac-install" cargo install --quiet --locked wac-cli@0.12.0 --no-default-features --features wit
    export PATH="$HOME/.cargo/bin:$PATH"
fi
step "Building the polyglot example (C -> Python -> JS, composed with wac)"
bash examples/polyglot/build.sh

step "Rust: cargo test --workspace --release"
cargo test --workspace --release

step "Building the canopy binary for the editor tests"
cargo build --release --bin canopy

step "VS Code extension: build, package, check the .vsix, end-to-end tests"
CANOPY_BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/canopy" bash editors/vscode/scripts/ci.sh

step "All tests passed"
