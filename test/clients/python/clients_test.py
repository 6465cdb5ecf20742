"""The client scenario for psycopg 3 and psycopg2, printing TAP lines.

    python3 clients_test.py psycopg3|psycopg2
Connects with libpq's environment (PGHOST, PGPORT, PGDATABASE, PGUSER,
PGPASSWORD); uses the loaders of examples/python/.
"""
import concurrent.futures
import os
import sys
import threading
import uuid
from decimal import Decimal

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "examples", "python"))

driver = sys.argv[1]
if driver == "psycopg3":
    import psycopg as db
    from psycopg3_credits import register_credit

    def sqlstate(e):
        return e.sqlstate
else:
    import psycopg2 as db
    from psycopg2_credits import register_credit

    def sqlstate(e):
        return e.pgcode

count = 0


def check(description, ok, diagnostic=""):
    global count
    count += 1
    print(f"{'ok' if ok else 'not ok'} {count} - {driver}: {description}")
    if not ok and diagnostic:
        print(f"#   {diagnostic}")


def connect():
    conn = db.connect("")
    conn.autocommit = True
    register_credit(conn)
    return conn


def one(conn, sql, params=()):
    cur = conn.cursor()
    cur.execute(sql, params)
    row = cur.fetchone()
    cur.close()
    return row[0]


def error_of(conn, sql, params=()):
    try:
        one(conn, sql, params)
    except db.Error as e:
        return e
    return None


conn = connect()
account = f"{driver}-{uuid.uuid4().hex[:8]}"
one(conn, "SELECT credits.open_account(%s)", (account,))

# amounts bound as Decimal, int, float and str
for value in (Decimal("12.5"), 7, 2.5, "0.25"):
    e = error_of(conn, "SELECT credits.grant_credits(%s, %s)", (account, value))
    check(f"grant_credits with {type(value).__name__} {value!r}", e is None, e)
for value in (Decimal("1.25"), 1, 0.5, "0.5"):
    e = error_of(conn, "SELECT credits.debit(%s, %s)", (account, value))
    check(f"debit with {type(value).__name__} {value!r}", e is None, e)

balance = one(conn, "SELECT credits.balance(%s)", (account,))
check("balance() reads back as an exact Decimal", isinstance(balance, Decimal) and balance == Decimal("19"),
      repr(balance))
cur = conn.cursor()
cur.execute("SELECT remaining FROM credits.grants_of(%s)", (account,))
remaining = [r[0] for r in cur.fetchall()]
check("grants_of() remaining per lot, in burn order, as Decimal",
      remaining == [Decimal("9.25"), Decimal("7"), Decimal("2.5"), Decimal("0.25")]
      and all(isinstance(r, Decimal) for r in remaining), repr(remaining))
parts = one(conn, "SELECT credits.allocate(%s, '{1,1,1}')", (Decimal("100"),))
check("credit[] reads back as a list of Decimal", parts == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")],
      repr(parts))

largest = Decimal("170141183460469231731687303715.884105727")
back = one(conn, "SELECT %s::credit", (largest,))
check("the largest credit round-trips exactly", back == largest, repr(back))
check("and arithmetic on it is exact with 39 digits of precision",
      back - Decimal("0.000000001") == Decimal("170141183460469231731687303715.884105726"))

e = error_of(conn, "SELECT credits.debit(%s, %s)", (account, 0.1 + 0.2))
# psycopg 3 binds float8 (hint: pass a decimal); psycopg2 inlines a numeric literal
check("a float with more than 9 fractional digits is 22P02 with a hint",
      e is not None and sqlstate(e) == "22P02" and "fractional digits" in e.diag.message_primary + (e.diag.message_detail or "")
      and (e.diag.message_hint or "") != "", e)
e = error_of(conn, "SELECT credits.debit(%s, %s)", (account, Decimal("0.0000000001")))
check("a Decimal with 10 fractional digits is 22P02", e is not None and sqlstate(e) == "22P02", e)
e = error_of(conn, "SELECT credits.debit(%s, %s)", (account, None))
check("a NULL amount is 22004", e is not None and sqlstate(e) == "22004", e)

key = f"retry-{uuid.uuid4().hex}"
first = one(conn, "SELECT credits.debit(%s, %s, %s)", (account, Decimal("1"), key))
again = one(conn, "SELECT credits.debit(%s, %s, %s)", (account, Decimal("1"), key))
check("an idempotent retry returns the first operation", first == again, f"{first} {again}")
e = error_of(conn, "SELECT credits.debit(%s, %s, %s)", (account, Decimal("2"), key))
check("the same key with another amount is CR004", e is not None and sqlstate(e) == "CR004", e)
check("the retry debited once", one(conn, "SELECT credits.balance(%s)", (account,)) == Decimal("18"))

e = error_of(conn, "SELECT credits.debit(%s, %s)", (account, Decimal("1000")))
check("CR001 arrives with its SQLSTATE, message and DETAIL",
      e is not None and sqlstate(e) == "CR001" and "insufficient credits" in e.diag.message_primary
      and "available 18" in (e.diag.message_detail or ""), e)

# 8 concurrent debits of 2 against 10 credits, from a pool of connections
shared = f"{driver}-pool-{uuid.uuid4().hex[:8]}"
one(conn, "SELECT credits.open_account(%s)", (shared,))
one(conn, "SELECT credits.grant_credits(%s, %s)", (shared, Decimal("10")))
pool = [connect() for _ in range(8)]
start = threading.Barrier(8)


def spend(c):
    start.wait()
    e = error_of(c, "SELECT credits.debit(%s, %s)", (shared, Decimal("2")))
    return "ok" if e is None else sqlstate(e)


with concurrent.futures.ThreadPoolExecutor(8) as ex:
    outcomes = sorted(ex.map(spend, pool))
check("8 concurrent debits: 5 succeed, 3 are CR001", outcomes == ["CR001"] * 3 + ["ok"] * 5, outcomes)
check("and the balance is exactly 0", one(conn, "SELECT credits.balance(%s)", (shared,)) == Decimal("0"))
for c in pool:
    c.close()
conn.close()
