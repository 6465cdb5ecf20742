"""Randomized lifecycle test: thousands of mixed operations (grants, debits,
batches, holds, captures, releases, reversals, voids, transfers, expiry
sweeps, clock moves) on a
parent, a pooled child with a pool limit and an account with overdraft,
checked after every step against an independent model written here.

    python3 lifecycle_model.py [steps] [seed]
Connects with libpq's environment as a superuser (it sets
credits.test_clock) to a database with the credits extension; prints TAP.
"""
import datetime as dt
import sys
from decimal import Decimal

import psycopg

from harness import ModelRun

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 20261122
NEVER = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
RANK = {"purchased": 30, "bonus": 10, "promotional": 10, "gift": 10}
TRANSFERABLE = {"purchased": True, "bonus": True, "promotional": True, "gift": False}


class Lot:
    def __init__(self, gid, account, kind, amount, priority, effective, expires):
        self.id, self.account, self.kind = gid, account, kind
        self.amount = self.remaining = amount
        self.priority, self.effective, self.expires = priority, effective, expires
        self.voided = False

    def live(self, t):
        return self.remaining > 0 and not self.voided and self.effective <= t < self.expires

    def order(self):
        """THE burn order, as the README states it."""
        return (self.priority, self.expires, RANK[self.kind], self.effective, self.id)


class Account:
    def __init__(self, name, overdraft=Decimal(0), parent=None, limit=None):
        self.name, self.overdraft, self.parent, self.limit = name, overdraft, parent, limit
        self.debt = Decimal(0)
        self.drawn = Decimal(0)  # consumed from the parent's lots


class Model:
    def __init__(self, t):
        self.t = t
        self.accounts = {}
        self.lots = {}
        self.holds = {}   # id -> dict(account, amount, expires, active, pinned=[(lot, amt)])
        self.ops = {}     # id -> dict(account, burns=[(lot, amt)], reversed)

    def live(self, account):
        lots = [l for l in self.lots.values() if l.account == account and l.live(self.t)]
        return sorted(lots, key=Lot.order)

    def live_total(self, account):
        return sum((l.remaining for l in self.live(account)), Decimal(0))

    def balance(self, account):
        return self.live_total(account) - self.accounts[account].debt

    def held(self, account):
        return sum((h["amount"] for h in self.holds.values()
                    if h["account"] == account and h["active"] and h["expires"] > self.t), Decimal(0))

    def take(self, account, amount, record):
        """Takes up to amount from live lots in burn order; returns what it took."""
        took = Decimal(0)
        for lot in self.live(account):
            x = min(lot.remaining, amount - took)
            if x <= 0:
                break
            lot.remaining -= x
            took += x
            record.append((lot, x))
        return took

    def repay(self, account):
        a = self.accounts[account]
        if a.debt > 0:
            a.debt -= self.take(account, a.debt, [])

    def chain(self, account):
        a = self.accounts[account]
        return [account] + ([a.parent] if a.parent else [])

    def pool_room(self, account):
        a = self.accounts[account]
        if a.limit is None:
            return None
        held_above = sum((x for h in self.holds.values()
                          if h["account"] == account and h["active"] and h["expires"] > self.t
                          for lot, x in h["pinned"] if lot.account != account), Decimal(0))
        return max(Decimal(0), a.limit - a.drawn - held_above)

    def draw(self, account, amount, record, dry):
        """Own lots, then the parent's within the pool room; what is left."""
        left = amount
        own = self.live_total(account) if dry else self.take(account, left, record)
        left -= min(own, left)
        parent = self.accounts[account].parent
        if parent and left > 0:
            room = self.pool_room(account)
            can = self.live_total(parent) if room is None else min(room, self.live_total(parent))
            x = min(can, left)
            if not dry and x > 0:
                got = []
                self.take(parent, x, got)
                record.extend(got)
            left -= x
        return left

    def debit(self, account, amount):
        """A debit known to be covered: own lots, the pool's, then debt; its record."""
        a, burns = self.accounts[account], []
        created = self.draw(account, amount, burns, dry=False)
        a.debt += created
        for lot, x in burns:
            if lot.account != account:
                a.drawn += x
        return {"account": account, "burns": burns, "reversed": Decimal(0), "debt": created}

    def advance(self, t):
        """Moves to t: lot expiries and hold expiries in time order."""
        events = []
        for lot in self.lots.values():
            if self.t < lot.expires <= t:
                events.append((lot.expires, 0, lot.id, lot))
        for hid, h in self.holds.items():
            if h["active"] and self.t < h["expires"] <= t:
                events.append((h["expires"], 1, hid, h))
        events.sort(key=lambda e: e[:3])
        for k, (at, kind, _, x) in enumerate(events):
            if kind == 0:
                x.remaining = Decimal(0)
                continue
            # every credit returning at one instant first, then debts repaid
            x["active"] = False
            for lot, amt in x["pinned"]:
                lot.remaining += amt
                if at >= lot.expires:
                    lot.remaining -= amt
            if k + 1 == len(events) or events[k + 1][0] != at or events[k + 1][1] != 1:
                saved, self.t = self.t, at
                for name in self.accounts:
                    self.repay(name)
                self.t = saved
        self.t = t


