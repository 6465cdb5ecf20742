#!/usr/bin/env bash
# make bench: provisions, builds, installs, starts the throwaway cluster and
# runs the benchmarks. CREDITS_BENCH_ROWS and CREDITS_BENCH_RUNS scale them.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
provision_and_start
python3 scripts/bench.py
