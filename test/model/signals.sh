#!/usr/bin/env bash
# The randomized signals test (signals_model.py) on a fresh database:
# CREDITS_SIGNALS_STEPS steps (1500, several months of ledger time) from a
# fixed seed, checked after every step against the test's own model. Prints
# TAP lines; run by scripts/test.sh.
source "$(dirname "$0")/../../scripts/common.sh"
use_cluster
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS credits_signals" \
    -c "CREATE DATABASE credits_signals"
# Debian's interpreter, which has Debian's psycopg (scripts/common.sh installs it)
PGDATABASE=credits_signals /usr/bin/python3 "$ROOT/test/model/signals_model.py" \
    "${CREDITS_SIGNALS_STEPS:-1500}" "${CREDITS_SIGNALS_SEED:-20261206}"
