#!/usr/bin/env bash
# Upgrade test: release 1.0 is frozen; a ledger created at 1.0 and updated
# with ALTER EXTENSION credits UPDATE has the same schema as a fresh install
# (pg_dump --schema-only --binary-upgrade, which lists every member object
# of the extension, normalised), keeps its data, and its chains verify
# before and after new operations and through a dump and restore.
# Prints TAP lines; run by scripts/test.sh.
source "$(dirname "$0")/../../scripts/common.sh"
use_cluster
work=$ROOT/build/upgrade-test
source "$ROOT/test/tap.sh"

frozen_sha=d7f65ec6adb3f66ebd3ab81e29e3d1f990b5beef7891a691fbf06ebce7d2e364
check "sql/credits--1.0.sql is byte for byte the 1.0 release" \
    test "$(sha256sum <"$ROOT/sql/credits--1.0.sql" | cut -d' ' -f1)" = "$frozen_sha"

for db in credits_up_old credits_up_new credits_up_restored; do
    q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
done
current=$(current_version)
check "a 1.0 ledger is created" q -d credits_up_old -c "CREATE EXTENSION credits VERSION '1.0'"
check "and takes the scenario" q -d credits_up_old -f "$ROOT/test/dump/scenario.sql"
check "the new library verifies the 1.0 schema's chains before the update" \
    test "$(q -d credits_up_old -c "SELECT bool_and(ok) FROM credits.verify_chain()")" = t

# every table's rows, in the columns 1.0 has
tables="kinds accounts grants operations entries audit_log plan_changes sla_policies sla_tiers
        sla_credits packs reward_rules rewards"
