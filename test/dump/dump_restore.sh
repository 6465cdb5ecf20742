#!/usr/bin/env bash
# pg_dump / pg_restore round trip: every account, grant, operation, entry
# and audit row comes back, sequences continue, and the chains verify.
# Prints "ok N - ..." / "not ok N - ..." lines; run by scripts/test.sh.
source "$(dirname "$0")/../../scripts/common.sh"
use_cluster
work=$ROOT/build/dump-test
source "$ROOT/test/tap.sh"
q -d postgres -c "DROP DATABASE IF EXISTS credits_dump_src" -c "DROP DATABASE IF EXISTS credits_dump_dst" \
    -c "CREATE DATABASE credits_dump_src" -c "CREATE DATABASE credits_dump_dst"
q -d credits_dump_src -c "CREATE EXTENSION credits" >/dev/null
check "scenario runs" q -d credits_dump_src -f "$ROOT/test/dump/scenario.sql"
check "and what 1.1 added" q -d credits_dump_src -f "$ROOT/test/dump/scenario_1_1.sql"
# the summed flows are derived: left out of the dump, summed again after restore
rollforward="SELECT * FROM credits.liability_rollforward('2025-01-01+00', '2027-01-01+00')"
# refresh DB: refreshes until every entry is summed (twice at least; more
# while transactions from before each call are still open)
refresh() {
    for _ in $(seq 100); do
        q -d "$1" -c "SELECT credits.refresh_flow_totals()" >/dev/null || return 1
        [ "$(q -d "$1" -c "SELECT summarized_to = (SELECT max(id) FROM credits.entries) FROM credits.flow_totals_state")" = t ] && return 0
        sleep 0.1
    done
    return 1
}
check "the source's flows are summed" refresh credits_dump_src
q -d credits_dump_src -c "SET TimeZone = 'UTC'" -c "$rollforward" >"$work/rollforward.src"
check "pg_dump" "$PG_BIN/pg_dump" -Fc -f "$work/ledger.dump" credits_dump_src
check "pg_restore" "$PG_BIN/pg_restore" --exit-on-error -d credits_dump_dst "$work/ledger.dump"

# the same rows, column for column
for table in "kinds ORDER BY kind" "accounts ORDER BY id" "grants ORDER BY id" \
    "operations ORDER BY id" "entries ORDER BY id" "audit_log ORDER BY id" \
    "plan_changes ORDER BY id" "sla_policies ORDER BY name" "sla_tiers ORDER BY policy, position" \
    "sla_credits ORDER BY id" "packs ORDER BY code" "reward_rules ORDER BY code" "rewards ORDER BY id" \
    "reversals ORDER BY operation" "holds ORDER BY id" "hold_lots ORDER BY hold, position" \
    "alert_rules ORDER BY account" "alerts ORDER BY id" "topups ORDER BY alert"; do
    name=${table%% *}
    q -d credits_dump_src -c "COPY (SELECT * FROM credits.$table) TO STDOUT" >"$work/$name.src"
    q -d credits_dump_dst -c "COPY (SELECT * FROM credits.$table) TO STDOUT" >"$work/$name.dst"
    check "credits.$name is the same after restore ($(wc -l <"$work/$name.src") rows)" \
        diff "$work/$name.src" "$work/$name.dst"
done
check "the user-defined SLA policy came back once, with its tiers" \
    test "$(q -d credits_dump_dst -c "SELECT count(*) FROM credits.sla_tiers WHERE policy = 'own-sla'")" = 2
check "the user-added kind came back once" \
    test "$(q -d credits_dump_dst -c "SELECT count(*) FROM credits.kinds WHERE kind = 'partner'")" = 1
check "verify_chain passes after restore, for each of the 4 accounts" \
    test "$(q -d credits_dump_dst -c "SELECT count(*) FROM credits.verify_chain() WHERE ok")" = 4
check "check_invariants is empty after restore" \
    test -z "$(q -d credits_dump_dst -c "SELECT * FROM credits.check_invariants()")"
check "the summed flows are not restored" \
    test "$(q -d credits_dump_dst -c "SELECT (SELECT count(*) FROM credits.flow_totals), (SELECT summarized_to FROM credits.flow_totals_state)")" = "0|0"
q -d credits_dump_dst -c "SET TimeZone = 'UTC'" -c "$rollforward" >"$work/rollforward.dst"
check "the roll-forward is the same after restore, from the journal" diff "$work/rollforward.src" "$work/rollforward.dst"
refresh credits_dump_dst
q -d credits_dump_dst -c "SET TimeZone = 'UTC'" -c "$rollforward" >"$work/rollforward.dst"
summed_again=$(q -d credits_dump_dst -c "SELECT count(*) > 0 FROM credits.flow_totals")
check "and summed again" bash -c "test $summed_again = t && diff '$work/rollforward.src' '$work/rollforward.dst'"
# sequences continue where they were: new rows get new ids, the chain goes on
q -d credits_dump_dst -c "SET credits.test_clock = '2026-08-01+00'" -c "SELECT credits.debit('alpha', 1)" >/dev/null 2>&1
check "a debit after restore continues the ids" \
    test "$(q -d credits_dump_dst -c "SELECT max(id) FROM credits.entries")" -gt \
         "$(q -d credits_dump_src -c "SELECT max(id) FROM credits.entries")"
check "and the chain" \
    test "$(q -d credits_dump_dst -c "SELECT bool_and(ok) FROM credits.verify_chain()")" = t

# the standalone verifier re-checks a CSV export, and notices tampering
PGOPTIONS="-c timezone=America/New_York" q -d credits_dump_dst -f "$ROOT/examples/journal_export.sql" >"$work/journal.csv"
check "examples/verify_chain.py verifies a CSV export" python3 "$ROOT/examples/verify_chain.py" "$work/journal.csv"
awk -F, 'NR == 4 { $6 = "-1" } { print }' OFS=, "$work/journal.csv" >"$work/tampered.csv"
check "and detects a tampered amount" bash -c "! python3 '$ROOT/examples/verify_chain.py' '$work/tampered.csv'"
python3 - "$work/journal.csv" "$work/tampered_grant.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
for r in rows:
    if r["grant"] and r["grant_expires_at"]:
        r["grant_expires_at"] = "2099-01-01 00:00:00+00"  # a grant's expiry pushed out
        break
w = csv.DictWriter(open(sys.argv[2], "w", newline=""), fieldnames=rows[0].keys())
w.writeheader()
w.writerows(rows)
PY
check "and detects a grant whose expiry was changed" bash -c "! python3 '$ROOT/examples/verify_chain.py' '$work/tampered_grant.csv'"

q -d postgres -c "DROP DATABASE credits_dump_src" -c "DROP DATABASE credits_dump_dst"
