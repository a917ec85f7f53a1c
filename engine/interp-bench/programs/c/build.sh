#!/bin/sh
# Rebuilds lz.wasm from lz.c: freestanding wasm32 at -O2, keeping the name section (the
# benchmarks find `never_called` through it). Needs clang-19 and lld-19 (Debian:
# `apt-get install clang-19 lld-19`); CI does not run this, it uses the checked-in lz.wasm.
set -eu
cd "$(dirname "$0")"
CLANG="${CLANG:-clang-19}"
"$CLANG" --target=wasm32 -O2 -ffreestanding -nostdlib -fno-builtin -Wall -Wextra -Werror \
    -Wl,--no-entry -Wl,-z,stack-size=65536 \
    -o lz.wasm lz.c
