#!/usr/bin/env bash
# make bench: provisions, builds, installs, starts the throwaway cluster and
# runs the benchmarks (scripts/bench.py for the type, scripts/bench_ledger.py
# for the ledger, scripts/bench_lifecycle.py for batches, holds and
# transfers, scripts/bench_signals.py for the sweep and alert rules,
# scripts/bench_analytics.py for the reports); their CREDITS_BENCH_*
# variables scale them.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
provision_and_start
# CREDITS_BENCH=type, ledger, lifecycle, signals or analytics runs one part only.
case "${CREDITS_BENCH:-all}" in
type) python3 scripts/bench.py ;;
ledger) PG_BIN=$PG_BIN python3 scripts/bench_ledger.py ;;
lifecycle) PG_BIN=$PG_BIN python3 scripts/bench_lifecycle.py ;;
signals) PG_BIN=$PG_BIN python3 scripts/bench_signals.py ;;
analytics) python3 scripts/bench_analytics.py ;;
*) python3 scripts/bench.py && PG_BIN=$PG_BIN python3 scripts/bench_ledger.py &&
    PG_BIN=$PG_BIN python3 scripts/bench_lifecycle.py && PG_BIN=$PG_BIN python3 scripts/bench_signals.py &&
    python3 scripts/bench_analytics.py ;;
esac
