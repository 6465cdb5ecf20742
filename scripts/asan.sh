#!/usr/bin/env bash
# make test-asan: the C++ under sanitizers.
#  1. The pure core's unit tests built with AddressSanitizer and
#     UndefinedBehaviorSanitizer (build-asan/). The fuzz targets always are.
#  2. The extension built with UndefinedBehaviorSanitizer (any report
#     aborts the backend) and the pg_regress and pgTAP suites run against it
#     on a second throwaway cluster (.cluster-asan, port 54330) whose server
#     runs under Valgrind's memcheck: heap errors and uses of uninitialised
#     memory in the extension's frames fail the run. (AddressSanitizer
#     cannot be preloaded into Debian's PostgreSQL binaries: they deadlock
#     in glibc's bindtextdomain() at start-up, so memcheck stands in.)
# The normal build is installed again at the end.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
bash scripts/deps.sh valgrind
bash scripts/build.sh
status=0

say "unit tests under ASan and UBSan (build-asan)"
if [ ! -f build-asan/CMakeCache.txt ]; then
    CXX=clang++ cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCREDITS_FUZZ=OFF \
        -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" >/dev/null
fi
cmake --build build-asan -j"$(nproc)" --target unit_tests >/dev/null
(cd build-asan && ctest --output-on-failure >ctest.log 2>&1) || status=1
tail -3 build-asan/ctest.log

say "the extension under UBSan (build/ubsan), its server under Valgrind"
src=$ROOT/build/ubsan
mkdir -p "$src"
cp -r Makefile credits.control credits_tap.control src sql test "$src/"
make -s -C "$src" -j"$(nproc)" \
    SANITIZE="-fsanitize=undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" all >/dev/null
$SUDO make -s -C "$src" install >/dev/null

export CREDITS_CLUSTER_DIR=$ROOT/.cluster-asan CREDITS_PGPORT=${CREDITS_ASAN_PGPORT:-54330}
source scripts/common.sh
bash scripts/cluster.sh start >/dev/null # creates and configures it
bash scripts/cluster.sh stop >/dev/null
rm -f "$CLUSTER_DIR"/valgrind.*.log
as_server_user valgrind --quiet --tool=memcheck --trace-children=yes --leak-check=no \
    --num-callers=30 --log-file="$CLUSTER_DIR/valgrind.%p.log" \
    "$PG_BIN/postgres" -D "$PGDATA_DIR" >>"$CLUSTER_LOG" 2>&1 &
use_cluster
for _ in $(seq 240); do
    "$PG_BIN/pg_isready" -q && break
    sleep 0.5
done

make -s -C "$src" installcheck ISOLATION= >"$src/regress.log" 2>&1 || status=1
grep -E 'tests passed|tests failed' "$src/regress.log" || { tail -20 "$src/regress.log"; status=1; }
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS credits_tap" -c "CREATE DATABASE credits_tap" >/dev/null
psql -X -q -d credits_tap -c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION credits" >/dev/null
pg_prove -d credits_tap test/pgtap/*.sql >"$src/pgtap.log" 2>&1 || status=1
tail -1 "$src/pgtap.log"
as_server_user "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 120 stop >/dev/null || true

# memcheck errors whose stack passes through the extension, and UBSan reports
errors=$(awk '/^==[0-9]+== [A-Z]/ { if (block ~ /credits\.so/) n++; block = "" } { block = block $0 "\n" }
              END { if (block ~ /credits\.so/) n++; print n + 0 }' "$CLUSTER_DIR"/valgrind.*.log 2>/dev/null || echo 0)
ubsan=$(grep -c 'runtime error' "$CLUSTER_LOG" || true)
echo "memcheck errors in the extension: $errors; UBSan reports: $ubsan"
if [ "$errors" -gt 0 ] || [ "$ubsan" -gt 0 ]; then
    grep -l credits.so "$CLUSTER_DIR"/valgrind.*.log | head -3 | xargs -r head -60
    grep -A10 'runtime error' "$CLUSTER_LOG" | head -40
    status=1
fi

say "installing the normal build again"
$SUDO make -s install >/dev/null
[ "$status" -eq 0 ] && echo "sanitizer run clean"
exit $status
