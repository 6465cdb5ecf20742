"""Randomized signals test: months of ledger time (grants with and without
rollover rules, debits, expiry sweeps, top-ups answered by a simulated
worker) on a few accounts with usage thresholds, a low-balance threshold
and a top-up rule, checked after every step against an independent model
written here: balances, live lots, breakage totals and the alerts fired.

    python3 signals_model.py [steps] [seed]
Connects with libpq's environment as a superuser (it sets
credits.test_clock) to a database with the credits extension; prints TAP.
"""
import calendar
import datetime as dt
import sys
from decimal import Decimal

import psycopg

from harness import ModelRun

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 20261206
NEVER = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
RANK = {"purchased": 30, "bonus": 10}
THRESHOLDS = [Decimal(75), Decimal(90), Decimal(100)]
LOW, TOPUP_AT, TOPUP_TO, PER_DAY = Decimal(30), Decimal(20), Decimal(150), 2
DAY = dt.timedelta(days=1)


def add_validity(t, months, days, seconds):
    """t plus an interval, in UTC: months (day clamped), then days, then time."""
    y, m = divmod(t.month - 1 + months, 12)
    y, m = t.year + y, m + 1
    t = t.replace(year=y, month=m, day=min(t.day, calendar.monthrange(y, m)[1]))
    return t + dt.timedelta(days=days, seconds=seconds)


class Lot:
    def __init__(self, key, account, kind, amount, effective, expires, rule, generation=0):
        self.key, self.account, self.kind = key, account, kind  # key: burn-order tie-break
        self.remaining = amount
        self.effective, self.expires = effective, expires
        self.rule, self.generation = rule, generation  # rule: (max, (months, days, secs) | None, again)

    def live(self, t):
        return self.remaining > 0 and self.effective <= t < self.expires

    def order(self):
        return (50, self.expires, RANK[self.kind], self.effective, self.key)


class Account:
    def __init__(self, name):
        self.name = name
        self.breakage = Decimal(0)
        self.allowance = Decimal(0)
        self.fired = set()
        self.low_fired = self.depleted_fired = False
        self.due = False  # a lot expired since its last operation: the sweep visits it
        self.open_topup = None
        self.requests = []  # request times
        self.refused_at = None


class Model:
    def __init__(self, t):
        self.t = t
        self.accounts = {}
        self.lots = []
        self.alerts = []  # (account, kind, level)
        self.topups = {}  # model key -> (account, amount)
        self.rolled = 0

    def live(self, name):
        return sorted((l for l in self.lots if l.account == name and l.live(self.t)), key=Lot.order)

    def balance(self, name):
        return sum((l.remaining for l in self.live(name)), Decimal(0))

    def advance(self, t):
        """Expiries in time order, each rolling over what its rule allows."""
        while True:
            due = [l for l in self.lots if l.remaining > 0 and self.t < l.expires <= t]
            if not due:
                break
            lot = min(due, key=lambda l: (l.expires, l.key))
            at, a = lot.expires, self.accounts[lot.account]
            a.due = True
            roll = min(lot.remaining, lot.rule[0]) if lot.rule else Decimal(0)
            a.breakage += lot.remaining - roll
            lot.remaining = Decimal(0)
            if roll > 0:
                months, days, secs = lot.rule[1] or (0, 0, (lot.expires - lot.effective).total_seconds())
                expires = add_validity(at, months, days, secs)
                rule = (lot.rule[0], lot.rule[1], lot.rule[2] - 1) if lot.rule[2] > 0 else None
                self.rolled += 1
                self.lots.append(Lot((lot.key[0], self.rolled), lot.account, lot.kind, roll, at,
                                     expires, rule, lot.generation + 1))
        self.t = t

    def alert(self, name, kind, level):
        self.alerts.append((name, kind, Decimal(level)))

    def signal(self, name, granted=Decimal(0), paid=False):
        """What credits.signal_account does after an operation on the account."""
        a, bal = self.accounts[name], self.balance(name)
        a.due = False
        if granted > 0:
            if paid:
                a.allowance, a.fired = bal, set()
            else:
                a.allowance += granted
        if a.allowance > 0:
            used = 100 * (a.allowance - max(bal, Decimal(0))) / a.allowance
            for lvl in THRESHOLDS:
                if used >= lvl and lvl not in a.fired:
                    self.alert(name, "utilization", lvl)
                    a.fired.add(lvl)
        if not a.low_fired and bal < LOW:
            self.alert(name, "low_balance", LOW)
            a.low_fired = True
        elif a.low_fired and bal >= LOW:
            a.low_fired = False
        if not a.depleted_fired and bal <= 0:
            self.alert(name, "depleted", 0)
            a.depleted_fired = True
        elif a.depleted_fired and bal > 0:
            a.depleted_fired = False
        if bal < TOPUP_AT and a.open_topup is None:
            if sum(1 for r in a.requests if r > self.t - DAY) < PER_DAY:
                self.alert(name, "topup_requested", TOPUP_AT)
                a.requests.append(self.t)
                a.open_topup = TOPUP_TO - bal
            elif a.refused_at is None or a.refused_at <= self.t - DAY:
                self.alert(name, "topup_refused", TOPUP_AT)
                a.refused_at = self.t


