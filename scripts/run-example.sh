#!/usr/bin/env bash
# The main job on the bundled example, from a fresh machine: installs what building the
# polyglot composition needs when it is missing (Node.js and npm from Debian, componentize-py
# from PyPI, wac-cli from crates.io), builds examples/polyglot (C calling Python calling
# JavaScript, composed with wac), and runs its export with `canopy run`.
#
#   bash scripts/run-example.sh ['run("some text")']
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
step() { printf '\n==> %s\n' "$*"; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

if ! command -v npm >/dev/null 2>&1; then
    step "Installing Node.js and npm (Debian packages)"
    as_root apt-get update && as_root apt-get install -y --no-install-recommends nodejs npm
fi
if ! componentize-py --version 2>/dev/null | grep -q "componentize-py 0.25.1"; then
    step "Installing componentize-py 0.25.1 (PyPI wheel)"
    python3 -m pip install --quiet componentize-py==0.25.1
fi
export PATH="$HOME/.cargo/bin:$PATH"
if ! wac --version 2>/dev/null | grep -q "wac-cli 0.12.0"; then
    step "Installing wac-cli 0.12.0 (crates.io; about 7 minutes on two cores)"
    CARGO_TARGET_DIR="${TMPDIR:-/tmp}/canopy-wac-install" cargo install --quiet --locked wac-cli@0.12.0 --no-default-features --features wit
fi
step "Building the polyglot example"
bash examples/polyglot/build.sh

CALL=${1:-'run("Hello, polyglot world!")'}
step "canopy run examples/polyglot/wasm/polyglot.wasm --invoke '$CALL'"
cargo run --quiet --release -- run examples/polyglot/wasm/polyglot.wasm --invoke "$CALL"
