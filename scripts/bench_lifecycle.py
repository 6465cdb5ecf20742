#!/usr/bin/env python3
"""make bench, lifecycle part: batch ingestion with debit_many() (in one
session, and in two at once on disjoint accounts) next to COPY of the same
rows into a plain table and next to writing the rows those debits leave
with plain SQL (no ledger; with the ledger's indexes, and with only the keys
any ledger needs), and hold + capture and transfer throughput
next to debit throughput, each measured in the same run on the same
cluster. Default durability; medians of several rounds."""
import os
import random
import statistics
import tempfile

import bench_common

ACCOUNTS = int(os.environ.get("CREDITS_BENCH_ACCOUNTS", "10000"))
BATCH = int(os.environ.get("CREDITS_BENCH_BATCH", "1000"))
BATCHES = int(os.environ.get("CREDITS_BENCH_BATCHES", "20"))
RUNS = int(os.environ.get("CREDITS_BENCH_LIFECYCLE_RUNS", "3"))
DB = "credits_bench_lifecycle"


def psql(sql, db=DB, timing=False):
    """SQL in this benchmark's database (bench_common.psql)."""
    return bench_common.psql(sql, db, timing)


def pgbench(script):
    """TPS of a pgbench run on this benchmark's database (bench_common.pgbench)."""
    return bench_common.pgbench(script, DB)


LEDGER_TABLES = ["accounts", "grants", "operations", "entries"]


def ledger_copy(schema, like):
    """SQL making, in a new schema, a copy of each ledger table (LIKE it,
    with `like`) holding its rows, and a sequence `ids` for new rows."""
    tables = "\n".join(f"CREATE TABLE {schema}.{t} (LIKE credits.{t} {like});"
                       for t in LEDGER_TABLES)
    return f"""CREATE SCHEMA {schema};
        {tables}
        DO $$
        DECLARE
            t text;
            columns text;  -- all but the generated ones, which are computed
        BEGIN
            FOREACH t IN ARRAY ARRAY{LEDGER_TABLES} LOOP
                SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO columns
                FROM pg_attribute WHERE attrelid = ('credits.' || t)::regclass AND attnum > 0
                  AND NOT attisdropped AND attgenerated = '';
                EXECUTE format('INSERT INTO {schema}.%I (%s) SELECT %s FROM credits.%I',
                               t, columns, columns, t);
            END LOOP;
        END $$;
        CREATE SEQUENCE {schema}.ids START 1000000000;"""


def prepare():
    psql(f"DROP DATABASE IF EXISTS {DB}", db="postgres")
    psql(f"CREATE DATABASE {DB}", db="postgres")
    psql(f"""
        CREATE EXTENSION credits;
        DO $$
        BEGIN
            FOR i IN 1..{ACCOUNTS} LOOP
                PERFORM credits.open_account('acct-' || i);
                PERFORM credits.grant_credits('acct-' || i, 1000000000, 'purchased');
            END LOOP;
        END $$;
        CREATE TABLE plain (account text, amount numeric, idempotency_key text,
                            reference text, metadata jsonb);
        -- the ledger's tables as they are, with their indexes, but without
        -- triggers, foreign keys or any ledger logic
        {ledger_copy("rows_only", "INCLUDING ALL")}
        -- the same rows with only the keys no ledger can do without: find an
        -- account by key and its grant, one operation per account and
        -- idempotency key, one entry per account and place in its chain
        {ledger_copy("keys_only", "INCLUDING DEFAULTS")}
        ALTER TABLE keys_only.accounts ADD PRIMARY KEY (id), ADD UNIQUE (key);
        ALTER TABLE keys_only.grants ADD PRIMARY KEY (id);
        CREATE INDEX ON keys_only.grants (account);
        ALTER TABLE keys_only.operations ADD PRIMARY KEY (id),
            ADD UNIQUE (account, idempotency_key);
        ALTER TABLE keys_only.entries ADD UNIQUE (account, seq);
        VACUUM ANALYZE;
    """)


