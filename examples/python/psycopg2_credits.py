"""Credits from Python with psycopg2: amounts go in as Decimal (or int, str,
float) and come back as Decimal.

    python3 examples/python/psycopg2_credits.py "dbname=app"
"""
import decimal
import sys
from decimal import Decimal

import psycopg2
import psycopg2.extensions

# A credit has up to 30 integer and 9 fractional digits: Decimal arithmetic
# on them needs 39 significant digits (the default context keeps 28).
decimal.getcontext().prec = 39


def register_credit(conn):
    """Makes `conn` return credit columns, and credit[] arrays, as Decimal.
    credit's OID differs per database, so it is looked up."""
    with conn.cursor() as cur:
        cur.execute("SELECT 'credit'::regtype::oid, 'credit[]'::regtype::oid")
        oid, array_oid = cur.fetchone()
    credit = psycopg2.extensions.new_type(
        (oid,), "CREDIT", lambda value, cur: None if value is None else Decimal(value))
    credit_array = psycopg2.extensions.new_array_type((array_oid,), "CREDIT[]", credit)
    psycopg2.extensions.register_type(credit, conn)
    psycopg2.extensions.register_type(credit_array, conn)


def main(dsn):
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    register_credit(conn)
    with conn.cursor() as cur:
        cur.execute("SELECT credits.open_account(%s)", ("py2-example",))
        cur.execute("SELECT credits.grant_credits(%s, %s)", ("py2-example", Decimal("100.50")))
        try:
            cur.execute("SELECT credits.debit(%s, %s, %s)", ("py2-example", Decimal("12.25"), "order-1"))
        except psycopg2.Error as e:
            if e.pgcode == "CR001":  # insufficient credits
                print("declined:", e.diag.message_primary, e.diag.message_detail)
            raise
        cur.execute("SELECT credits.balance(%s)", ("py2-example",))
        balance = cur.fetchone()[0]
        print(type(balance).__name__, balance)  # Decimal 88.25
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
