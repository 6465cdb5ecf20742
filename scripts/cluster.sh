#!/usr/bin/env bash
# The throwaway cluster in .cluster/ (git-ignored): its own socket directory
# and port, run by a non-root user. Local socket connections are trusted;
# TCP listens on localhost only and asks for a password (the client suite
# connects as a password role, as applications do).
#   cluster.sh start | stop | env
source "$(dirname "$0")/common.sh"

# Lets the server's user reach the checkout: adds search (x) permission to
# any ancestor directory that lacks it, saying so.
grant_traversal() {
    [ "$(id -u)" -eq 0 ] || return 0
    local dir=$CLUSTER_DIR
    while [ "$dir" != "/" ]; do
        dir=$(dirname "$dir")
        if ! runuser -u "$RUN_USER" -- test -x "$dir"; then
            echo "note: adding search permission for others to $dir so that $RUN_USER can reach the cluster"
            chmod o+x "$dir"
        fi
    done
}

# pg_cron, for scheduling credits.expire() (docs/signals.md): its jobs run
# in background workers, so they need no password to connect.
pg_cron_settings() {
    cat <<CONF
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
cron.use_background_workers = on
max_worker_processes = 16
CONF
}

# A cluster made by an earlier checkout listened on its socket only and
# trusted TCP: brings it to the current settings (read at the next start).
upgrade_config() {
    local conf=$PGDATA_DIR/postgresql.conf hba=$PGDATA_DIR/pg_hba.conf
    if grep -q "^listen_addresses = ''" "$conf"; then
        say "the cluster now also listens on localhost (password required): restarting it"
        sed -i "s/^listen_addresses = ''/listen_addresses = 'localhost'/" "$conf"
        sed -i 's/^\(host .*\)trust$/\1scram-sha-256/' "$hba"
        as_server_user "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if ! grep -q "^shared_preload_libraries = 'pg_cron'" "$conf"; then
        say "the cluster now loads pg_cron (scheduled expiry sweeps): restarting it"
        pg_cron_settings >>"$conf"
        as_server_user "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
    fi
}

start() {
    mkdir -p "$CLUSTER_DIR"
    local sock
    sock=$(socket_dir)
    mkdir -p "$sock"
    chown "$RUN_USER" "$CLUSTER_DIR" "$sock"
    grant_traversal
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        say "creating a throwaway cluster in $PGDATA_DIR"
        as_server_user "$PG_BIN/initdb" -D "$PGDATA_DIR" -U postgres --auth-local=trust \
            --auth-host=scram-sha-256 -E UTF8 --locale=C >/dev/null
        cat >> "$PGDATA_DIR/postgresql.conf" <<CONF
# throwaway cluster of the credits checkout
listen_addresses = 'localhost'
port = $PGPORT
unix_socket_directories = '$sock'
max_connections = 60
shared_buffers = 256MB
max_parallel_workers_per_gather = 2
CONF
        pg_cron_settings >>"$PGDATA_DIR/postgresql.conf"
    fi
    upgrade_config
    if as_server_user "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
        return 0
    fi
    say "starting PostgreSQL $PG_MAJOR on port $PGPORT (socket in $sock)"
    as_server_user "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$CLUSTER_LOG" -w -t 60 start >/dev/null
}

stop() {
    if [ -f "$PGDATA_DIR/PG_VERSION" ] &&
        as_server_user "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
        as_server_user "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null
        say "stopped the cluster"
    else
        say "no cluster running"
    fi
}

# Prints the environment a client needs to reach the cluster.
env_lines() {
    echo "export PGHOST=$(socket_dir) PGPORT=$PGPORT PGUSER=$PGUSER"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
env) env_lines ;;
*) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
