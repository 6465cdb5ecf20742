#!/usr/bin/env bash
# make test: provisions, builds, installs, starts the throwaway cluster, runs
# every suite (unit, pg_regress, isolation, pgTAP, dump, upgrade, security,
# dbcheck, clients, the randomized lifecycle and signals models, the reports
# against an independent computation, typed SPI's compile-time
# checks, a pg_cron-scheduled expiry sweep, a short crash-soak, fuzz) and
# ends with one
# line "N passed, N failed". Exits non-zero on any failure.
source "$(dirname "$0")/common.sh"
cd "$ROOT"

# the client suite's drivers and toolchains (test/clients/run.sh)
provision_and_start "${CLIENT_PACKAGES[@]}"

passed=0
failed=0
LOG_DIR=$ROOT/build/test-logs
mkdir -p "$LOG_DIR"

# Adds a suite's counts to the totals and prints them.
tally() {
    local suite=$1 ok=$2 bad=$3
    passed=$((passed + ok))
    failed=$((failed + bad))
    printf '%-12s %4d passed, %d failed\n' "$suite" "$ok" "$bad"
}

# Reads pg_regress's summary ("All N tests passed." / "M of N tests failed.").
regress_counts() {
    local log=$1 total bad
    if grep -qE 'All [0-9]+ tests passed' "$log"; then
        total=$(grep -oE 'All [0-9]+ tests passed' "$log" | grep -oE '[0-9]+')
        echo "$total 0"
    elif grep -qE '[0-9]+ of [0-9]+ tests failed' "$log"; then
        read -r bad total < <(grep -oE '[0-9]+ of [0-9]+ tests failed' "$log" | grep -oE '[0-9]+' | xargs)
        echo "$((total - bad)) $bad"
    else
        echo "0 1" # the runner itself failed
    fi
}

# Counts TAP lines ("ok N", "not ok N", indented or not) in a log.
tap_counts() {
    local log=$1
    echo "$(grep -cE '^ *ok [0-9]+' "$log" || true) $(grep -cE '^ *not ok [0-9]+' "$log" || true)"
}

say "unit tests (ctest)"
if (cd build && ctest --output-on-failure >"$LOG_DIR/unit.log" 2>&1); then :; fi
unit_total=$(grep -oE 'out of [0-9]+' "$LOG_DIR/unit.log" | grep -oE '[0-9]+' || echo 0)
unit_failed=$(grep -oE '[0-9]+ tests failed' "$LOG_DIR/unit.log" | grep -oE '^[0-9]+' || echo 1)
[ "$unit_total" -gt 0 ] || unit_failed=1
tally unit $((unit_total - unit_failed)) "$unit_failed"
[ "$unit_failed" -eq 0 ] || grep -E 'Failed|FAILED' "$LOG_DIR/unit.log" | head -20

say "pg_regress"
make -s installcheck ISOLATION= >"$LOG_DIR/regress.log" 2>&1 || true
read -r ok bad < <(regress_counts "$LOG_DIR/regress.log")
tally pg_regress "$ok" "$bad"
[ "$bad" -eq 0 ] || { grep -E 'FAILED|failed' "$LOG_DIR/regress.log"; head -80 regression.diffs 2>/dev/null; }

say "isolation"
make -s installcheck REGRESS= >"$LOG_DIR/isolation.log" 2>&1 || true
read -r ok bad < <(regress_counts "$LOG_DIR/isolation.log")
tally isolation "$ok" "$bad"
[ "$bad" -eq 0 ] || { grep -E 'FAILED|failed' "$LOG_DIR/isolation.log"; head -80 output_iso/regression.diffs 2>/dev/null; }

say "pgTAP (pg_prove)"
PGOPTIONS="-c client_min_messages=warning" psql -X -q -d postgres -c "DROP DATABASE IF EXISTS credits_tap" -c "CREATE DATABASE credits_tap" >/dev/null
psql -X -q -d credits_tap -c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION credits" >/dev/null
prove_status=0
pg_prove -v -d credits_tap test/pgtap/*.sql >"$LOG_DIR/pgtap.log" 2>&1 || prove_status=$?
read -r ok bad < <(tap_counts "$LOG_DIR/pgtap.log")
if [ "$prove_status" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi # a file died or missed its plan
tally pgtap "$ok" "$bad"
[ "$bad" -eq 0 ] || grep -E 'not ok|Failed|Dubious|ERROR|Parse errors' "$LOG_DIR/pgtap.log" | head -40

# Shell-driven TAP suites: name, script.
for suite in "dump test/dump/dump_restore.sh" "upgrade test/upgrade/upgrade.sh" \
    "security test/security/planted.sh" "dbcheck test/dbcheck/dbcheck.sh" "clients test/clients/run.sh" \
    "model test/model/run.sh" "signals test/model/signals.sh" "analytics test/model/analytics.sh" \
    "compile test/compile/run.sh" \
    "cron test/cron/run.sh" \
    "examples test/examples/run.sh"; do
    read -r name script <<<"$suite"
    say "$name ($script)"
    status=0
    bash "$script" >"$LOG_DIR/$name.log" 2>&1 || status=$?
    read -r ok bad < <(tap_counts "$LOG_DIR/$name.log")
    # the script itself failed: nothing passed, or it stopped with no test failed
    if [ "$ok" -eq 0 ] || { [ "$status" -ne 0 ] && [ "$bad" -eq 0 ]; }; then
        bad=$((bad + 1))
    fi
    tally "$name" "$ok" "$bad"
    [ "$bad" -eq 0 ] || cat "$LOG_DIR/$name.log"
done

say "crash-soak, short (scripts/soak.sh)"
if SOAK_SHORT=1 bash scripts/soak.sh >"$LOG_DIR/soak.log" 2>&1; then
    tally soak 1 0
else
    tally soak 0 1
fi
tail -1 "$LOG_DIR/soak.log"

say "fuzz (${CREDITS_FUZZ_SECONDS:-15} s a target)"
bash scripts/fuzz.sh "${CREDITS_FUZZ_SECONDS:-15}" >"$LOG_DIR/fuzz.log" 2>&1 || true
cat "$LOG_DIR/fuzz.log"
ok=$(grep -cE '^fuzz_[a-z_]+ ok' "$LOG_DIR/fuzz.log" || true)
bad=$(grep -cE '^fuzz_[a-z_]+ FAILED' "$LOG_DIR/fuzz.log" || true)
[ "$ok" -gt 0 ] || bad=$((bad + 1)) # no target ran
tally fuzz "$ok" "$bad"

echo "logs: $LOG_DIR"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
