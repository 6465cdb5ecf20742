#!/usr/bin/env bash
# The example top-up worker (examples/topup_worker) against a fresh
# database: started before any alert exists with a long poll interval, it
# must be woken by NOTIFY, fulfil one account's top-up and fail another's
# (its stub declines it). Prints TAP lines; run by scripts/test.sh.
source "$(dirname "$0")/../../scripts/common.sh"
use_cluster
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d credits_examples "$@"; }
psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS credits_examples" -c "CREATE DATABASE credits_examples"
q -c "CREATE EXTENSION credits" >/dev/null
q >/dev/null <<'SQL'
SELECT credits.open_account('shop');
SELECT credits.open_account('shop-declined');
SELECT credits.grant_credits(k, 100) FROM unnest(ARRAY['shop', 'shop-declined']) k;
SELECT credits.set_topup_rule(k, 20, 100) FROM unnest(ARRAY['shop', 'shop-declined']) k;
SQL
log=$(mktemp)
# Debian's interpreter, which has Debian's psycopg (scripts/common.sh installs it)
PGDATABASE=credits_examples /usr/bin/python3 "$ROOT/examples/topup_worker/topup_worker.py" \
    --poll 600 >"$log" 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null; rm -f "$log"' EXIT
sleep 1 # listening
q -c "SELECT credits.debit('shop', 90), credits.debit('shop-declined', 90)" >/dev/null
status() { q -c "SELECT string_agg(a.key || ':' || t.status, ',' ORDER BY length(a.key)) FROM credits.topups t JOIN credits.accounts a ON a.id = t.account"; }
for _ in $(seq 1 50); do
    [ "$(status)" = "shop:fulfilled,shop-declined:failed" ] && break
    sleep 0.2
done
n=0
check() {
    n=$((n + 1))
    if [ "$2" = "$3" ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; echo "#   got: $2"; echo "#   expected: $3"; sed 's/^/#   /' "$log"; fi
}
check "woken by NOTIFY, the worker fulfils one top-up and fails the declined one" "$(status)" "shop:fulfilled,shop-declined:failed"
check "the fulfilled account is back at the target" "$(q -c "SELECT credits.balance('shop')")" "100"
check "each alert was delivered once" "$(q -c "SELECT count(*) FROM credits.alerts WHERE delivered_at IS NULL")" "0"
check "the ledger is consistent" "$(q -c "SELECT count(*) FROM credits.check_invariants()")" "0"
