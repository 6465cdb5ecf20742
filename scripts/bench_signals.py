#!/usr/bin/env python3
"""make bench, signals part: the expiry sweep over a ledger of expired
grants next to a plain UPDATE of the same rows, and debit throughput on
accounts with usage thresholds, a low-balance threshold and a top-up rule
next to accounts without, measured in the same run on the same cluster.
Default durability; medians of several rounds (the sweep and the UPDATE run
in transactions that roll back, so each round sees the same ledger)."""
import os
import statistics

import bench_common

SWEEP_ACCOUNTS = int(os.environ.get("CREDITS_BENCH_SWEEP_ACCOUNTS", "100000"))
SWEEP_GRANTS = int(os.environ.get("CREDITS_BENCH_SWEEP_GRANTS", "1000000"))
ACCOUNTS = int(os.environ.get("CREDITS_BENCH_ACCOUNTS", "10000"))
RUNS = int(os.environ.get("CREDITS_BENCH_SIGNALS_RUNS", "3"))
DB = "credits_bench_signals"
GRANTED = "2026-01-01 00:00+00"
EXPIRED = "2026-01-02 00:00+00"
SWEPT = "2026-02-01 00:00+00"


def psql(sql, db=DB, timing=False):
    """SQL in this benchmark's database (bench_common.psql)."""
    return bench_common.psql(sql, db, timing)


def pgbench(script):
    """TPS of a pgbench run on this benchmark's database (bench_common.pgbench)."""
    return bench_common.pgbench(script, DB)


def prepare():
    """The sweep's ledger (grants that expired, not yet booked) written by
    two sessions at once, and the debit benchmark's accounts."""
    psql(f"DROP DATABASE IF EXISTS {DB}", db="postgres")
    psql(f"CREATE DATABASE {DB}", db="postgres")
    psql("CREATE EXTENSION credits;")
    per = SWEEP_GRANTS // SWEEP_ACCOUNTS
    halves = []
    for half in range(2):
        halves.append(f"""
            SET credits.test_clock = '{GRANTED}';
            DO $$
            BEGIN
                FOR i IN {half + 1}..{SWEEP_ACCOUNTS} BY 2 LOOP
                    PERFORM credits.open_account('sweep-' || i);
                    FOR g IN 1..{per} LOOP
                        PERFORM credits.grant_credits('sweep-' || i, 10, 'bonus', '{EXPIRED}');
                    END LOOP;
                    IF i % 1000 < 2 THEN COMMIT; END IF;
                END LOOP;
            END $$;
            """)
    bench_common.psql_at_once(halves, DB)
    psql(f"""
        DO $$
        BEGIN
            FOR i IN 1..{ACCOUNTS} LOOP
                PERFORM credits.open_account('plain-' || i);
                PERFORM credits.grant_credits('plain-' || i, 1000000000, 'purchased');
                PERFORM credits.open_account('ruled-' || i);
                PERFORM credits.grant_credits('ruled-' || i, 1000000000, 'purchased');
                PERFORM credits.set_alert_thresholds('ruled-' || i, '{{75,90,100}}');
                PERFORM credits.set_low_balance('ruled-' || i, 1000);
                PERFORM credits.set_topup_rule('ruled-' || i, 500, 100000);
            END LOOP;
        END $$;
        CREATE TABLE plain_grants AS
            SELECT id, account, remaining, expires_at FROM credits.grants WHERE kind = 'bonus';
        CREATE INDEX ON plain_grants (expires_at);
        VACUUM ANALYZE;
    """)


def sweep_round():
    """(sweep ms, UPDATE ms, grants swept), both rolled back."""
    (sweep,) = psql(f"SET credits.test_clock = '{SWEPT}';\nBEGIN;\nSELECT credits.expire();\nROLLBACK;\n",
                    timing=True)[2:3]  # SET, BEGIN, then the sweep
    (update,) = psql(f"BEGIN;\nUPDATE plain_grants SET remaining = 0 WHERE expires_at <= '{SWEPT}' "
                     "AND remaining > 0;\nROLLBACK;\n", timing=True)[1:2]
    return sweep, update


def main():
    print(f"preparing {SWEEP_GRANTS} grants over {SWEEP_ACCOUNTS} accounts and "
          f"{2 * ACCOUNTS} accounts for debits ...", flush=True)
    prepare()
    swept = psql(f"SET credits.test_clock = '{SWEPT}';\nBEGIN;\nSELECT credits.expire();\nROLLBACK;\n")
    rounds = []
    for r in range(RUNS):
        sweep, update = sweep_round()
        # alternating which goes first: a run leaves the next a bigger journal
        tps = {}
        for kind in (("plain", "ruled") if r % 2 == 0 else ("ruled", "plain")):
            tps[kind] = pgbench(f"\\set a random(1, {ACCOUNTS})\n"
                                f"SELECT credits.debit('{kind}-' || :a, 1);\n")
        plain, ruled = tps["plain"], tps["ruled"]
        rounds.append((sweep, update, plain, ruled))
        print(f"  round {r + 1}: sweep {sweep / 1000:.1f} s, UPDATE {update / 1000:.1f} s, "
              f"debit {plain:.0f} tps, with rules {ruled:.0f} tps", flush=True)
    sweep, update, plain, ruled = [statistics.median(x) for x in zip(*rounds)]
    problems = psql("SELECT count(*) FROM credits.check_invariants()")
    alerts = psql("SELECT count(*) FROM credits.alerts")
    print()
    print(f"expire() of {swept} grants over {SWEEP_ACCOUNTS} accounts: {sweep / 1000:7.1f} s   "
          f"plain UPDATE of the same rows: {update / 1000:6.1f} s   ratio {sweep / update:.1f}x "
          f"(median of {RUNS})")
    print(f"debit with thresholds, low balance and top-up rule: {ruled:8.0f} tps   without: "
          f"{plain:8.0f} tps   ratio {ruled / plain:.2f}x")
    print(f"check_invariants() after the run: {problems} problems; alerts written: {alerts}")
    psql(f"DROP DATABASE {DB}", db="postgres")


if __name__ == "__main__":
    main()