def batches(rng, round_no, first=1, last=ACCOUNTS, count=BATCHES, tag=""):
    """count batches of BATCH rows on accounts first..last: (account, amount,
    key, reference, metadata)."""
    out = []
    for b in range(count):
        out.append([(f"acct-{rng.randint(first, last)}", "0.25", f"r{round_no}{tag}-b{b}-{i}",
                     "meter", '{"unit": "token"}') for i in range(BATCH)])
    return out


def debit_many_sql(rows):
    """One debit_many() call over rows, passed as one array literal that the
    server parses."""
    items = ",".join('"(%s,%s,%s,%s,\\"%s\\")"' % (r[0], r[1], r[2], r[3],
                                                   r[4].replace('"', '\\\\\\"')) for r in rows)
    return f"SELECT count(*) FROM credits.debit_many('{{{items}}}'::credits.debit_request[]);"


def ingest_partitioned(rng, round_no):
    """(debit_many debits/s, keys-only debits/s) with two sessions at once,
    each on its own half of the accounts (ingestion partitioned by
    customer), BATCHES batches in all."""
    half = ACCOUNTS // 2
    many, keys = [], []
    for p, (first, last) in enumerate([(1, half), (half + 1, ACCOUNTS)]):
        rows = batches(rng, round_no, first, last, BATCHES // 2, f"p{p}")
        many.append("\n".join(debit_many_sql(b) for b in rows) + "\n")
        keys.append("\n".join(rows_only(b, "keys_only") for b in rows) + "\n")
    n = (BATCHES // 2) * 2 * BATCH
    return n / bench_common.psql_at_once(many, DB), n / bench_common.psql_at_once(keys, DB)


def text_array(values):
    """An SQL text[] literal of values."""
    return "'{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
                           for v in values) + "}'::text[]"


def rows_only(rows, schema="rows_only"):
    """One transaction writing, with plain SQL in one statement, the rows the
    debits of a batch leave into the copies of the ledger's tables in
    `schema`: an operation and a burn entry each, and the new remaining of
    the grant and figures of the account they burn (each account here has
    one grant). The floor under any ledger that records them."""
    columns = [text_array([r[i] for r in rows]) for i in range(5)]
    return f"""BEGIN;
SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off;
WITH r AS MATERIALIZED (
  SELECT nextval('{schema}.ids') AS id, a.id AS account, g.id AS grant_id, g.remaining,
         a.balance, u.amount::credit AS amount, u.key, u.reference, u.metadata::jsonb AS metadata
  FROM unnest({", ".join(columns)}) AS u(account, amount, key, reference, metadata)
  JOIN {schema}.accounts a ON a.key = u.account JOIN {schema}.grants g ON g.account = a.id),
o AS (INSERT INTO {schema}.operations (id, account, type, amount, idempotency_key,
        request_hash, reference, metadata, effective_at, recorded_at, actor, actor_role)
  SELECT id, account, 'debit', amount, key, sha256(key::bytea), reference, metadata, now(), now(),
         current_user, current_user FROM r),
e AS (INSERT INTO {schema}.entries (id, operation, account, "grant", type, delta,
        grant_remaining_after, account_balance_after, seq, effective_at, prev_hash, recorded_at,
        hash)
  SELECT id, id, account, grant_id, 'burn', -amount, remaining, balance, id, now(),
         sha256(key::bytea), now(), sha256(id::text::bytea) FROM r),
s AS (SELECT account, grant_id, sum(amount) AS total, count(*) AS n FROM r
      GROUP BY account, grant_id),
g AS (UPDATE {schema}.grants g SET remaining = g.remaining - s.total FROM s
      WHERE g.id = s.grant_id)
UPDATE {schema}.accounts a SET balance = a.balance - s.total, last_seq = a.last_seq + s.n,
       last_hash = sha256(a.last_hash), last_effective_at = now()
  FROM s WHERE a.id = s.account;
COMMIT;"""


def ingest(rows_by_batch, tmp):
    """(debit_many debits/s, COPY rows/s, rows-only debits/s, keys-only
    debits/s) over the same rows, one commit per batch."""
    copy_sql, many_sql, floor_sql, keys_sql = [], [], [], []
    for b, rows in enumerate(rows_by_batch):
        path = os.path.join(tmp, f"batch{b}.csv")
        with open(path, "w") as f:
            for r in rows:
                f.write(",".join([r[0], r[1], r[2], r[3], '"' + r[4].replace('"', '""') + '"']) + "\n")
        copy_sql.append(f"\\copy plain FROM '{path}' WITH (FORMAT csv)")
        many_sql.append(debit_many_sql(rows))
        floor_sql.append(rows_only(rows))
        keys_sql.append(rows_only(rows, "keys_only"))
    copy_ms = sum(psql("\n".join(copy_sql) + "\n", timing=True))
    floor_ms = sum(psql("\n".join(floor_sql) + "\n", timing=True))
    keys_ms = sum(psql("\n".join(keys_sql) + "\n", timing=True))
    many_ms = sum(psql("\n".join(many_sql) + "\n", timing=True))
    n = len(rows_by_batch) * BATCH
    return (n / (many_ms / 1000), n / (copy_ms / 1000), n / (floor_ms / 1000),
            n / (keys_ms / 1000))


def main():
    print(f"preparing {ACCOUNTS} accounts ...", flush=True)
    prepare()
    rng = random.Random(1122)
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(RUNS):
            many, copy, floor, keys = ingest(batches(rng, r), tmp)
            two, keys_two = ingest_partitioned(rng, r)
            debit = pgbench(f"\\set a random(1, {ACCOUNTS})\n"
                            "SELECT credits.debit('acct-' || :a, 1);\n")
            pair = pgbench(f"\\set a random(1, {ACCOUNTS})\n"
                           "SELECT credits.capture(credits.hold('acct-' || :a, 2), 1);\n")
            move = pgbench(f"\\set a random(1, {ACCOUNTS})\n\\set b (:a % {ACCOUNTS}) + 1\n"
                           "SELECT credits.transfer('acct-' || :a, 'acct-' || :b, 1);\n")
            rounds.append((many, copy, floor, keys, two, keys_two, debit, pair, move))
            print(f"  round {r + 1}: debit_many {many:.0f}/s, COPY {copy:.0f} rows/s, "
                  f"rows only {floor:.0f}/s, keys only {keys:.0f}/s, two sessions {two:.0f}/s, "
                  f"keys only in two {keys_two:.0f}/s, "
                  f"debit {debit:.0f} tps, hold+capture {pair:.0f} tps, transfer {move:.0f} tps",
                  flush=True)
    many, copy, floor, keys, two, keys_two, debit, pair, move = [
        statistics.median(x) for x in zip(*rounds)]
    problems = psql("SELECT count(*) FROM credits.check_invariants()")
    print()
    print(f"debit_many, batches of {BATCH} over {ACCOUNTS} accounts: {many:8.0f} debits/s   "
          f"COPY of the same rows: {copy:8.0f} rows/s   ratio {many / copy:.3f}x (median of {RUNS})")
    print(f"the rows those debits leave, written by plain SQL without the ledger: {floor:8.0f} "
          f"debits/s   debit_many / that: {many / floor:.2f}x")
    print(f"the same rows with only the keys a ledger needs (no other index): {keys:8.0f} "
          f"debits/s   debit_many / that: {many / keys:.2f}x")
    print(f"debit_many in two sessions at once, each on half of the accounts: {two:8.0f} debits/s "
          f"  ratio to one session {two / many:.2f}x")
    print(f"keys only in two sessions at once: {keys_two:8.0f} debits/s   "
          f"debit_many in two / that: {two / keys_two:.2f}x")
    print(f"hold + capture pairs: {pair:8.0f} tps   debit: {debit:8.0f} tps   ratio {pair / debit:.2f}x")
    print(f"transfer:             {move:8.0f} tps   debit: {debit:8.0f} tps   ratio {move / debit:.2f}x")
    print(f"check_invariants() after the run: {problems} problems")
    psql(f"DROP DATABASE {DB}", db="postgres")


if __name__ == "__main__":
    main()
