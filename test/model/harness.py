"""What the randomized model tests share: one database connection driven
step by step with the ledger's test clock, API calls in savepoints, and
comparisons that stop at the first difference with the last calls."""
import random
import sys
from decimal import Decimal

import psycopg


class ModelRun:
    def __init__(self, conn, model, seed):
        self.db = conn
        self.m = model  # has .t, the ledger time
        self.rng = random.Random(seed)
        self.trace = []
        self.step = 0
        self.set_clock()

    def q(self, sql, *args):
        return self.db.execute(sql, args).fetchall()

    def set_clock(self):
        self.db.execute("SELECT set_config('credits.test_clock', %s, false)", (self.m.t.isoformat(),))

    def call(self, sql, *args):
        """Runs one API call in a savepoint; (rows, None) or (None, sqlstate)."""
        self.trace.append(f"step {self.step} at {self.m.t:%Y-%m-%d %H:%M}: {sql % args}")
        try:
            with self.db.transaction():
                return self.q(sql, *args), None
        except psycopg.Error as e:
            return None, e.sqlstate

    def expect(self, what, got, want):
        if got != want:
            if isinstance(got, list) and isinstance(want, list):  # where they part
                same = next((i for i, (g, w) in enumerate(zip(got, want)) if g != w),
                            min(len(got), len(want)))
                got, want = got[same:], want[same:]
                what += f" from #{same + 1}"
            print(f"not ok - step {self.step} {what}: database {got!r}, model {want!r}")
            for line in self.trace[-8:]:
                print(f"# {line}")
            sys.exit(1)

    def amount(self, hi):
        """A random amount in quarters, up to hi."""
        return Decimal(self.rng.randint(1, hi * 4)) / 4
