#!/usr/bin/env bash
# make unit: builds and runs only the C++ core's unit tests.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
if [ ! -f build/CMakeCache.txt ]; then
    CXX=clang++ cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build build -j"$(nproc)" --target unit_tests >/dev/null
cd build && ctest --output-on-failure
