#!/usr/bin/env python3
"""Re-verifies the credits journal from a CSV export, without the extension.

Export with examples/journal_export.sql (any time zone):

    psql -X -q -f examples/journal_export.sql > journal.csv

then: python3 verify_chain.py journal.csv

For each account, entries must run seq 1, 2, 3, ...; each prev_hash must be
the previous entry's hash (32 zero bytes for the first); each hash must be
SHA-256(prev_hash || encoding) with the encoding of docs/journal.md (version
2 covers the entry's operation and grant; version 1, entries written before
release 1.1, the entry alone). Standard library only. Exit status 0 when
every chain verifies, 1 otherwise.
"""
import csv
import datetime
import hashlib
import json
import re
import sys

TIMESTAMP = re.compile(
    r"^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?"
    r"(?:(Z)|([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?)?$")


def utc_text(value):
    """A PostgreSQL timestamptz as text, in the encoding's UTC form."""
    m = TIMESTAMP.match(value.strip())
    if not m:
        raise ValueError(f"unreadable timestamp {value!r}")
    y, mo, d, h, mi, s, frac, zulu, sign, oh, om, osec = m.groups()
    t = datetime.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s),
                          int((frac or "0").ljust(6, "0")))
    if sign:
        offset = datetime.timedelta(hours=int(oh), minutes=int(om or 0), seconds=int(osec or 0))
        t = t - offset if sign == "+" else t + offset
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def hash_bytes(value):
    """bytea as PostgreSQL prints it (\\x...) or as plain hex."""
    value = value.strip()
    if value.startswith("\\x"):
        value = value[2:]
    return bytes.fromhex(value)


def nullable(value):
    """A to_json() column: empty for NULL, else a JSON string."""
    return None if value == "" else json.loads(value)


def text_field(value):
    """A text field of encoding v2: "~" for NULL, else "<bytes>:<text>"."""
    if value is None:
        return "~"
    return f"{len(value.encode('utf-8'))}:{value}"


def timestamp_field(value):
    """A timestamp of encoding v2: UTC text, or +-infinity."""
    if value.strip() in ("infinity", "-infinity"):
        return value.strip()
    return utc_text(value)


def encoding(row):
    """The canonical encoding of one entry (docs/journal.md)."""
    fields = [row["id"], row["operation"], row["account"], row["grant"] or "",
              row["type"], row["delta"], row["grant_remaining_after"],
              row["account_balance_after"], row["seq"], utc_text(row["effective_at"]),
              utc_text(row["recorded_at"])]
    if row.get("encoding", "1") == "1":
        return "|".join(["credits-entry-v1"] + fields).encode("utf-8")
    fields = ["credits-entry-v2"] + fields + [
        "op", text_field(row["op_type"]), row["op_amount"] or "~",
        text_field(nullable(row["op_idempotency_key"])),
        text_field(nullable(row["op_reference"]))]
    if row["grant"]:
        expires = row["grant_expires_at"]
        fields += ["grant", text_field(nullable(row["grant_kind"])), row["grant_amount"],
                   row["grant_priority"], timestamp_field(row["grant_effective_at"]),
                   timestamp_field(expires) if expires else "~",
                   text_field(nullable(row["grant_cost_basis"]))]
    return "|".join(fields).encode("utf-8")


def main(path):
    chains = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            chains.setdefault(row["account"], []).append(row)
    all_ok = True
    for account, rows in sorted(chains.items(), key=lambda item: int(item[0])):
        rows.sort(key=lambda r: int(r["seq"]))
        previous = bytes(32)
        bad = None
        for expected_seq, row in enumerate(rows, start=1):
            prev = hash_bytes(row["prev_hash"])
            digest = hashlib.sha256(prev + encoding(row)).digest()
            if int(row["seq"]) != expected_seq or prev != previous or digest != hash_bytes(row["hash"]):
                bad = row["seq"]
                break
            previous = digest
        all_ok = all_ok and bad is None
        status = "ok" if bad is None else f"BROKEN at seq {bad}"
        print(f"account {account}: {len(rows)} entries, {status}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} journal.csv")
    sys.exit(main(sys.argv[1]))
