#!/usr/bin/env bash
# The planted-operator test: an ordinary role that owns the database (and so
# schema public) plants look-alike operators, functions and tables in public
# and in the callers' pg_temp; members of credits_writer and credits_admin
# then call every API function. On 1.0 the planted code runs with the
# extension owner's rights (the attack this test exists for); on the current
# version none of it runs and every call succeeds. Functions commented
# "internal:" are not API: they run inside the calls (signal_account inside
# every operation on an account with alert rules, lock_for_rules inside the
# alert setters, request_topup below the top-up threshold), which the
# calls here reach. Prints TAP lines.
source "$(dirname "$0")/../../scripts/common.sh"
use_cluster
work=$ROOT/build/security-test
source "$ROOT/test/tap.sh"
dir=$ROOT/test/security
dbo=credits_planted_dbo app=credits_planted_app ops=credits_planted_ops

cleanup() {
    q -d postgres -c "DROP DATABASE IF EXISTS credits_planted_old" -c "DROP DATABASE IF EXISTS credits_planted" \
        -c "DROP ROLE IF EXISTS $dbo" -c "DROP ROLE IF EXISTS $app" -c "DROP ROLE IF EXISTS $ops"
}
cleanup
q -d postgres -c "CREATE ROLE $dbo LOGIN"

# attack DB VERSION STOP: installs VERSION, plants, calls every function;
# prints what planted code ran (empty: none) into $work/DB.ran
attack() {
    local db=$1 version=$2 stop=$3
    q -d postgres -c "CREATE DATABASE $db OWNER $dbo" &&
        q -d "$db" -c "CREATE EXTENSION credits VERSION '$version'" || return 1
    q -d postgres -c "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$app') THEN CREATE ROLE $app LOGIN IN ROLE credits_writer; END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ops') THEN CREATE ROLE $ops LOGIN IN ROLE credits_admin; END IF;
        END \$\$" || return 1
    q -U "$dbo" -d "$db" -f "$dir/plant.sql" || return 1
    : >"$work/$db.ran"
    local mark="SELECT 'planted:' || coalesce(current_setting('credits_planted.ran', true), '')"
    local status=0 user file
    for step in "$ops calls_admin.sql" "$app calls_app.sql" "$ops calls_check.sql" "postgres calls_check.sql"; do
        read -r user file <<<"$step"
        psql -X -q -At -v ON_ERROR_STOP="$stop" -U "$user" -d "$db" -c "SET credits.test_clock = DEFAULT" \
            -f "$dir/plant_temp.sql" -f "$dir/$file" -c "$mark" >"$work/$db.$file.$user.log" 2>&1 || status=1
        sed -n 's/^planted://p' "$work/$db.$file.$user.log" | tr -s ' ' | sed 's/^ //' >>"$work/$db.ran"
    done
    return $status
}

check "the attack runs against a 1.0 install" attack credits_planted_old 1.0 0
check "on 1.0, planted code runs with the extension owner's rights (the test can fail)" \
    grep -q ':postgres' "$work/credits_planted_old.ran"
check "every API call succeeds on the current version with everything planted" \
    attack credits_planted "$(current_version)" 1
check "and no planted operator, function or table was used" bash -c "test -f '$work/credits_planted.ran' && cat '$work/credits_planted.ran' && ! grep -q . '$work/credits_planted.ran'"
check "the calls cover every API function of schema credits" bash -c "
    for f in \$(psql -X -At -d credits_planted -c \"SELECT DISTINCT proname FROM pg_proc
            WHERE pronamespace = 'credits'::regnamespace AND prorettype <> 'trigger'::regtype
            AND coalesce(obj_description(oid, 'pg_proc'), '') NOT LIKE 'internal:%' ORDER BY 1\"); do
        grep -q \"credits\\.\$f(\" '$dir'/calls_*.sql || { echo \"not called: credits.\$f\"; exit 1; }
    done"
check "the database owner is still not a superuser" \
    test "$(q -d postgres -c "SELECT rolsuper FROM pg_roles WHERE rolname = '$dbo'")" = f
cleanup
