#!/usr/bin/env python3
"""make bench, lifecycle part: batch ingestion with debit_many() next to
COPY of the same rows into a plain table, and hold + capture and transfer
throughput next to debit throughput, each measured in the same run on the
same cluster. Default durability; medians of several rounds."""
import os
import random
import statistics
import tempfile

import bench_common

ACCOUNTS = int(os.environ.get("CREDITS_BENCH_ACCOUNTS", "10000"))
BATCH = int(os.environ.get("CREDITS_BENCH_BATCH", "1000"))
BATCHES = int(os.environ.get("CREDITS_BENCH_BATCHES", "20"))
RUNS = int(os.environ.get("CREDITS_BENCH_LIFECYCLE_RUNS", "3"))
DB = "credits_bench_lifecycle"


def psql(sql, db=DB, timing=False):
    """SQL in this benchmark's database (bench_common.psql)."""
    return bench_common.psql(sql, db, timing)


def pgbench(script):
    """TPS of a pgbench run on this benchmark's database (bench_common.pgbench)."""
    return bench_common.pgbench(script, DB)


def prepare():
    psql(f"DROP DATABASE IF EXISTS {DB}", db="postgres")
    psql(f"CREATE DATABASE {DB}", db="postgres")
    psql(f"""
        CREATE EXTENSION credits;
        DO $$
        BEGIN
            FOR i IN 1..{ACCOUNTS} LOOP
                PERFORM credits.open_account('acct-' || i);
                PERFORM credits.grant_credits('acct-' || i, 1000000000, 'purchased');
            END LOOP;
        END $$;
        CREATE TABLE plain (account text, amount numeric, idempotency_key text,
                            reference text, metadata jsonb);
        VACUUM ANALYZE;
    """)


def batches(rng, round_no):
    """BATCHES batches of BATCH rows: (account, amount, key, reference, metadata)."""
    out = []
    for b in range(BATCHES):
        out.append([(f"acct-{rng.randint(1, ACCOUNTS)}", "0.25", f"r{round_no}-b{b}-{i}",
                     "meter", '{"unit": "token"}') for i in range(BATCH)])
    return out


def ingest(rows_by_batch, tmp):
    """(debit_many debits/s, COPY rows/s) over the same rows, one commit per batch."""
    copy_sql, many_sql = [], []
    for b, rows in enumerate(rows_by_batch):
        path = os.path.join(tmp, f"batch{b}.csv")
        with open(path, "w") as f:
            for r in rows:
                f.write(",".join([r[0], r[1], r[2], r[3], '"' + r[4].replace('"', '""') + '"']) + "\n")
        copy_sql.append(f"\\copy plain FROM '{path}' WITH (FORMAT csv)")
        # the same rows as a text literal of the composite array, parsed by the server
        items = ",".join('"(%s,%s,%s,%s,\\"%s\\")"' % (r[0], r[1], r[2], r[3],
                                                       r[4].replace('"', '\\\\\\"')) for r in rows)
        many_sql.append(f"SELECT count(*) FROM credits.debit_many('{{{items}}}'::credits.debit_request[]);")
    copy_ms = sum(psql("\n".join(copy_sql) + "\n", timing=True))
    many_ms = sum(psql("\n".join(many_sql) + "\n", timing=True))
    n = len(rows_by_batch) * BATCH
    return n / (many_ms / 1000), n / (copy_ms / 1000)


def main():
    print(f"preparing {ACCOUNTS} accounts ...", flush=True)
    prepare()
    rng = random.Random(1122)
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(RUNS):
            many, copy = ingest(batches(rng, r), tmp)
            debit = pgbench(f"\\set a random(1, {ACCOUNTS})\n"
                            "SELECT credits.debit('acct-' || :a, 1);\n")
            pair = pgbench(f"\\set a random(1, {ACCOUNTS})\n"
                           "SELECT credits.capture(credits.hold('acct-' || :a, 2), 1);\n")
            move = pgbench(f"\\set a random(1, {ACCOUNTS})\n\\set b (:a % {ACCOUNTS}) + 1\n"
                           "SELECT credits.transfer('acct-' || :a, 'acct-' || :b, 1);\n")
            rounds.append((many, copy, debit, pair, move))
            print(f"  round {r + 1}: debit_many {many:.0f}/s, COPY {copy:.0f} rows/s, "
                  f"debit {debit:.0f} tps, hold+capture {pair:.0f} tps, transfer {move:.0f} tps",
                  flush=True)
    many, copy, debit, pair, move = [statistics.median(x) for x in zip(*rounds)]
    problems = psql("SELECT count(*) FROM credits.check_invariants()")
    print()
    print(f"debit_many, batches of {BATCH} over {ACCOUNTS} accounts: {many:8.0f} debits/s   "
          f"COPY of the same rows: {copy:8.0f} rows/s   ratio {many / copy:.3f}x (median of {RUNS})")
    print(f"hold + capture pairs: {pair:8.0f} tps   debit: {debit:8.0f} tps   ratio {pair / debit:.2f}x")
    print(f"transfer:             {move:8.0f} tps   debit: {debit:8.0f} tps   ratio {move / debit:.2f}x")
    print(f"check_invariants() after the run: {problems} problems")
    psql(f"DROP DATABASE {DB}", db="postgres")


if __name__ == "__main__":
    main()
