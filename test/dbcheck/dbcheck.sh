#!/usr/bin/env bash
# make dbcheck against a database created by hand with a ledger in it: the
# shipped pgTAP suite passes and leaves row counts, sequences and roles as
# they were; dbcheck refuses databases where it cannot guarantee that.
# Prints TAP lines; run by scripts/test.sh.
source "$(dirname "$0")/../../scripts/common.sh"
use_cluster
work=$ROOT/build/dbcheck-test
source "$ROOT/test/tap.sh"
db=credits_byhand
dbcheck() { PGDATABASE=$db bash "$ROOT/scripts/dbcheck.sh" >"$work/dbcheck.log" 2>&1; }
refused() { dbcheck; [ $? -eq 2 ] && grep -q 'refusing to run' "$work/dbcheck.log"; }

q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
q -d "$db" -c "CREATE EXTENSION credits" && q -d "$db" -f "$ROOT/test/dump/scenario.sql" >/dev/null
check "dbcheck refuses a database without pgtap" refused
q -d "$db" -c "CREATE EXTENSION pgtap"
q -d "$db" -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
sleeper=$!
for _ in $(seq 50); do
    [ "$(q -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db'")" -gt 0 ] && break
    sleep 0.1
done
check "dbcheck refuses while another session is connected" refused
q -d postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db'" >/dev/null
wait "$sleeper" 2>/dev/null
q -d "$db" -c "SELECT credits.open_account('acme')" >/dev/null
check "dbcheck refuses when an account the suite opens exists" refused
q -d "$db" -c "SET session_replication_role = replica" -c "DELETE FROM credits.operations WHERE account = (SELECT id FROM credits.accounts WHERE key = 'acme')" \
    -c "DELETE FROM credits.accounts WHERE key = 'acme'" >/dev/null
counts() { q -d "$db" -c "SELECT (SELECT count(*) FROM credits.entries), (SELECT count(*) FROM credits.operations), (SELECT last_value FROM credits.entries_id_seq)"; }
before=$(counts)
check "the pgTAP suite passes against a database made by hand" dbcheck
check "and dbcheck found row counts, sequences and roles as they were" \
    grep -q '^ok - row counts, sequences, roles and extensions are as they were' "$work/dbcheck.log"
check "the ledger's journal and sequences are untouched" test "$(counts)" = "$before"
check "its chains still verify" test "$(q -d "$db" -c "SELECT bool_and(ok) FROM credits.verify_chain()")" = t
q -d postgres -c "DROP DATABASE $db"
