#!/usr/bin/env bash
# The client suite: the same scenario from psycopg 3, psycopg2, node-postgres,
# pgJDBC and Go pgx, each binding its language's natural types, over TCP as
# a password role granted credits_writer, as an application connects.
# Prints TAP lines; a missing toolchain is a failure, not a skip.
source "$(dirname "$0")/../../scripts/common.sh"
use_cluster
work=$ROOT/build/clients
source "$ROOT/test/tap.sh"
clients=$ROOT/test/clients

q -d postgres -c "DROP DATABASE IF EXISTS credits_clients" -c "CREATE DATABASE credits_clients"
q -d credits_clients -c "CREATE EXTENSION credits"
password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
q -d postgres -c "DROP ROLE IF EXISTS credits_client" \
    -c "CREATE ROLE credits_client LOGIN PASSWORD '$password' IN ROLE credits_writer"

# the clients' connection: TCP, a password, libpq's variable names
client_env=(env PGHOST=localhost PGPORT="$PGPORT" PGDATABASE=credits_clients
    PGUSER=credits_client PGPASSWORD="$password" PGOPTIONS=)

# Runs a client's TAP-printing command, or reports why it could not run.
run_client() { # run_client NAME COMMAND...
    local name=$1 out
    shift
    out=$("${client_env[@]}" "$@" 2>"$work/$name.err") || true
    if ! grep -qE '^(not )?ok ' <<<"$out"; then
        check "$name: the client ran" false
        sed 's/^/#   /' "$work/$name.err" | head -20
        return
    fi
    # renumber its lines into this suite's sequence
    while IFS= read -r line; do
        if [[ $line =~ ^(not\ )?ok\ [0-9]+\ -\ (.*)$ ]]; then
            n=$((n + 1))
            echo "${BASH_REMATCH[1]}ok $n - ${BASH_REMATCH[2]}"
        else
            echo "$line"
        fi
    done <<<"$out"
    if [ -s "$work/$name.err" ]; then sed 's/^/#   stderr: /' "$work/$name.err" | head -10; fi
}

# Python: Debian's interpreter, which has Debian's psycopg packages
run_client psycopg3 /usr/bin/python3 "$clients/python/clients_test.py" psycopg3
run_client psycopg2 /usr/bin/python3 "$clients/python/clients_test.py" psycopg2

# Node: pg from npm, pinned by test/clients/node/package-lock.json
if (cd "$clients/node" && npm ci --no-audit --no-fund --silent >"$work/npm.log" 2>&1); then
    run_client node-postgres env NODE_PATH="$clients/node/node_modules" node "$clients/node/clients_test.js"
else
    check "node-postgres: npm ci" false
    sed 's/^/#   /' "$work/npm.log" | tail -10
fi

# Java: pgJDBC from Debian, compiled with the example it exercises
jdbc=/usr/share/java/postgresql.jar
rm -rf "$work/java" && mkdir -p "$work/java"
if javac -d "$work/java" -cp "$jdbc" "$ROOT/examples/java/CreditsExample.java" \
    "$clients/java/ClientsTest.java" >"$work/javac.log" 2>&1; then
    run_client pgjdbc java -cp "$work/java:$jdbc" ClientsTest
else
    check "pgjdbc: javac" false
    sed 's/^/#   /' "$work/javac.log" | head -10
fi

# Go: pgx v4 and shopspring/decimal from Debian's archive (GOPATH mode),
# built from the example's helpers and the test's main
go_env=(env GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$work/go-cache" GOFLAGS=)
rm -rf "$work/go" && mkdir -p "$work/go"
cp "$ROOT/examples/go/credits.go" "$clients/go/clients_test_main.go" "$work/go/"
if (cd "$work/go" && "${go_env[@]}" go build -o "$work/go/clients_test" . >"$work/go.log" 2>&1); then
    run_client pgx "$work/go/clients_test"
else
    check "pgx: go build" false
    sed 's/^/#   /' "$work/go.log" | head -10
fi

# The examples run as a developer would run them, each on its own account.
example_prints() { # example_prints EXPECTED COMMAND...: the last line printed
    local expected=$1
    shift
    [ "$("${client_env[@]}" "$@" | tail -1)" = "$expected" ]
}
check "examples/python/psycopg3_credits.py" example_prints "Decimal 88.25" \
    /usr/bin/python3 "$ROOT/examples/python/psycopg3_credits.py"
check "examples/python/psycopg2_credits.py" example_prints "Decimal 88.25" \
    /usr/bin/python3 "$ROOT/examples/python/psycopg2_credits.py"
check "examples/node/credits.js" example_prints "88.25" \
    env NODE_PATH="$clients/node/node_modules" node "$ROOT/examples/node/credits.js"
check "examples/java/CreditsExample.java" example_prints "88.25" \
    java -cp "$work/java:$jdbc" CreditsExample
check "examples/go" example_prints "88.25" "${go_env[@]}" go run "$ROOT"/examples/go/*.go
