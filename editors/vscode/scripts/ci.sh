#!/usr/bin/env bash
# CI for the VS Code extension: install exactly what package-lock.json pins, type-check, bundle,
# package the .vsix and check its contents, then test the grammar and drive the real language
# server end to end. Run it after `cargo build --release` (it needs target/release/canopy).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo_root="$(cd ../.. && pwd)"
export CANOPY_BIN="${CANOPY_BIN:-${CARGO_TARGET_DIR:-$repo_root/target}/release/canopy}"

step() { printf '\n==> [vscode] %s\n' "$*"; }

if [[ ! -x "$CANOPY_BIN" ]]; then
    echo "error: the canopy binary is missing at $CANOPY_BIN (run cargo build --release first, or set CANOPY_BIN)" >&2
    exit 1
fi

step "npm ci"
npm ci --no-audit --no-fund
step "Type check"
npm run typecheck
step "Bundle"
npm run build
step "Package"
npm run package
step "Check the .vsix"
npm run check-vsix
step "Unit and grammar tests"
npm run test:unit
npm run test:grammar
step "End-to-end tests against $CANOPY_BIN"
npm run test:e2e
