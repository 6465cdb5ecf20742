#!/usr/bin/env bash
# The randomized lifecycle test (lifecycle_model.py) on a fresh database:
# CREDITS_MODEL_STEPS steps (2000) from a fixed seed, checked after every
# step against the test's own model. Prints TAP lines; run by scripts/test.sh.
source "$(dirname "$0")/../../scripts/common.sh"
use_cluster
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
q -d postgres -c "DROP DATABASE IF EXISTS credits_model" -c "CREATE DATABASE credits_model"
# Debian's interpreter, which has Debian's psycopg (scripts/common.sh installs it)
PGDATABASE=credits_model /usr/bin/python3 "$ROOT/test/model/lifecycle_model.py" \
    "${CREDITS_MODEL_STEPS:-2000}" "${CREDITS_MODEL_SEED:-20261122}"
