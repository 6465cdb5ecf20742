-- pgTAP: debit_many(): each request on its own, or all or nothing.
BEGIN;
SELECT plan(30);
SET LOCAL credits.test_clock = '2026-01-01 00:00:00+00';

SELECT has_function('credits', 'debit_many', 'function credits.debit_many');
SELECT has_type('credits', 'debit_request', 'type credits.debit_request');
SELECT ok(has_function_privilege('credits_writer', 'credits.debit_many(credits.debit_request[], text)', 'EXECUTE'), 'writers may call it');

SELECT credits.open_account('m1');
SELECT credits.open_account('m2', overdraft_limit => 5);
SELECT credits.open_account('m3', parent => 'm1');
SELECT credits.open_account('frozen');
SELECT credits.set_account_status('frozen', 'frozen');
SELECT credits.grant_credits('m1', 10, 'bonus', '2026-02-01+00'), credits.grant_credits('m1', 10), credits.grant_credits('m2', 3);
SELECT credits.debit('m1', 1, 'past-1');

CREATE TEMP TABLE r AS SELECT * FROM credits.debit_many(ARRAY[
    ('m1', 2, 'k1', 'meter', '{"event": 1}'),
    ('m2', 4, NULL, NULL, NULL),
    ('m1', 2, 'k1', 'meter', '{"event": 1}'),
    ('m1', 3, 'k1', NULL, NULL),
    ('nobody', 1, NULL, NULL, NULL),
    ('m2', 10, NULL, NULL, NULL),
    NULL,
    ('m1', 0, NULL, NULL, NULL),
    ('m3', 5, NULL, NULL, NULL),
    ('frozen', 1, NULL, NULL, NULL),
    ('m1', 1, 'past-1', NULL, NULL),
    ('m1', 2, 'past-1', NULL, NULL),
    (NULL, 1, NULL, NULL, NULL)
]::credits.debit_request[]);
SELECT is((SELECT count(*)::int FROM r), 13, 'one row per request');
SELECT results_eq($$SELECT ord, sqlstate FROM r WHERE sqlstate IS NOT NULL ORDER BY ord$$,
                  $$VALUES (4, 'CR004'), (5, 'CR002'), (6, 'CR001'), (7, '22004'), (8, '22023'), (10, 'CR003'), (12, 'CR004'), (13, '22004')$$,
                  'each failure has its SQLSTATE');
SELECT is((SELECT message FROM r WHERE ord = 6), 'insufficient credits on account "m2"', 'and its message');
SELECT ok((SELECT bool_and(operation_id IS NULL AND balance_after IS NULL) FROM r WHERE sqlstate IS NOT NULL), 'failures have no operation');
SELECT ok((SELECT bool_and(operation_id IS NOT NULL AND message IS NULL) FROM r WHERE sqlstate IS NULL), 'successes have one');
SELECT is((SELECT operation_id FROM r WHERE ord = 3), (SELECT operation_id FROM r WHERE ord = 1), 'a repeated key in the batch returns the first operation');
SELECT is((SELECT operation_id FROM r WHERE ord = 11), (SELECT id FROM credits.operations WHERE idempotency_key = 'past-1'), 'a key used before returns that operation');
SELECT is((SELECT count(*)::int FROM credits.operations o JOIN credits.accounts a ON a.id = o.account WHERE o.type = 'debit' AND a.key IN ('m1', 'm2', 'm3')), 4, 'debits recorded: the past one, then m1, m2 and m3; nothing for repeats');
SELECT results_eq($$SELECT ord, balance_after::text FROM r WHERE sqlstate IS NULL ORDER BY ord$$,
                  $$VALUES (1, '17'), (2, '-1'), (3, '17'), (9, '0'), (11, '12')$$,
                  'balance_after is the account''s balance after the request');