# the columns each table has at 1.0 (columns 1.1 adds are compared by the
# schema check below)
declare -A columns
for t in $tables; do
    columns[$t]=$(q -d credits_up_old -c "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
        FROM information_schema.columns WHERE table_schema = 'credits' AND table_name = '$t'")
done
snapshot() { # snapshot SUFFIX
    for t in $tables; do
        # shipped rows are the extension's own data, which an update may correct
        where=$(q -d credits_up_old -c "SELECT CASE WHEN EXISTS (SELECT FROM information_schema.columns
            WHERE table_schema = 'credits' AND table_name = '$t' AND column_name = 'shipped')
            THEN 'WHERE NOT shipped' ELSE '' END")
        q -d credits_up_old -c "COPY (SELECT ${columns[$t]} FROM credits.$t $where ORDER BY 1, 2) TO STDOUT" >"$work/$t.$1"
    done
}
snapshot before
check "ALTER EXTENSION credits UPDATE reaches $current" \
    q -d credits_up_old -c "ALTER EXTENSION credits UPDATE" \
      -c "DO \$\$ BEGIN IF (SELECT extversion FROM pg_extension WHERE extname = 'credits') <> '$current' THEN RAISE EXCEPTION 'not updated'; END IF; END \$\$"
snapshot after
for t in $tables; do
    check "credits.$t (the user's rows) is unchanged by the update ($(wc -l <"$work/$t.before") rows)" \
        diff "$work/$t.before" "$work/$t.after"
done
check "entries written by 1.0 keep encoding 1" \
    test "$(q -d credits_up_old -c "SELECT count(*) FROM credits.entries WHERE encoding <> 1")" = 0

# the same schema as a fresh install
check "a fresh install of $current" q -d credits_up_new -c "CREATE EXTENSION credits"
schema() { # schema DB: the member objects, without OIDs, xids, dump keys and sequence values
    "$PG_BIN/pg_dump" --schema-only --binary-upgrade -d "$1" |
        grep -vE '^\\(un)?restrict |binary_upgrade_set_next_|binary_upgrade_set_missing_value|^-- set missing value|relfrozenxid|^WHERE oid = |pg_catalog.setval' |
        sed -E "s/(binary_upgrade_create_empty_extension\('credits', '[^']*', false, '[^']*', )'\{[0-9,]*\}'/\1'{oids}'/" |
        cat -s
}
schema credits_up_old >"$work/schema.updated"
schema credits_up_new >"$work/schema.fresh"
check "pg_dump --schema-only of the updated and the fresh install are identical ($(wc -l <"$work/schema.fresh") lines)" \
    diff -u "$work/schema.fresh" "$work/schema.updated"

for t in kinds sla_policies sla_tiers; do
    check "shipped rows of credits.$t are those of a fresh install" diff \
        <(q -d credits_up_old -c "SELECT * FROM credits.$t WHERE shipped ORDER BY 1, 2") \
        <(q -d credits_up_new -c "SELECT * FROM credits.$t WHERE shipped ORDER BY 1, 2")
done

# the updated ledger works and verifies
check "verify_chain passes after the update" \
    test "$(q -d credits_up_old -c "SELECT bool_and(ok) FROM credits.verify_chain()")" = t
check "check_invariants is empty after the update" \
    test -z "$(q -d credits_up_old -c "SELECT * FROM credits.check_invariants()")"
check "new operations on the updated ledger" q -d credits_up_old \
    -c "SET credits.test_clock = '2026-06-01+00'" \
    -c "SELECT credits.grant_credits('alpha', 40, 'purchased', '2027-01-01+00', cost_basis => 0.5)" \
    -c "SELECT credits.debit('alpha', 45, 'after-update')"
# retries of billing calls made at 1.0 return what 1.0 returned
check "a pack purchase retried after the update returns the 1.0 purchase" test \
    "$(q -d credits_up_old -c "SELECT credits.purchase_pack('alpha', 'pack-100', 'order-1')")" = \
    "$(q -d credits_up_old -c "SELECT min(id) FROM credits.grants WHERE kind = 'purchased' AND reference LIKE 'pack pack-100%'")"
check "an SLA period credited at 1.0 returns its grant" test \
    "$(q -d credits_up_old -c "SELECT credits.issue_sla_credit('alpha', 'own-sla', 100, '[2026-02-01,2026-03-01)', '{[2026-02-10 10:00,2026-02-10 12:00)}')")" = \
    "$(q -d credits_up_old -c "SELECT grant_id FROM credits.sla_credits WHERE operation IS NULL")"
check "billing calls after the update are operations of the pipeline" q -d credits_up_old \
    -c "SET credits.test_clock = '2026-06-01+00'" \
    -c "SELECT credits.purchase_pack('alpha', 'pack-100', 'order-2')" \
    -c "SELECT credits.reward('alpha', 'renewal', 10, 'renewal-2')" \
    -c "SELECT * FROM credits.apply_plan_change('alpha', 300, 100, '2026-06-01+00', '2026-07-01+00', '2026-06-01+00')"
check "each recorded once with its operation" test \
    "$(q -d credits_up_old -c "SELECT count(*) FROM credits.operations WHERE type IN ('purchase_pack', 'reward', 'plan_change')")" = 3
check "they are written with encoding 2" \
    test "$(q -d credits_up_old -c "SELECT count(DISTINCT encoding) FROM credits.entries")" = 2
check "transfers, reversals and voids work on the updated ledger" q -d credits_up_old \
    -f "$ROOT/test/dump/scenario_1_1.sql"
check "and 1.0 lots move with their kind, expiry and cost basis" test \
    "$(q -d credits_up_old -c "SELECT count(*) FROM credits.grants d JOIN credits.grants s ON s.id = d.origin
        WHERE (d.kind, d.expires_at, d.priority, d.cost_basis) IS NOT DISTINCT FROM (s.kind, s.expires_at, s.priority, s.cost_basis)")" -ge 1
check "chains of encodings 1 and 2 verify together" \
    test "$(q -d credits_up_old -c "SELECT bool_and(ok) FROM credits.verify_chain()")" = t
check "and check_invariants stays empty" \
    test -z "$(q -d credits_up_old -c "SELECT * FROM credits.check_invariants()")"
check "a dump of the updated ledger restores" bash -c \
    "'$PG_BIN/pg_dump' -Fc -d credits_up_old -f '$work/updated.dump' &&
     '$PG_BIN/pg_restore' --exit-on-error -d credits_up_restored '$work/updated.dump'"
check "and its chains verify after the restore" \
    test "$(q -d credits_up_restored -c "SELECT bool_and(ok) FROM credits.verify_chain()")" = t
check "with the same hashes" diff \
    <(q -d credits_up_old -c "SELECT id, encoding, hash FROM credits.entries ORDER BY id") \
    <(q -d credits_up_restored -c "SELECT id, encoding, hash FROM credits.entries ORDER BY id")

q -d postgres -c "DROP DATABASE credits_up_old" -c "DROP DATABASE credits_up_new" -c "DROP DATABASE credits_up_restored"
