#!/usr/bin/env bash
# make soak: the crash-soak. 16 connections of mixed ledger operations
# (test/soak/soak_driver.cpp) while the server is killed with kill -9 every
# CRASH_MIN..CRASH_MAX seconds and restarted; then every acknowledged
# operation must exist exactly once, balances must equal a replay of the
# acknowledged log, check_invariants() must be empty and every chain must
# verify. Runs DURATION seconds (default 180) and at least MIN_CRASHES
# crashes (default 5), then the fuzz targets for FUZZ_SECONDS each (120).
# scripts/test.sh runs a short one: SOAK_SHORT=1.
source "$(dirname "$0")/common.sh"
cd "$ROOT"

if [ -n "${SOAK_SHORT:-}" ]; then
    : "${DURATION:=30}" "${CRASH_MIN:=6}" "${CRASH_MAX:=9}" "${MIN_CRASHES:=3}" "${FUZZ_SECONDS:=0}"
else
    : "${DURATION:=180}" "${CRASH_MIN:=20}" "${CRASH_MAX:=40}" "${MIN_CRASHES:=5}" "${FUZZ_SECONDS:=120}"
    provision_and_start
fi
use_cluster
work=$ROOT/build/soak
rm -rf "$work"
mkdir -p "$work"
accounts=50
seed=${SOAK_SEED:-$RANDOM}

say "crash-soak: ${DURATION}s, a crash every ${CRASH_MIN}-${CRASH_MAX}s (at least $MIN_CRASHES), seed $seed"
export PGOPTIONS="-c client_min_messages=warning"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS credits_soak" -c "CREATE DATABASE credits_soak"
psql -X -q -d credits_soak -v ON_ERROR_STOP=1 -c "CREATE EXTENSION credits" \
    -c "SELECT count(credits.open_account('soak-' || i)) FROM generate_series(0, $accounts - 1) i" >/dev/null
export PGDATABASE=credits_soak

# Kills the postmaster and every backend with SIGKILL, as a power cut
# would, then starts the server again (crash recovery replays the WAL).
crash_and_restart() {
    local pid children
    pid=$(head -1 "$PGDATA_DIR/postmaster.pid")
    children=$(pgrep -P "$pid" | xargs)
    kill -9 "$pid" $children 2>/dev/null || true
    for _ in $(seq 300); do
        kill -0 "$pid" $children 2>/dev/null || break
        sleep 0.1
    done
    bash "$ROOT/scripts/cluster.sh" start >/dev/null
}

build/soak_driver run "$work" 16 "$accounts" "$seed" 2>"$work/driver.err" &
driver=$!
crashes=0
start=$SECONDS
while [ $((SECONDS - start)) -lt "$DURATION" ] || [ "$crashes" -lt "$MIN_CRASHES" ]; do
    sleep $((CRASH_MIN + RANDOM % (CRASH_MAX - CRASH_MIN + 1)))
    kill -0 "$driver" 2>/dev/null || break # the driver gave up
    crash_and_restart
    crashes=$((crashes + 1))
    echo "crash $crashes at $((SECONDS - start))s: server killed and restarted"
done
sleep 2 # some work against the recovered server
touch "$work/stop"
driver_status=0
wait "$driver" || driver_status=$?
cat "$work/driver.err" >&2
verify_status=0
build/soak_driver verify "$work" "$crashes" || verify_status=$?

fuzz_status=0
if [ "$FUZZ_SECONDS" -gt 0 ]; then
    bash scripts/fuzz.sh "$FUZZ_SECONDS" || fuzz_status=$?
fi
[ "$driver_status" -eq 0 ] && [ "$verify_status" -eq 0 ] && [ "$fuzz_status" -eq 0 ]
