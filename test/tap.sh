# TAP helpers of the shell-driven suites (dump, upgrade, security): `check`
# prints "ok N - ..." or "not ok N - ..." with the command's output.
# Sourced, after scripts/common.sh; needs $work.
set +e
mkdir -p "$work"
n=0
check() { # check DESCRIPTION COMMAND...
    local description=$1
    shift
    n=$((n + 1))
    if "$@" >"$work/last.log" 2>&1; then echo "ok $n - $description"; else
        echo "not ok $n - $description"
        sed 's/^/#   /' "$work/last.log" | head -20
    fi
}
# psql, unaligned, stopping at the first error
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
export PGOPTIONS="-c client_min_messages=warning"
# the version a fresh install gets (credits.control)
current_version() { sed -n "s/^default_version = '\(.*\)'/\1/p" "$ROOT/credits.control"; }
