#!/usr/bin/env bash
# Builds and installs the extension, and builds the C++ core's tests, fuzz
# target and micro-benchmarks; both builds are incremental.
source "$(dirname "$0")/common.sh"
cd "$ROOT"

say "building the extension"
make -s -j"$(nproc)" all
say "installing the extension"
$SUDO make -s install PG_CONFIG="$PG_CONFIG" >/dev/null

say "building the core's tests"
if [ ! -f "$ROOT/build/CMakeCache.txt" ]; then
    CXX=clang++ cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$ROOT/build" -j"$(nproc)" >/dev/null
