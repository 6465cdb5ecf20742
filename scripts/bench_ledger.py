#!/usr/bin/env python3
"""make bench, ledger part: debit throughput against pgbench's built-in
tpcb-like on the same cluster in the same run, a hot account, and balance()
latency on an account with a million entries. Default durability."""
import os
import statistics
import subprocess
import tempfile

import bench_common

ACCOUNTS = int(os.environ.get("CREDITS_BENCH_ACCOUNTS", "10000"))
CLIENTS = bench_common.CLIENTS
SECONDS = int(os.environ.get("CREDITS_BENCH_SECONDS", "30"))
RUNS = int(os.environ.get("CREDITS_BENCH_LEDGER_RUNS", "3"))
BIG = int(os.environ.get("CREDITS_BENCH_BIG_ENTRIES", "1000000"))
SCALE = int(os.environ.get("CREDITS_BENCH_PGBENCH_SCALE", "16"))
PG_BIN = bench_common.PG_BIN
DB = "credits_bench_ledger"
REF_DB = "credits_bench_tpcb"


def psql(sql, db=DB):
    """SQL in this benchmark's database (bench_common.psql)."""
    return bench_common.psql(sql, db)


def pgbench(db, *args):
    """TPS of a pgbench run, SECONDS seconds (bench_common.pgbench_run)."""
    return bench_common.pgbench_run(db, list(args), SECONDS)


def prepare():
    """The ledger (ACCOUNTS accounts, 3 grants of different expiry each)
    and pgbench's own tables at SCALE."""
    for db in (DB, REF_DB):
        psql(f"DROP DATABASE IF EXISTS {db}", db="postgres")
        psql(f"CREATE DATABASE {db}", db="postgres")
    psql(f"""
        CREATE EXTENSION credits;
        DO $$
        BEGIN
            FOR i IN 1..{ACCOUNTS} LOOP
                PERFORM credits.open_account('acct-' || i);
                PERFORM credits.grant_credits('acct-' || i, 1000000, 'promotional', now() + interval '30 days');
                PERFORM credits.grant_credits('acct-' || i, 1000000, 'purchased', now() + interval '1 year');
                PERFORM credits.grant_credits('acct-' || i, 1000000, 'sla');
            END LOOP;
        END $$;
        VACUUM ANALYZE;
    """)
    subprocess.run([f"{PG_BIN}/pgbench", "-i", "-q", "-s", str(SCALE), REF_DB],
                   check=True, capture_output=True)


def throughput():
    """Medians of RUNS rounds, each: tpcb-like, debit on random accounts,
    debit on one hot account (interleaved so that noise hits all three)."""
    with tempfile.TemporaryDirectory() as tmp:
        many = os.path.join(tmp, "debit_many.sql")
        hot = os.path.join(tmp, "debit_hot.sql")
        with open(many, "w") as f:
            f.write(f"\\set aid random(1, {ACCOUNTS})\nSELECT credits.debit('acct-' || :aid, 1);\n")
        with open(hot, "w") as f:
            f.write("SELECT credits.debit('acct-1', 1);\n")
        rounds = []
        for r in range(RUNS):
            tpcb = pgbench(REF_DB, "-b", "tpcb-like")
            debit = pgbench(DB, "-f", many)
            hot_tps = pgbench(DB, "-f", hot)
            rounds.append((tpcb, debit, hot_tps))
            print(f"  round {r + 1}: tpcb-like {tpcb:.0f} tps, debit {debit:.0f} tps, "
                  f"hot account {hot_tps:.0f} tps", flush=True)
    return [statistics.median(x) for x in zip(*rounds)]


def latency():
    """balance() on an account with BIG entries: now, and as of past instants."""
    psql(f"""
        CREATE PROCEDURE fill(n int) LANGUAGE plpgsql AS $$
        DECLARE t timestamptz := '2025-01-01 00:00+00';
        BEGIN
            PERFORM set_config('credits.test_clock', t::text, false);
            PERFORM credits.open_account('big');
            PERFORM credits.grant_credits('big', 1000000000, 'promotional', '2025-03-01+00');
            PERFORM credits.grant_credits('big', 1000000000, 'purchased', '2026-01-01+00');
            PERFORM credits.grant_credits('big', 1000000000, 'sla');
            COMMIT;
            FOR b IN 1..(n / 100) LOOP
                t := t + interval '5 minutes';
                PERFORM set_config('credits.test_clock', t::text, false);
                FOR i IN 1..100 LOOP
                    PERFORM credits.debit('big', 1);
                END LOOP;
                COMMIT;
            END LOOP;
        END $$;
        CALL fill({BIG});
        VACUUM ANALYZE;
    """)
    entries = psql("SELECT last_seq FROM credits.accounts WHERE key = 'big'")
    span = psql("SELECT min(effective_at), max(effective_at) FROM credits.entries "
                "WHERE account = (SELECT id FROM credits.accounts WHERE key = 'big')")
    out = psql("""
        CREATE TEMP TABLE lat (kind text, ms float8);
        DO $$
        DECLARE t0 timestamptz; lo timestamptz; hi timestamptz; past timestamptz;
        BEGIN
            SELECT min(effective_at), max(effective_at) INTO lo, hi FROM credits.entries
            WHERE account = (SELECT id FROM credits.accounts WHERE key = 'big');
            FOR i IN 1..2000 LOOP
                t0 := clock_timestamp();
                PERFORM credits.balance('big');
                INSERT INTO lat VALUES ('now', extract(epoch FROM clock_timestamp() - t0) * 1000);
                past := lo + (hi - lo) * random();
                t0 := clock_timestamp();
                PERFORM credits.balance('big', past);
                INSERT INTO lat VALUES ('as_of', extract(epoch FROM clock_timestamp() - t0) * 1000);
            END LOOP;
        END $$;
        SELECT kind, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 3),
               round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 3)
        FROM lat GROUP BY kind ORDER BY kind DESC;
    """)
    return entries, span, out


def main():
    print(f"preparing {ACCOUNTS} accounts x 3 grants and pgbench scale {SCALE} ...", flush=True)
    prepare()
    print(f"throughput: {CLIENTS} clients, {SECONDS} s per run, {RUNS} rounds", flush=True)
    tpcb, debit, hot = throughput()
    print(f"building an account with {BIG} entries ...", flush=True)
    entries, span, lat = latency()
    print()
    print(f"debit, {ACCOUNTS} accounts: {debit:8.0f} tps   tpcb-like: {tpcb:8.0f} tps   "
          f"ratio {debit / tpcb:.2f}x (median of {RUNS})")
    print(f"debit, one hot account:  {hot:8.0f} tps   ratio to many accounts {hot / debit:.2f}x")
    print(f"balance() on an account with {entries} entries ({span.replace('|', ' .. ')}), "
          "server-side ms over 2000 calls each:")
    for line in lat.splitlines():
        kind, p50, p99 = line.split("|")
        label = "now     " if kind == "now" else "as_of   "
        print(f"  {label} p50 {p50} ms  p99 {p99} ms")
    for db in (DB, REF_DB):
        psql(f"DROP DATABASE {db}", db="postgres")


if __name__ == "__main__":
    main()
