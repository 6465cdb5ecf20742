# Shared settings of the project's scripts: where things are, who runs the
# server, and how to reach it. Sourced, not run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_MAJOR=${PG_MAJOR:-15}
PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
PG_CONFIG=${PG_CONFIG:-$PG_BIN/pg_config}
CLUSTER_DIR=${CREDITS_CLUSTER_DIR:-$ROOT/.cluster}
PGDATA_DIR=$CLUSTER_DIR/data
CLUSTER_LOG=$CLUSTER_DIR/postgres.log
export PGPORT=${CREDITS_PGPORT:-54329}
export PGUSER=postgres
export PGDATABASE=postgres

# Root runs privileged steps itself; another user goes through sudo.
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi

# PostgreSQL refuses to run as root: root runs the server as `postgres`.
if [ "$(id -u)" -eq 0 ]; then RUN_USER=postgres; else RUN_USER=$(id -un); fi

# The socket lives in the checkout unless its path would exceed the 107
# bytes a unix socket path may have; then in a private directory under /tmp
# that the checkout records.
socket_dir() {
    local dir=$CLUSTER_DIR/run
    if [ $(( ${#dir} + 20 )) -gt 107 ]; then
        if [ -f "$CLUSTER_DIR/socket_dir" ]; then
            dir=$(cat "$CLUSTER_DIR/socket_dir")
        else
            dir=$(mktemp -d /tmp/credits-pg.XXXXXX)
            echo "$dir" > "$CLUSTER_DIR/socket_dir"
        fi
    fi
    echo "$dir"
}

# Runs a command as the server's user.
as_server_user() {
    if [ "$(id -un)" = "$RUN_USER" ]; then "$@"; else runuser -u "$RUN_USER" -- "$@"; fi
}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Points libpq clients at the throwaway cluster.
use_cluster() {
    mkdir -p "$CLUSTER_DIR"
    PGHOST=$(socket_dir)
    export PGHOST
}

# Debian packages of the client suite: Python's psycopg 3 and psycopg2,
# pgJDBC with a JDK, Go with pgx v4 and shopspring/decimal. Node's pg comes
# from npm (test/clients/node/package-lock.json); npm itself from Debian
# when the machine has none.
CLIENT_PACKAGES=(python3-psycopg python3-psycopg2 default-jdk-headless libpostgresql-jdbc-java
    golang-go golang-github-jackc-pgx-v4-dev golang-github-shopspring-decimal-dev)
command -v npm >/dev/null 2>&1 || CLIENT_PACKAGES+=(npm)

# The set-up every entry point shares: packages (plus any named), build and
# install, the cluster running, and libpq pointed at it.
provision_and_start() {
    bash "$ROOT/scripts/deps.sh" "$@"
    bash "$ROOT/scripts/build.sh"
    bash "$ROOT/scripts/cluster.sh" start
    use_cluster
}
