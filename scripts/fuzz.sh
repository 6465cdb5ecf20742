#!/usr/bin/env bash
# Runs every libFuzzer target (build/fuzz_*, from test/fuzz/*.cpp) for
# SECONDS each (default 30), starting from its seed corpus in
# test/fuzz/corpus_<name>; prints one "fuzz_<name> ok|FAILED" line each and
# exits non-zero when any found a failure (reproducer in build/fuzz-run/).
source "$(dirname "$0")/common.sh"
cd "$ROOT"
seconds=${1:-30}
status=0
targets=(build/fuzz_*)
if [ ! -x "${targets[0]}" ]; then
    echo "no fuzz targets in build/ (they need clang)"
    exit 1
fi
for target in "${targets[@]}"; do
    name=$(basename "$target")
    run=$ROOT/build/fuzz-run/${name#fuzz_}
    mkdir -p "$run"
    if "$target" -max_total_time="$seconds" -max_len=256 -artifact_prefix="$run/" \
        "$run" "test/fuzz/corpus_${name#fuzz_}" >"$run.log" 2>&1; then
        echo "$name ok ($(grep -oE 'Done [0-9]+ runs' "$run.log" | grep -oE '[0-9]+') runs in ${seconds}s)"
    else
        echo "$name FAILED (log: $run.log)"
        grep -A5 -E "what\(\)|SUMMARY|ERROR" "$run.log" | head -20
        status=1
    fi
done
exit $status
