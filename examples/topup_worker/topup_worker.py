#!/usr/bin/env python3
"""A top-up worker for credits' alerts outbox (docs/signals.md).

It LISTENs on credits_alerts, and on each wake-up (or every --poll seconds,
in case a notification was missed while it was down) claims undelivered
alerts and answers every top-up request: it charges the customer and
fulfils the top-up, or fails it when the charge is declined. Claiming,
charging and answering happen in one transaction, so a crash before the
commit leaves the alert undelivered for the next run: each request is
answered once.

    PGDATABASE=app python3 topup_worker.py [--once] [--poll SECONDS]

--once handles what is waiting and exits (for tests and cron).
Uses psycopg 3 (Debian: python3-psycopg).
"""
import argparse
import select
import sys
from decimal import Decimal

import psycopg

PRICE_PER_CREDIT = Decimal("0.01")


def charge(account_key, credits):
    """STUB PAYMENT CALL: stands in for the payment provider.

    A real worker calls its provider here (with the alert id as the
    provider's idempotency key) and returns whether the charge succeeded.
    This stub declines accounts whose key ends in "-declined" and accepts
    everything else.
    """
    return not account_key.endswith("-declined")


def handle_waiting(conn, log):
    """Claims and answers alerts until none is left; returns how many."""
    handled = 0
    while True:
        with conn.transaction():
            rows = conn.execute(
                "SELECT al.id, al.kind, a.key, al.details->>'amount' "
                "FROM credits.claim_alerts(100) al "
                "JOIN credits.accounts a ON a.id = al.account ORDER BY al.id").fetchall()
            for alert_id, kind, key, amount in rows:
                if kind != "topup_requested":
                    log(f"alert {alert_id}: {kind} on {key}")
                    continue
                if charge(key, Decimal(amount)):
                    grant = conn.execute("SELECT credits.fulfil_topup(%s, %s)",
                                         (alert_id, PRICE_PER_CREDIT)).fetchone()[0]
                    log(f"alert {alert_id}: topped up {key} by {amount} (grant {grant})")
                else:
                    conn.execute("SELECT credits.fail_topup(%s, %s)", (alert_id, "card declined"))
                    log(f"alert {alert_id}: charge for {key} declined")
        handled += len(rows)
        if not rows:
            return handled


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--once", action="store_true", help="handle what is waiting, then exit")
    parser.add_argument("--poll", type=float, default=30.0, help="seconds between polls")
    args = parser.parse_args()

    def log(line):
        print(line, flush=True)

    with psycopg.connect(autocommit=True) as conn:
        conn.add_notify_handler(lambda notify: None)  # the wake-up is all it carries
        conn.execute("LISTEN credits_alerts")
        handle_waiting(conn, log)
        if args.once:
            return 0
        while True:
            # wake on a notification (sent at the commit of an operation
            # that wrote alerts) or after --poll seconds
            select.select([conn.fileno()], [], [], args.poll)
            handle_waiting(conn, log)  # its queries read the notification too


if __name__ == "__main__":
    sys.exit(main())
