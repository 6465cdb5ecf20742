"""Credits from Python with psycopg 3: amounts go in as Decimal (or int,
str, float) and come back as Decimal.

    python3 examples/python/psycopg3_credits.py "dbname=app"
"""
import decimal
import sys
from decimal import Decimal

import psycopg
from psycopg.adapt import Loader
from psycopg.types import TypeInfo

# A credit has up to 30 integer and 9 fractional digits: Decimal arithmetic
# on them needs 39 significant digits (the default context keeps 28).
decimal.getcontext().prec = 39


class CreditLoader(Loader):
    """Reads credit's text output (canonical, no exponent) as an exact Decimal."""

    def load(self, data):
        return Decimal(bytes(data).decode())


def register_credit(conn):
    """Makes `conn` return credit columns, and credit[] arrays, as Decimal.
    credit's OID differs per database, so it is looked up."""
    info = TypeInfo.fetch(conn, "credit")
    info.register(conn)  # credit[] is then loaded element by element
    conn.adapters.register_loader(info.oid, CreditLoader)


def main(dsn):
    with psycopg.connect(dsn, autocommit=True) as conn:
        register_credit(conn)
        conn.execute("SELECT credits.open_account(%s)", ("py3-example",))
        conn.execute("SELECT credits.grant_credits(%s, %s)", ("py3-example", Decimal("100.50")))
        try:
            conn.execute("SELECT credits.debit(%s, %s, %s)", ("py3-example", Decimal("12.25"), "order-1"))
        except psycopg.Error as e:
            if e.sqlstate == "CR001":  # insufficient credits
                print("declined:", e.diag.message_primary, e.diag.message_detail)
            raise
        balance = conn.execute("SELECT credits.balance(%s)", ("py3-example",)).fetchone()[0]
        print(type(balance).__name__, balance)  # Decimal 88.25


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
