#!/usr/bin/env python3
"""make bench: times credit against numeric and bigint in the same run on the
same cluster, and prints medians and ratios. Speed is judged only by these
ratios, never by timed tests."""
import os
import statistics

import bench_common

ROWS = int(os.environ.get("CREDITS_BENCH_ROWS", "10000000"))
RUNS = int(os.environ.get("CREDITS_BENCH_RUNS", "5"))
DB = "credits_bench"
TYPES = ["credit", "numeric", "bigint"]
SESSION = "SET max_parallel_workers_per_gather = 0; SET work_mem = '2GB'; SET jit = off;"


def psql(sql, db=DB):
    """SQL in this benchmark's database (bench_common.psql)."""
    return bench_common.psql(sql, db)


def timed(statement, setup=""):
    """Milliseconds the server took for one statement, as psql's \\timing sees it."""
    return bench_common.psql(f"{SESSION} {setup}\n{statement}\n", DB, timing=True)[-1]


def median_of(statement, setup=""):
    """Median of RUNS timings after one warm-up run."""
    timed(statement, setup)
    return statistics.median(timed(statement, setup) for _ in range(RUNS))


def prepare():
    """Three single-column tables holding the same amounts, 9 fractional digits."""
    psql(f"DROP DATABASE IF EXISTS {DB}", db="postgres")
    psql(f"CREATE DATABASE {DB}", db="postgres")
    psql(f"""
        CREATE EXTENSION credits;
        CREATE TABLE raw AS
            SELECT (floor(random() * 1e15))::bigint - 5 * 10^14::bigint AS nano
            FROM generate_series(1, {ROWS});
        CREATE TABLE t_bigint AS SELECT nano AS v FROM raw;
        CREATE TABLE t_numeric AS SELECT (nano::numeric / 1000000000)::numeric(30, 9) AS v FROM raw;
        CREATE TABLE t_credit AS SELECT (nano::numeric / 1000000000)::credit AS v FROM raw;
        DROP TABLE raw;
        CREATE UNLOGGED TABLE in_bigint (v bigint);
        CREATE UNLOGGED TABLE in_numeric (v numeric);
        CREATE UNLOGGED TABLE in_credit (v credit);
        VACUUM ANALYZE;
    """)
    for t in TYPES:
        psql(f"COPY t_{t} TO '/tmp/credits_bench_{t}.txt'")


def main():
    print(f"preparing {ROWS} rows per type ...", flush=True)
    prepare()
    results = {}
    cases = {
        "sum()": lambda t: (f"SELECT sum(v) FROM t_{t};", ""),
        "avg()": lambda t: (f"SELECT avg(v) FROM t_{t};", ""),
        "ORDER BY": lambda t: (f"SELECT v FROM t_{t} ORDER BY v OFFSET {ROWS};", ""),
        "COPY out (text)": lambda t: (f"COPY t_{t} TO '/dev/null';", ""),
        "COPY in (text)": lambda t: (f"COPY in_{t} FROM '/tmp/credits_bench_{t}.txt';",
                                     f"TRUNCATE in_{t};"),
    }
    for name, make in cases.items():
        for t in TYPES:
            statement, setup = make(t)
            results[(name, t)] = median_of(statement, setup)
            print(f"  {name:16} {t:8} {results[(name, t)]:10.1f} ms", flush=True)

    print()
    print(f"medians of {RUNS} runs, {ROWS} rows, one backend, no parallel workers")
    print(f"{'operation':18}{'credit ms':>11}{'numeric ms':>12}{'bigint ms':>11}"
          f"{'numeric/credit':>16}{'credit/bigint':>15}")
    for name in cases:
        c, n, b = (results[(name, t)] for t in TYPES)
        print(f"{name:18}{c:11.1f}{n:12.1f}{b:11.1f}{n / c:15.2f}x{c / b:14.2f}x")
    print("numeric/credit > 1: credit is faster than numeric; "
          "credit/bigint: how far credit is from a native integer")
    psql(f"DROP DATABASE {DB}", db="postgres")
    for t in TYPES:
        os.remove(f"/tmp/credits_bench_{t}.txt") if os.access(f"/tmp/credits_bench_{t}.txt", os.W_OK) else None


if __name__ == "__main__":
    main()