class Run(ModelRun):
    def __init__(self, conn):
        super().__init__(conn, Model(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)), SEED)
        self.grants = 0

    def grant(self, name):
        m = self.m
        self.grants += 1
        kind = self.rng.choice(["purchased", "bonus"])
        amount = self.amount(60)
        # distinct expiries (a second apart per grant) keep the burn order free of ties
        expires = m.t + dt.timedelta(days=self.rng.randint(1, 40), seconds=self.grants)
        rule, args = None, (None, None, 1)
        if self.rng.random() < 0.5:
            validity = self.rng.choice([None, (1, 0, 0), (0, 7, 0), (0, 15, 43200)])
            rule = (self.amount(40), validity, self.rng.randint(0, 2))
            text = None if validity is None else f"{validity[0]} mons {validity[1]} days {validity[2]} secs"
            args = (rule[0], text, rule[2])
        m.advance(m.t)
        rows, err = self.call("SELECT credits.grant_credits(%s, %s, %s, %s, rollover_max => %s, "
                              "rollover_validity => %s::interval, rollover_limit => %s)",
                              name, amount, kind, expires, *args)
        self.expect("grant", err, None)
        m.lots.append(Lot((rows[0][0], 0), name, kind, amount, m.t, expires, rule))
        m.signal(name, amount, kind == "purchased")

    def debit(self, name):
        amount = self.amount(30)
        ok = self.m.balance(name) >= amount
        rows, err = self.call("SELECT credits.debit(%s, %s)", name, amount)
        self.expect(f"debit {amount} on {name}", err, None if ok else "CR001")
        if ok:
            left = amount
            for lot in self.m.live(name):
                x = min(lot.remaining, left)
                lot.remaining -= x
                left -= x
            self.m.signal(name)

    def sweep(self):
        rows, err = self.call("SELECT credits.expire()")
        self.expect("expire()", err, None)
        for name, a in self.m.accounts.items():
            if a.due:
                self.m.signal(name)

    def worker(self):
        """Answers every open top-up: fulfils most, fails some (declined cards)."""
        m = self.m
        self.q("SELECT count(*) FROM credits.claim_alerts(1000)")
        for alert, name, amount in self.q(
                "SELECT t.alert, a.key, t.amount FROM credits.topups t JOIN credits.accounts a "
                "ON a.id = t.account WHERE t.status = 'open' ORDER BY t.alert"):
            a = m.accounts[name]
            self.expect(f"open top-up of {name}", Decimal(amount), a.open_topup)
            a.open_topup = None
            if self.rng.random() < 0.25:
                rows, err = self.call("SELECT credits.fail_topup(%s, 'declined')", alert)
                self.expect("fail_topup", err, None)
                continue
            rows, err = self.call("SELECT credits.fulfil_topup(%s, 0.01)", alert)
            self.expect("fulfil_topup", err, None)
            m.advance(m.t)
            m.lots.append(Lot((rows[0][0], 0), name, "purchased", Decimal(amount), m.t, NEVER, None))
            m.signal(name, Decimal(amount), True)

    def tick(self):
        step = self.rng.choice([dt.timedelta(hours=1), dt.timedelta(hours=6), DAY, 3 * DAY])
        self.m.advance(self.m.t + step)
        self.set_clock()

    def check(self):
        m = self.m
        for name, a in m.accounts.items():
            (bal,), = self.q("SELECT credits.balance(%s)", name)
            self.expect(f"balance of {name}", Decimal(bal), m.balance(name))
            lots = self.q("SELECT expires_at, remaining FROM credits.grants_of(%s) "
                          "ORDER BY expires_at NULLS LAST, remaining", name)
            want = sorted(((l.expires, l.remaining) for l in m.live(name)), key=lambda x: (x[0], x[1]))
            self.expect(f"lots of {name}", [(e or NEVER, Decimal(r)) for e, r in lots], want)
            if a.due:
                continue  # its last expiries are not written yet (the next operation or sweep does)
            (broke,), = self.q("SELECT coalesce(sum(-e.delta::numeric), 0) FROM credits.entries e "
                               "JOIN credits.accounts a ON a.id = e.account "
                               "WHERE a.key = %s AND e.type = 'expire'", name)
            self.expect(f"breakage of {name}", Decimal(broke), a.breakage)
        fired = [(n, k, Decimal(l)) for n, k, l in self.q(
            "SELECT a.key, al.kind, al.level FROM credits.alerts al JOIN credits.accounts a "
            "ON a.id = al.account ORDER BY al.id")]
        self.expect("alerts", fired, m.alerts)

    def run(self):
        names = ["ada", "bob", "cy"]
        for name in names:
            self.q("SELECT credits.open_account(%s)", name)
            self.m.accounts[name] = Account(name)
            self.q("SELECT credits.set_alert_thresholds(%s, '{75,90,100}')", name)
            self.q("SELECT credits.set_low_balance(%s, %s)", name, LOW)
            self.q("SELECT credits.set_topup_rule(%s, %s, %s, max_per_day => %s)",
                   name, TOPUP_AT, TOPUP_TO, PER_DAY)
            a = self.m.accounts[name]
            a.low_fired = a.depleted_fired = True  # balance 0 when set: below both already
        actions = [(18, lambda: self.grant(self.rng.choice(names))),
                   (40, lambda: self.debit(self.rng.choice(names))),
                   (14, self.tick), (6, self.sweep), (6, self.worker)]
        weights = [w for w, _ in actions]
        for self.step in range(1, STEPS + 1):
            self.rng.choices(actions, weights)[0][1]()
            self.check()
        problems = self.q("SELECT * FROM credits.check_invariants()")
        chains = self.q("SELECT count(*) FROM credits.verify_chain() WHERE NOT ok")
        days = (self.m.t - dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)).days
        print(f"ok 1 - {STEPS} random steps over {days} days (seed {SEED}): balances, lots, breakage "
              f"and {len(self.m.alerts)} alerts matched the model after each")
        print(f"{'ok' if not problems else 'not ok'} 2 - check_invariants() is empty {problems[:3]}")
        print(f"{'ok' if chains[0][0] == 0 else 'not ok'} 3 - every chain verifies")


def main():
    with psycopg.connect(autocommit=True) as conn:
        conn.execute("DROP EXTENSION IF EXISTS credits CASCADE")
        conn.execute("CREATE EXTENSION credits")
        Run(conn).run()


if __name__ == "__main__":
    main()
