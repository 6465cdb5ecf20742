#!/usr/bin/env bash
# A scheduled expiry sweep: the test cluster loads pg_cron (scripts/cluster.sh),
# a job runs credits.expire() and credits.refresh_flow_totals() every minute
# in a database with an expired grant, and the grant gets its expire entry.
# Waits up to two minutes for pg_cron's next minute. Prints TAP lines; run by
# scripts/test.sh.
source "$(dirname "$0")/../../scripts/common.sh"
use_cluster
work=$ROOT/build/cron-test
source "$ROOT/test/tap.sh"
db=credits_cron
q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
check "pg_cron is loaded" test "$(q -d postgres -c "SHOW shared_preload_libraries")" = pg_cron
check "CREATE EXTENSION pg_cron (in cron.database_name)" q -d postgres -c "CREATE EXTENSION IF NOT EXISTS pg_cron"
# a grant that expired an hour ago, granted with the test clock two hours back
check "a ledger with an expired grant" q -d "$db" -c "CREATE EXTENSION credits" \
    -c "SELECT set_config('credits.test_clock', (now() - interval '2 hours')::text, false)" \
    -c "SELECT credits.open_account('cron-acme')" \
    -c "SELECT credits.grant_credits('cron-acme', 5, 'bonus', now() - interval '1 hour')"
q -d postgres -c "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = 'credits-sweep-test'" >/dev/null
check "the sweep is scheduled every minute" q -d postgres \
    -c "SELECT cron.schedule_in_database('credits-sweep-test', '* * * * *', 'SELECT credits.expire(); SELECT credits.refresh_flow_totals()', '$db')"
booked() { test "$(q -d "$db" -c "SELECT count(*) FROM credits.entries WHERE type = 'expire'")" = 1; }
for _ in $(seq 130); do booked && break; sleep 1; done
check "a scheduled run booked the expiry" booked
check "and pg_cron recorded it as succeeded" test "$(q -d postgres -c "SELECT count(*) FROM cron.job_run_details d
    JOIN cron.job j ON j.jobid = d.jobid WHERE j.jobname = 'credits-sweep-test' AND d.status = 'succeeded'")" -ge 1
check "and the same run refreshed the summed flows" test "$(q -d "$db" -c "SELECT refreshed_at IS NOT NULL FROM credits.flow_totals_state")" = t
check "the ledger is consistent" test -z "$(q -d "$db" -c "SELECT * FROM credits.check_invariants()")"
q -d postgres -c "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = 'credits-sweep-test'" >/dev/null
q -d postgres -c "DROP DATABASE $db WITH (FORCE)" >/dev/null 2>&1 || true
