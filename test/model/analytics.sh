#!/usr/bin/env bash
# The analysts' reports against an independent computation
# (analytics_check.py) on a fresh database with a generated ledger of
# several months. Prints TAP lines; run by scripts/test.sh.
source "$(dirname "$0")/../../scripts/common.sh"
use_cluster
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS credits_analytics" \
    -c "CREATE DATABASE credits_analytics"
# Debian's interpreter, which has Debian's psycopg (scripts/common.sh installs it)
PGDATABASE=credits_analytics /usr/bin/python3 "$ROOT/test/model/analytics_check.py" \
    "${CREDITS_ANALYTICS_SEED:-20261206}"