SELECT is(credits.balance('m1')::text, '12', 'm1: 19 - 2 - 5 drawn by its child');
SELECT is(credits.balance('m2')::text, '-1', 'm2 went 1 into overdraft');
SELECT results_eq($$SELECT o.type, e.type, e.delta::text FROM credits.entries e JOIN credits.operations o ON o.id = e.operation
                    WHERE o.id = (SELECT operation_id FROM r WHERE ord = 1) ORDER BY e.seq$$,
                  $$VALUES ('debit', 'burn', '-2')$$, 'a request''s journal is a debit''s');
SELECT is((SELECT metadata->>'event' FROM credits.operations WHERE id = (SELECT operation_id FROM r WHERE ord = 1)), '1', 'with its reference and metadata');
SELECT is((SELECT count(*)::int FROM credits.operations WHERE type = 'pool_debit' AND on_behalf_of = (SELECT operation_id FROM r WHERE ord = 9)), 1, 'a pooled request records its draw on the parent');

-- all or nothing
SELECT throws_ok($$SELECT * FROM credits.debit_many(ARRAY[('m1', 1, NULL, NULL, NULL), ('m2', 100, NULL, NULL, NULL)]::credits.debit_request[], 'all')$$,
                 'CR001', 'insufficient credits on account "m2"', 'mode all raises the first failure');
SELECT is(credits.balance('m1')::text, '12', 'and writes nothing');
SELECT results_eq($$SELECT sqlstate FROM credits.debit_many(ARRAY[('m1', 1, NULL, NULL, NULL), ('m1', 1, NULL, NULL, NULL)]::credits.debit_request[], 'all')$$,
                  ARRAY[NULL::text, NULL], 'mode all with every request good');
SELECT throws_ok($$SELECT * FROM credits.debit_many(ARRAY[('m1', 1, NULL, NULL, NULL)]::credits.debit_request[], 'some')$$, '22023', NULL, 'an unknown mode: 22023');
SELECT throws_ok($$SELECT * FROM credits.debit_many(NULL)$$, '22004', NULL, 'NULL requests: 22004');
SELECT is_empty($$SELECT * FROM credits.debit_many('{}')$$, 'an empty batch returns nothing');
SELECT results_eq($$SELECT balance_after::text FROM credits.debit_many(ARRAY[('m1', 1, NULL, NULL, NULL)]::credits.debit_request[])$$, ARRAY['9'], 'the balance after');

-- keys are per account and per operation type
SELECT credits.grant_credits('m2', 1, idempotency_key => 'topup-1');
SELECT results_eq($$SELECT ord, sqlstate FROM credits.debit_many(ARRAY[('m2', 1, 'past-1', NULL, NULL), ('m2', 1, 'topup-1', NULL, NULL)]::credits.debit_request[]) ORDER BY ord$$,
                  $$VALUES (1, NULL::text), (2, 'CR004')$$,
                  'another account''s key is new here; a grant''s key is CR004 for a debit');
-- the batch hashes its entries itself only after re-reading each account's
-- last entry: an account whose recorded last hash was altered is refused
SELECT throws_ok($$UPDATE credits.accounts SET last_hash = sha256('forged') WHERE key = 'm2';
                   SELECT * FROM credits.debit_many(ARRAY[('m1', 1, NULL, NULL, NULL), ('m2', 1, NULL, NULL, NULL)]::credits.debit_request[])$$,
                 'CR012', NULL, 'a forged last hash: CR012, in mode each too');
SELECT throws_ok($$UPDATE credits.accounts SET last_seq = last_seq - 1 WHERE key = 'm1';
                   SELECT * FROM credits.debit_many(ARRAY[('m1', 1, NULL, NULL, NULL)]::credits.debit_request[])$$,
                 'CR012', NULL, 'a rewound last seq: CR012');
SELECT is(credits.balance('m1')::text, '9', 'and nothing was written');

SELECT is_empty($$SELECT * FROM credits.verify_chain() WHERE NOT ok$$, 'every chain verifies');
SELECT is_empty($$SELECT * FROM credits.check_invariants()$$, 'check_invariants() is empty');
SELECT * FROM finish();
ROLLBACK;
