#!/usr/bin/env bash
# make dbcheck: the shipped pgTAP suite (test/pgtap/*.sql) against an
# existing database that has the extension, reached with the usual PGHOST,
# PGPORT, PGDATABASE and PGUSER. Every file runs inside one transaction that
# it rolls back; sequences, which a rollback does not reset, are put back.
# Refuses (exit 2, nothing run) where that cannot be guaranteed: no credits
# or pgtap extension, not a superuser (the suite sets credits.test_clock and
# disables triggers inside its transactions), other sessions connected to
# the database (they would see locks and take sequence values), or a test
# file that does not end in ROLLBACK. Afterwards it checks that row counts,
# sequences and roles are what they were. Ends with "N passed, N failed".
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
refuse() { echo "dbcheck: refusing to run: $*" >&2; exit 2; }

db=$(q -c "SELECT current_database()") || refuse "cannot connect (set PGHOST, PGPORT, PGDATABASE, PGUSER)"
[ "$(q -c "SELECT count(*) FROM pg_extension WHERE extname = 'credits'")" = 1 ] ||
    refuse "database $db has no credits extension"
[ "$(q -c "SELECT count(*) FROM pg_extension WHERE extname = 'pgtap'")" = 1 ] ||
    refuse "database $db has no pgtap extension (CREATE EXTENSION pgtap first)"
[ "$(q -c "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")" = t ] ||
    refuse "$(q -c "SELECT current_user") is not a superuser"
others=$(q -c "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'")
[ "$others" = 0 ] || refuse "$others other session(s) are connected to $db"
for f in "$ROOT"/test/pgtap/*.sql; do
    grep -qiE '^\s*COMMIT|^\s*END\s*;' "$f" && refuse "$(basename "$f") commits"
    [ "$(grep -vE '^\s*(--.*)?$' "$f" | tail -1 | tr -d ' ;' | tr a-z A-Z)" = ROLLBACK ] ||
        refuse "$(basename "$f") does not end in ROLLBACK"
done

# the suite opens its own accounts: none of their keys may exist already
keys=$(grep -ohE "open_account\('[^']+'" "$ROOT"/test/pgtap/*.sql | sed -E "s/open_account\('//; s/'$//" | sort -u |
    sed "s/.*/'&'/" | paste -sd, -)
taken=$(q -c "SELECT string_agg(key, ', ') FROM credits.accounts WHERE key IN ($keys)")
[ -z "$taken" ] || refuse "accounts the suite opens already exist in $db: $taken"

state() { # what the suite must leave as it found it
    q -c "SELECT 'rows ' || c.relname || ' ' || (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'credits' AND c.relkind = 'r' ORDER BY 1"
    q -c "SELECT 'sequence ' || schemaname || '.' || sequencename || ' ' || coalesce(last_value::text, 'unused')
          FROM pg_sequences ORDER BY 1"
    q -c "SELECT 'role ' || rolname FROM pg_roles ORDER BY 1"
    q -c "SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension ORDER BY 1"
}
before=$(mktemp) after=$(mktemp) log=$(mktemp)
trap 'rm -f "$before" "$after" "$log"' EXIT
state >"$before"
# the sequences as they are, to be put back after the rolled-back runs
restore=$(q -c "SELECT string_agg(format('SELECT setval(%L, %s, %s);', schemaname || '.' || sequencename,
                    coalesce(last_value, start_value), (last_value IS NOT NULL)::text), ' ')
                FROM pg_sequences")

status=0
pg_prove -v "$ROOT"/test/pgtap/*.sql >"$log" 2>&1 || status=1
[ -z "$restore" ] || q -c "$restore" >/dev/null
state >"$after"
cat "$log"
passed=$(grep -cE '^ *ok [0-9]+' "$log" || true)
failed=$(grep -cE '^ *not ok [0-9]+' "$log" || true)
if diff "$before" "$after" >/dev/null; then
    echo "ok - row counts, sequences, roles and extensions are as they were"
    passed=$((passed + 1))
else
    echo "not ok - the suite left something behind:"
    diff "$before" "$after" | sed 's/^/#   /'
    failed=$((failed + 1))
fi
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=$((failed + 1)) # a file died
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
