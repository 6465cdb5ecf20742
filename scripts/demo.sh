#!/usr/bin/env bash
# make demo: provisions, builds, installs, starts the throwaway cluster,
# creates a database with the extension and runs the walkthrough. Leaves the
# cluster running; `make stop` stops it.
source "$(dirname "$0")/common.sh"
cd "$ROOT"

provision_and_start
# the example top-up worker the walkthrough runs uses Debian's psycopg
bash "$ROOT/scripts/deps.sh" python3-psycopg

say "creating database credits_demo"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS credits_demo" -c "CREATE DATABASE credits_demo"
psql -X -q -d credits_demo -c "CREATE EXTENSION credits"

say "walkthrough (examples/walkthrough.sql)"
psql -X -q -d credits_demo -v ON_ERROR_STOP=1 -f examples/walkthrough.sql

echo
say "the cluster is still running. Connect with:"
echo "    psql -h $PGHOST -p $PGPORT -U $PGUSER credits_demo"
echo "Stop it with: make stop"