class Run(ModelRun):
    def __init__(self, conn):
        super().__init__(conn, Model(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)), SEED)
        self.counts = {}

    # --- operations -------------------------------------------------------
    def grant(self, name):
        kind = self.rng.choice(list(RANK))
        amount = self.amount(40)
        priority = self.rng.choice([10, 50, 50])
        expires = self.rng.choice([None, self.m.t + dt.timedelta(hours=self.rng.randint(1, 72))])
        rows, err = self.call("SELECT credits.grant_credits(%s, %s, %s, %s, %s)",
                              name, amount, kind, expires, priority)
        self.expect("grant", err, None)
        lot = Lot(rows[0][0], name, kind, amount, priority, self.m.t, expires or NEVER)
        self.m.lots[lot.id] = lot
        self.m.repay(name)

    def debit(self, name):
        amount = self.amount(25)
        m, a = self.m, self.m.accounts[name]
        ok = m.draw(name, amount, [], dry=True) <= max(Decimal(0), a.overdraft - a.debt)
        rows, err = self.call("SELECT credits.debit(%s, %s)", name, amount)
        self.expect(f"debit {amount} on {name}", err, None if ok else "CR001")
        if ok:
            self.m.ops[rows[0][0]] = self.m.debit(name, amount)

    def batch(self):
        """debit_many: each request predicted in array order, as debit() would go."""
        m, names = self.m, list(self.m.accounts)
        reqs = [(self.rng.choice(names), self.amount(10)) for _ in range(self.rng.randint(1, 6))]
        want = []
        for name, amount in reqs:
            a = m.accounts[name]
            if m.draw(name, amount, [], dry=True) > max(Decimal(0), a.overdraft - a.debt):
                want.append("CR001")
                continue
            want.append((m.debit(name, amount), m.balance(name)))
        literal = "{" + ",".join(f'"({n},{x},,,)"' for n, x in reqs) + "}"
        rows, err = self.call("SELECT ord, operation_id, sqlstate, balance_after FROM "
                              "credits.debit_many(%s::credits.debit_request[]) ORDER BY ord", literal)
        self.expect("debit_many", err, None)
        for (ord_, op, state, bal), w in zip(rows, want):
            if w == "CR001":
                self.expect(f"debit_many request {ord_}", state, "CR001")
                continue
            self.expect(f"debit_many request {ord_}", (state, Decimal(bal)), (None, w[1]))
            self.m.ops[op] = w[0]

    def hold(self, name):
        amount = self.amount(20)
        m = self.m
        ok = m.draw(name, amount, [], dry=True) == 0
        expires = m.t + dt.timedelta(minutes=self.rng.randint(5, 240))
        rows, err = self.call("SELECT credits.hold(%s, %s, %s)", name, amount, expires)
        self.expect(f"hold {amount} on {name}", err, None if ok else "CR001")
        if ok:
            pinned = []
            m.draw(name, amount, pinned, dry=False)
            m.holds[rows[0][0]] = {"account": name, "amount": amount, "expires": expires,
                                   "active": True, "pinned": pinned}

    def settle(self, capture):
        m = self.m
        if not m.holds:
            return
        hid = self.rng.choice(list(m.holds))
        h = m.holds[hid]
        ok = h["active"] and h["expires"] > m.t
        amount = min(h["amount"], self.amount(20)) if capture else None
        if capture:
            rows, err = self.call("SELECT credits.capture(%s, %s)", hid, amount)
        else:
            rows, err = self.call("SELECT credits.release(%s)", hid)
        self.expect(f"{'capture' if capture else 'release'} of hold {hid}", err, None if ok else "CR008")
        if not ok:
            return
        h["active"] = False
        left, burns = (amount or Decimal(0)), []
        for lot, x in h["pinned"]:
            lot.remaining += x
            b = min(left, x)
            left -= b
            lot.remaining -= b
            if b > 0:
                burns.append((lot, b))
                if lot.account != h["account"]:
                    m.accounts[h["account"]].drawn += b
            if m.t >= lot.expires:
                lot.remaining -= x - b
        for name in m.chain(h["account"]):
            m.repay(name)
        if capture:
            m.ops[rows[0][0]] = {"account": h["account"], "burns": burns, "reversed": Decimal(0),
                                 "debt": Decimal(0)}

    def reverse(self):
        m = self.m
        candidates = [o for o, v in m.ops.items() if v["debt"] == 0]
        if not candidates:
            return
        oid = self.rng.choice(candidates)
        op = m.ops[oid]
        total = sum((x for _, x in op["burns"]), Decimal(0))
        left = total - op["reversed"]
        amount = self.rng.choice([None, self.amount(15)])
        want = amount if amount is not None else left
        ok = left > 0 and want <= left
        rows, err = self.call("SELECT credits.reverse(%s, %s)", oid, amount)
        self.expect(f"reverse {amount} of {oid}", err, None if ok else "22023")
        if not ok:
            return
        skip, share = op["reversed"], want
        for lot, taken in reversed(op["burns"]):
            skipped = min(skip, taken)
            skip -= skipped
            x = min(taken - skipped, share)
            if x <= 0:
                continue
            share -= x
            lot.remaining += x
            if lot.account != op["account"]:
                a = m.accounts[op["account"]]
                a.drawn = max(Decimal(0), a.drawn - x)
            if lot.voided or m.t >= lot.expires:
                lot.remaining -= x
        op["reversed"] += want
        for name in m.chain(op["account"]):
            m.repay(name)

    def void(self):
        m = self.m
        if not m.lots:
            return
        gid = self.rng.choice(list(m.lots))
        lot = m.lots[gid]
        held = any(h["active"] and h["expires"] > m.t and l is lot
                   for h in m.holds.values() for l, _ in h["pinned"])
        want = "CR010" if lot.voided or m.t >= lot.expires else "CR009" if held else None
        rows, err = self.call("SELECT credits.void_grant(%s)", gid)
        self.expect(f"void of grant {gid}", err, want)
        if want is None:
            lot.remaining, lot.voided = Decimal(0), True

    def transfer(self, src, dst):
        m = self.m
        amount = self.amount(20)
        lots = [l for l in m.live(src) if TRANSFERABLE[l.kind]]
        ok = sum((l.remaining for l in lots), Decimal(0)) >= amount
        rows, err = self.call("SELECT credits.transfer(%s, %s, %s)", src, dst, amount)
        self.expect(f"transfer {amount} {src}->{dst}", err, None if ok else "CR001")
        if not ok:
            return
        taken, left = [], amount
        for lot in lots:
            x = min(lot.remaining, left)
            if x <= 0:
                break
            lot.remaining -= x
            left -= x
            taken.append((lot, x))
        new = self.q("SELECT g.id, g.origin FROM credits.grants g JOIN credits.operations o "
                     "ON o.id = g.operation WHERE o.on_behalf_of = %s ORDER BY g.id", rows[0][0])
        self.expect("transferred lots", [o for _, o in new], [l.id for l, _ in taken])
        for (gid, _), (src_lot, x) in zip(new, taken):
            lot = Lot(gid, dst, src_lot.kind, x, src_lot.priority, m.t, src_lot.expires)
            m.lots[gid] = lot
            m.repay(dst)

    def sweep(self):
        """The expiry sweep books what the model already has: nothing may change."""
        rows, err = self.call("SELECT credits.expire()")
        self.expect("expire()", err, None)

    def tick(self):
        t = self.m.t + dt.timedelta(minutes=self.rng.choice([0, 1, 10, 45, 120, 600]))
        self.m.advance(t)
        self.set_clock()

    # --- checks -----------------------------------------------------------
    def check(self):
        for name in self.m.accounts:
            (bal, held), = self.q("SELECT credits.balance(%s), credits.held(%s)", name, name)
            self.expect(f"balance of {name}", Decimal(bal), self.m.balance(name))
            self.expect(f"held of {name}", Decimal(held), self.m.held(name))
            lots = self.q("SELECT grant_id, remaining FROM credits.grants_of(%s) ORDER BY grant_id", name)
            want = sorted((l.id, l.remaining) for l in self.m.live(name))
            self.expect(f"lots of {name}", [(g, Decimal(r)) for g, r in lots], want)
        (usage,), = self.q("SELECT credits.pool_usage('team')")[0:1]
        a = self.m.accounts["team"]
        held_above = a.limit - a.drawn - self.m.pool_room("team")
        self.expect("pool usage of team", Decimal(usage), a.drawn + held_above)

    def run(self):
        self.q("SELECT credits.define_kind('gift', 'promotional', transferable => false)")
        for name, kw in (("company", {}), ("team", {"parent": "company", "limit": Decimal(60)}),
                         ("solo", {"overdraft": Decimal(20)})):
            self.q("SELECT credits.open_account(%s, overdraft_limit => %s, parent => %s)",
                   name, kw.get("overdraft", Decimal(0)), kw.get("parent"))
            self.m.accounts[name] = Account(name, kw.get("overdraft", Decimal(0)), kw.get("parent"),
                                            kw.get("limit"))
        self.q("SELECT credits.set_pool_limit('team', 60)")
        names = list(self.m.accounts)
        actions = [
            (12, lambda: self.grant(self.rng.choice(names))),
            (20, lambda: self.debit(self.rng.choice(names))),
            (5, self.batch),
            (10, lambda: self.hold(self.rng.choice(names))),
            (6, lambda: self.settle(True)),
            (4, lambda: self.settle(False)),
            (6, self.reverse),
            (3, self.void),
            (5, lambda: self.transfer(*self.rng.sample(["company", "solo", "team"], 2))),
            (14, self.tick),
            (3, self.sweep),
        ]
        weights = [w for w, _ in actions]
        for self.step in range(1, STEPS + 1):
            action = self.rng.choices(actions, weights)[0][1]
            name = getattr(action, "__name__", "")
            action()
            self.counts[name] = self.counts.get(name, 0) + 1
            self.check()
        problems = self.q("SELECT * FROM credits.check_invariants()")
        chains = self.q("SELECT count(*) FROM credits.verify_chain() WHERE NOT ok")
        print(f"ok 1 - {STEPS} random lifecycle steps (seed {SEED}): balance, held, lots and "
              "pool usage of every account matched the model after each")
        print(f"{'ok' if not problems else 'not ok'} 2 - check_invariants() is empty {problems[:3]}")
        print(f"{'ok' if chains[0][0] == 0 else 'not ok'} 3 - every chain verifies")


def main():
    with psycopg.connect(autocommit=True) as conn:
        conn.execute("DROP EXTENSION IF EXISTS credits CASCADE")
        conn.execute("CREATE EXTENSION credits")
        Run(conn).run()


if __name__ == "__main__":
    main()
