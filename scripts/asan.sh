#!/usr/bin/env bash
# make test-asan: the pg_regress and pgTAP suites once with the extension
# built under AddressSanitizer and UndefinedBehaviorSanitizer. A copy of the
# sources is built in build/asan and installed; a second throwaway cluster
# (.cluster-asan, port 54330) runs with libasan preloaded; any sanitizer
# report in its log fails the run. The normal build is installed again at
# the end.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
bash scripts/deps.sh
bash scripts/build.sh

say "building the extension under ASan and UBSan (build/asan)"
src=$ROOT/build/asan
mkdir -p "$src"
cp -r Makefile credits.control src sql test "$src/"
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
make -s -C "$src" -j"$(nproc)" SANITIZE="$sanitize" all >/dev/null
$SUDO make -s -C "$src" install >/dev/null

# the second cluster: created and configured by cluster.sh, then the server
# runs with libasan preloaded (pg_ctl itself must not load it)
export CREDITS_CLUSTER_DIR=$ROOT/.cluster-asan CREDITS_PGPORT=${CREDITS_ASAN_PGPORT:-54330}
source scripts/common.sh
bash scripts/cluster.sh start
bash scripts/cluster.sh stop >/dev/null
rm -f "$CLUSTER_DIR"/asan.* "$CLUSTER_DIR"/ubsan.*
libasan=$(g++ -print-file-name=libasan.so)
as_server_user env LD_PRELOAD="$libasan" \
    ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:log_path=$CLUSTER_DIR/asan" \
    UBSAN_OPTIONS="print_stacktrace=1:log_path=$CLUSTER_DIR/ubsan" \
    "$PG_BIN/postgres" -D "$PGDATA_DIR" >>"$CLUSTER_LOG" 2>&1 &
use_cluster
for _ in $(seq 120); do
    "$PG_BIN/pg_isready" -q && break
    sleep 0.5
done

status=0
say "pg_regress under sanitizers"
make -s -C "$src" installcheck ISOLATION= >"$src/regress.log" 2>&1 || status=1
grep -E 'tests passed|tests failed' "$src/regress.log" || { tail -20 "$src/regress.log"; status=1; }
say "pgTAP under sanitizers"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS credits_tap" -c "CREATE DATABASE credits_tap" >/dev/null
psql -X -q -d credits_tap -c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION credits" >/dev/null
pg_prove -d credits_tap test/pgtap/*.sql >"$src/pgtap.log" 2>&1 || status=1
tail -3 "$src/pgtap.log"
bash scripts/cluster.sh stop >/dev/null

reports=$(cat "$CREDITS_CLUSTER_DIR"/asan.* "$CREDITS_CLUSTER_DIR"/ubsan.* 2>/dev/null | grep -cE 'ERROR: AddressSanitizer|runtime error' || true)
if grep -qE 'AddressSanitizer|runtime error' "$CREDITS_CLUSTER_DIR/postgres.log"; then reports=$((reports + 1)); fi
echo "sanitizer reports: $reports"
[ "$reports" -eq 0 ] || { cat "$CREDITS_CLUSTER_DIR"/asan.* "$CREDITS_CLUSTER_DIR"/ubsan.* 2>/dev/null | head -60; status=1; }

say "installing the normal build again"
$SUDO make -s install >/dev/null
[ "$status" -eq 0 ] && echo "sanitizer run clean"
exit $status
