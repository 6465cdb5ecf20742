#!/usr/bin/env python3
"""make bench, analytics part: a generated ledger of ACCOUNTS accounts and
about ENTRIES journal entries spread over twelve months (one purchase per
account, then debits in debit_many() batches, two writers on disjoint
accounts), then the analysts' queries next to a plain count(*) of the
journal in the same run: account_balances and statement for one account,
liability() and a 12-month liability_rollforward for everything, the
roll-forward both before and after credits.refresh_flow_totals() sums the
journal (and the time that takes), breakage and revenue recognition. Medians
of several runs; prints the plans of the one-account queries."""
import datetime as dt
import os
import random
import statistics

import bench_common

ACCOUNTS = int(os.environ.get("CREDITS_BENCH_ANALYTICS_ACCOUNTS", "100000"))
ENTRIES = int(os.environ.get("CREDITS_BENCH_ANALYTICS_ENTRIES", "10000000"))
BATCH = 1000
RUNS = int(os.environ.get("CREDITS_BENCH_ANALYTICS_RUNS", "5"))
DB = "credits_bench_analytics"


def psql(sql, db=DB, timing=False):
    """SQL in this benchmark's database (bench_common.psql)."""
    return bench_common.psql(sql, db, timing)


def writer(part, batches):
    """The SQL of a session writing its half of the batches, the clock moving on."""
    rng = random.Random(part)
    lines = []
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    for b in range(batches):
        t = start + dt.timedelta(days=365) * b / batches
        lines.append(f"SET credits.test_clock = '{t.isoformat()}';")
        items = ",".join('"(acct-%d,%s,,meter,)"' % (2 * rng.randrange(ACCOUNTS // 2) + part + 1,
                                                      rng.choice(["0.25", "1", "3.5"]))
                         for _ in range(BATCH))
        lines.append(f"SELECT count(*) FROM credits.debit_many('{{{items}}}'::credits.debit_request[]);")
    return "\n".join(lines) + "\n"


def prepare():
    psql(f"DROP DATABASE IF EXISTS {DB}", db="postgres")
    psql(f"CREATE DATABASE {DB}", db="postgres")
    psql(f"""
        CREATE EXTENSION credits;
        SET credits.test_clock = '2025-12-31+00';
        DO $$
        BEGIN
            FOR i IN 1..{ACCOUNTS} LOOP
                PERFORM credits.open_account('acct-' || i);
                PERFORM credits.grant_credits('acct-' || i, 100000000, 'purchased', cost_basis => 0.01);
                IF i % 5000 = 0 THEN COMMIT; END IF;
            END LOOP;
        END $$;""")
    debits = max(0, ENTRIES - ACCOUNTS)
    batches = max(2, debits // BATCH) // 2
    bench_common.psql_at_once([writer(part, batches) for part in (0, 1)], DB)
    psql("VACUUM ANALYZE;")


def median_ms(sql):
    """The median of RUNS runs in one session, after a first run that warms its caches."""
    return statistics.median(psql(sql * (RUNS + 1), timing=True)[1:])


def main():
    if os.environ.get("CREDITS_BENCH_ANALYTICS_REUSE") != "1":
        print(f"generating {ACCOUNTS} accounts and about {ENTRIES} entries ...", flush=True)
        prepare()
    entries = int(psql("SELECT count(*) FROM credits.entries"))
    one = f"acct-{min(4242, ACCOUNTS)}"
    queries = [
        ("count(*) of the journal", "SELECT count(*) FROM credits.entries;"),
        ("account_balances, one account", f"SELECT * FROM credits.account_balances WHERE account = '{one}';"),
        ("statement, one account, one month",
         f"SELECT count(*) FROM credits.statement('{one}', '2026-06-01+00', '2026-07-01+00');"),
        ("liability()", "SELECT count(*) FROM credits.liability('2027-01-01+00');"),
        ("liability_rollforward, 12 months",
         "SELECT count(*) FROM credits.liability_rollforward('2026-01-01+00', '2027-01-01+00');"),
    ]
    rollforward = queries.pop()
    # the roll-forward reading every entry, then from credits.flow_totals
    results = [(name, median_ms(sql)) for name, sql in queries]
    psql("SELECT credits.refresh_flow_totals();")  # sees the entries, sums none yet
    if int(psql("SELECT count(*) FROM credits.flow_totals")) == 0:
        results.append((rollforward[0] + ", nothing summed", median_ms(rollforward[1])))
    summed = psql("SELECT credits.refresh_flow_totals();", timing=True)
    results.append(("refresh_flow_totals (every entry)", summed[0]))
    results.append((rollforward[0] + ", summed", median_ms(rollforward[1])))
    results.append(("breakage, 12 months, summed",
                    median_ms("SELECT count(*) FROM credits.breakage('2026-01-01+00', '2027-01-01+00');")))
    results.append(("revenue_recognition, 12 months, summed",
                    median_ms("SELECT count(*) FROM credits.revenue_recognition('2026-01-01+00', '2027-01-01+00');")))
    base = results[0][1]
    print(f"\n{entries} entries over {ACCOUNTS} accounts (median of {RUNS} runs):")
    for name, ms in results:
        print(f"  {name:36s} {ms:10.1f} ms   {ms / base:6.3f}x count(*)")
    print("\nplans:")
    print(psql(f"EXPLAIN SELECT * FROM credits.account_balances WHERE account = '{one}';"))
    print(psql(f"EXPLAIN SELECT e.* FROM credits.entries e WHERE e.account = (SELECT id FROM credits.accounts WHERE key = '{one}') "
               "AND e.effective_at >= '2026-06-01+00' AND e.effective_at < '2026-07-01+00' ORDER BY e.seq;"))
    print(psql("EXPLAIN SELECT * FROM credits.liability('2027-01-01+00');"))


if __name__ == "__main__":
    main()
