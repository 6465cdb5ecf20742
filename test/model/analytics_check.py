"""The analysts' reports against an independent computation: a generated
ledger over several months of test-clock time (purchases with a cost
basis, bonuses with rollover rules, compensation credits, debits, holds and
captures, reversals, voids, transfers, expiries), then every report
recomputed here from the raw journal and compared, and the grants this
script made compared with what the reports say was granted.

    python3 analytics_check.py [seed]
Connects with libpq's environment as a superuser (it sets
credits.test_clock) to a database with the credits extension; prints TAP.
"""
import datetime as dt
import sys
import time
from collections import defaultdict
from decimal import Decimal

import psycopg

from harness import ModelRun

SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 20261206
START = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
FLOW = {"burn": "consumed", "repay": "consumed", "refund": "refunded", "expire": "expired",
        "void": "voided", "transfer": "transferred", "reinstate": "transferred", "rollover": "transferred"}


class Clock:
    def __init__(self, t):
        self.t = t


class Scenario(ModelRun):
    def __init__(self, conn):
        super().__init__(conn, Clock(START), SEED)
        self.granted = defaultdict(Decimal)  # category -> what this script granted
        self.tests = 0

    def ok(self, what, good, detail=""):
        self.tests += 1
        print(f"{'ok' if good else 'not ok'} {self.tests} - {what}")
        if not good:
            print(f"# {detail}")

    def generate(self):
        names = ["north", "south", "east", "west"]
        for n in names:
            self.q("SELECT credits.open_account(%s)", n)
        ops = []
        for self.step in range(1, 1200):
            r, n = self.rng.random(), self.rng.choice(names)
            if r < 0.12:
                amount, cost = self.amount(200), Decimal(self.rng.choice(["0.01", "0.02", "0.05"]))
                expires = self.m.t + dt.timedelta(days=self.rng.randint(10, 60))
                rows, err = self.call("SELECT credits.grant_credits(%s, %s, 'purchased', %s, cost_basis => %s)",
                                      n, amount, expires, cost)
                self.granted["paid"] += amount
            elif r < 0.18:
                amount = self.amount(50)
                rows, err = self.call("SELECT credits.grant_credits(%s, %s, 'bonus', %s, rollover_max => 10)",
                                      n, amount, self.m.t + dt.timedelta(days=20))
                self.granted["promotional"] += amount
            elif r < 0.22:
                amount = self.amount(30)
                rows, err = self.call("SELECT credits.grant_credits(%s, %s, %s, reference => %s)", n, amount,
                                      self.rng.choice(["sla", "goodwill"]), self.rng.choice(["outage", "bug"]))
                self.granted["compensation"] += amount
            elif r < 0.62:
                rows, err = self.call("SELECT credits.try_debit(%s, %s)", n, self.amount(20))
                if rows and rows[0][0]:
                    ops.append(rows[0][0])
            elif r < 0.67:
                rows, err = self.call("SELECT credits.capture(credits.hold(%s, %s), %s)", n, Decimal(4), Decimal(3))
            elif r < 0.72 and ops:
                self.call("SELECT credits.reverse(%s, %s)", self.rng.choice(ops), Decimal(1))
            elif r < 0.74:
                self.call("SELECT credits.void_grant(max(g.id)) FROM credits.grants g JOIN credits.accounts a "
                          "ON a.id = g.account WHERE a.key = %s", n)
            elif r < 0.80:
                self.call("SELECT credits.transfer(%s, %s, %s)", n, self.rng.choice(names), self.amount(10))
            elif r < 0.84:
                self.call("SELECT credits.expire()")
                if self.rng.random() < 0.5:  # the reports then read flow_totals and the entries after
                    self.call("SELECT credits.refresh_flow_totals()")
            else:
                self.m.t += dt.timedelta(hours=self.rng.choice([1, 6, 24, 48]))
                self.set_clock()
        self.call("SELECT credits.expire()")  # everything due is booked
        return self.m.t

    def check(self, end):
        entries = self.q(
            "SELECT e.effective_at, e.type, e.delta, g.origin IS NOT NULL, k.category, g.kind, "
            "coalesce(g.cost_basis, 0), e.\"grant\" FROM credits.entries e "
            "JOIN credits.grants g ON g.id = e.\"grant\" JOIN credits.kinds k ON k.kind = g.kind "
            "WHERE e.type NOT IN ('hold', 'release')")
        flows = [(at, "granted" if t == "grant" and not moved else "transferred" if t == "grant" else FLOW[t],
                  Decimal(d), cat, kind, Decimal(cost)) for at, t, d, moved, cat, kind, cost, _ in entries]
        months = [START + dt.timedelta(days=0)]
        while months[-1] < end:
            m = months[-1]
            months.append(m.replace(year=m.year + (m.month == 12), month=m.month % 12 + 1))
        # liability at many instants, and granted = liability + consumed + expired + voided - refunded
        bad = []
        for k in range(40):
            t = START + (end - START) * k / 39
            want = defaultdict(Decimal)
            for at, flow, d, cat, kind, cost in flows:
                if at <= t:
                    want[(cat, kind)] += d
            got = {(c, kd): Decimal(x) for c, kd, x in
                   self.q("SELECT category, kind, credits FROM credits.liability(%s)", t)}
            if got != {key: v for key, v in want.items() if v != 0}:
                bad.append((t, got, dict(want)))
            total = sum(got.values(), Decimal(0))
            moved = defaultdict(Decimal)
            for at, flow, d, *_ in flows:
                if at <= t:
                    moved[flow] += d
            if total + (-moved["consumed"]) + (-moved["expired"]) + (-moved["voided"]) - moved["refunded"] \
                    - moved["transferred"] != moved["granted"]:
                bad.append((t, "identity"))
        self.ok("liability(t) at 40 instants matches the journal summed here, and liability + consumed + "
                "expired + voided - refunded = granted", not bad, bad[:1])
        rf = self.q("SELECT period, category, opening, granted, consumed, refunded, expired, voided, transferred, "
                    "closing, closing_value FROM credits.liability_rollforward(%s, %s)", START, months[-1])
        bad = []
        for period, cat, *figs in rf:
            end_p = next(m for m in months if m > period)
            want = defaultdict(Decimal)
            for at, flow, d, c, kind, cost in flows:
                if c != cat or at >= end_p:
                    continue
                if at < period:
                    want["opening"] += d
                else:
                    want[flow] += d
                want["closing"] += d
                want["value"] += d * cost
            mine = [want["opening"], want["granted"], -want["consumed"], want["refunded"], -want["expired"],
                    -want["voided"], want["transferred"], want["closing"], want["value"]]
            if [Decimal(x) for x in figs] != mine:
                bad.append((period, cat, figs, mine))
        self.ok(f"liability_rollforward: {len(rf)} month-and-category rows match", not bad, bad[:1])
        reported = defaultdict(Decimal)
        for _, cat, _, granted, *_ in rf:
            reported[cat] += Decimal(granted)
        self.ok("what the roll-forward says was granted is what this script granted",
                dict(reported) == dict(self.granted), (dict(reported), dict(self.granted)))
        br = self.q("SELECT period, kind, credits, value FROM credits.breakage(%s, %s)", START, months[-1])
        want = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for at, flow, d, cat, kind, cost in flows:
            if flow == "expired":
                period = max(m for m in months if m <= at)
                want[(period, kind)][0] -= d
                want[(period, kind)][1] -= d * cost
        got = {(p, k): [Decimal(c), Decimal(v)] for p, k, c, v in br}
        self.ok(f"breakage: {len(br)} rows match", got == {k: v for k, v in want.items() if v[0] != 0},
                (got, dict(want)))
        rr = self.q("SELECT period, recognized, breakage, refunds FROM credits.revenue_recognition(%s, %s)",
                    START, months[-1])
        want = defaultdict(lambda: [Decimal(0)] * 3)
        for at, flow, d, cat, kind, cost in flows:
            if cat != "paid" or flow not in ("consumed", "refunded", "expired"):
                continue
            w = want[max(m for m in months if m <= at)]
            if flow == "expired":
                w[1] -= d * cost
            else:
                w[0] -= d * cost
            if flow == "refunded":
                w[2] += d * cost
        got = {p: [Decimal(a), Decimal(b), Decimal(c)] for p, a, b, c in rr}
        self.ok(f"revenue_recognition: {len(rr)} months match", got == dict(want), (got, dict(want)))
        bad = self.q("SELECT grant_id FROM credits.grant_status WHERE amount::numeric <> consumed::numeric + "
                     "held::numeric + remaining::numeric + expired::numeric + voided::numeric + "
                     "transferred_out::numeric + rolled_over::numeric")
        self.ok("grant_status accounts for every credit of every grant", not bad, bad[:3])
        bad = []
        for name in ["north", "south", "east", "west"]:
            for k in range(len(months) - 2):  # months over by the end (the last one is not)
                rows = self.q("SELECT entry_type, amount, balance FROM credits.statement(%s, %s, %s) ORDER BY line",
                              name, months[k], months[k + 1])
                moved = sum((Decimal(a) for t, a, _ in rows if t not in ("opening", "closing")), Decimal(0))
                (real,), = self.q("SELECT credits.balance(%s, %s - interval '1 microsecond')", name, months[k + 1])
                # all is booked (the sweep ran last): no line may need 'unbooked'
                if Decimal(rows[0][2]) + moved != Decimal(rows[-1][2]) or Decimal(rows[-1][2]) != Decimal(real) \
                        or any(t == "unbooked" for t, _, _ in rows):
                    bad.append((name, months[k]))
        self.ok("statements: opening + entries = closing = balance() at the end, every account and month",
                not bad, bad[:2])
        problems = self.q("SELECT * FROM credits.check_invariants()")
        self.ok("check_invariants() is empty", not problems, problems[:2])


def main():
    with psycopg.connect(autocommit=True) as conn:
        conn.execute("DROP EXTENSION IF EXISTS credits CASCADE")
        conn.execute("CREATE EXTENSION credits")
        conn.execute("SET TimeZone = 'UTC'")  # the reports' months, as computed here
        s = Scenario(conn)
        end = s.generate()
        s.check(end)
        # everything summed: the same figures from credits.flow_totals alone
        # (twice at least: the second sums what the first saw; more while
        # another database's transactions from before are still open)
        for _ in range(100):
            conn.execute("SELECT credits.refresh_flow_totals()")
            if conn.execute("SELECT summarized_to = (SELECT max(id) FROM credits.entries) "
                            "FROM credits.flow_totals_state").fetchone()[0]:
                break
            time.sleep(0.1)
        summed = conn.execute("SELECT (SELECT sum(entries) FROM credits.flow_totals), "
                              "(SELECT count(*) FROM credits.liability_movements)").fetchone()
        s.ok("refresh_flow_totals() sums the whole journal", summed[0] == summed[1], summed)
        s.check(end)


if __name__ == "__main__":
    main()
