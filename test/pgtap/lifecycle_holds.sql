-- pgTAP: hold() pins lots in burn order; capture(), release(), expiry, held().
BEGIN;
SELECT plan(55);
SET LOCAL credits.test_clock = '2026-01-01 00:00:00+00';

SELECT has_function('credits', f, 'function credits.' || f) FROM unnest(ARRAY['hold', 'capture', 'release', 'held']) f;
SELECT has_table('credits', t, 'table credits.' || t) FROM unnest(ARRAY['holds', 'hold_lots']) t;
SELECT ok(has_function_privilege('credits_writer', 'credits.capture(bigint, credit, text, boolean)', 'EXECUTE'), 'writers may capture');
SELECT ok(has_function_privilege('credits_reader', 'credits.held(text, timestamptz)', 'EXECUTE'), 'readers may read held()');

CREATE TEMP TABLE ids (name text PRIMARY KEY, id bigint);
SELECT credits.open_account('h1', overdraft_limit => 100);
INSERT INTO ids VALUES ('a', credits.grant_credits('h1', 10, 'purchased', '2026-02-01+00')),
                       ('b', credits.grant_credits('h1', 20, 'purchased'));

-- a hold pins lots in burn order and leaves the balance
INSERT INTO ids VALUES ('h', credits.hold('h1', 15, idempotency_key => 'job-1', reference => 'render job'));
SELECT results_eq(format('SELECT "grant", amount::text FROM credits.hold_lots WHERE hold = %s ORDER BY position', (SELECT id FROM ids WHERE name = 'h')),
                  format('VALUES (%s::bigint, %L), (%s, %L)', (SELECT id FROM ids WHERE name = 'a'), '10', (SELECT id FROM ids WHERE name = 'b'), '5'),
                  'the hold pinned the lots in burn order');
SELECT is(credits.held('h1')::text, '15', 'held() counts it');
SELECT is(credits.balance('h1')::text, '15', 'balance() counts only credits neither held nor expired');
SELECT results_eq($$SELECT remaining::text FROM credits.grants_of('h1')$$, ARRAY['15'], 'grants_of() shows each lot''s unheld remaining');
SELECT is((SELECT expires_at FROM credits.holds WHERE id = (SELECT id FROM ids WHERE name = 'h')), '2026-01-01 00:15:00+00'::timestamptz, 'a hold lasts 15 minutes by default');
SELECT is(credits.hold('h1', 15, idempotency_key => 'job-1', reference => 'render job'), (SELECT id FROM ids WHERE name = 'h'), 'a retried hold returns the first hold');
SELECT throws_ok($$SELECT credits.hold('h1', 16, idempotency_key => 'job-1')$$, 'CR004', NULL, 'the key with another amount is CR004');
SELECT throws_ok($$SELECT credits.hold('h1', 15.000000001)$$, 'CR001', NULL, 'holds never use overdraft: CR001');
SELECT ok(credits.debit('h1', 16) > 0, 'a debit can still use overdraft, but not the held credits');
SELECT is((SELECT debt::text FROM credits.accounts WHERE key = 'h1'), '1', 'it burned the 15 unheld credits and took 1 as debt');

-- capture part: burned from the pinned lots in order, the rest goes back
INSERT INTO ids VALUES ('c', credits.capture((SELECT id FROM ids WHERE name = 'h'), 12, 'cap-1'));
SELECT results_eq(format('SELECT "grant", type, delta::text FROM credits.entries WHERE operation = %s ORDER BY seq', (SELECT id FROM ids WHERE name = 'c')),
                  format('VALUES (%1$s::bigint, %3$L, %4$L), (%1$s, %5$L, %6$L), (%2$s, %3$L, %7$L), (%2$s, %5$L, %8$L), (%2$s, %9$L, %11$L), (NULL, %9$L, %10$L)',
                         (SELECT id FROM ids WHERE name = 'a'), (SELECT id FROM ids WHERE name = 'b'),
                         'release', '10', 'burn', '-10', '5', '-2', 'repay', '1', '-1'),
                  'the capture releases each lot and burns what it settles (the burn records), and what comes back repays debt');
SELECT is((SELECT status || ' ' || captured::text FROM credits.holds WHERE id = (SELECT id FROM ids WHERE name = 'h')), 'captured 12', 'the hold is captured');
SELECT is((SELECT type || ' ' || amount::text FROM credits.operations WHERE id = (SELECT id FROM ids WHERE name = 'c')), 'capture 12', 'one capture operation');
SELECT is(credits.held('h1')::text, '0', 'nothing is held any more');
SELECT is(credits.balance('h1')::text, '2', '3 came back, 1 of it repaid the debt');
SELECT is(credits.capture((SELECT id FROM ids WHERE name = 'h'), 12, 'cap-1'), (SELECT id FROM ids WHERE name = 'c'), 'a retried capture returns the first one');
SELECT throws_ok(format('SELECT credits.capture(%s)', (SELECT id FROM ids WHERE name = 'h')), 'CR008', 'hold ' || (SELECT id FROM ids WHERE name = 'h') || ' is captured', 'capturing twice is CR008');
SELECT throws_ok(format('SELECT credits.release(%s)', (SELECT id FROM ids WHERE name = 'h')), 'CR008', NULL, 'releasing a captured hold is CR008');

-- a capture is reversed to the lots it burned
INSERT INTO ids VALUES ('r', credits.reverse((SELECT id FROM ids WHERE name = 'c'), 4));
SELECT results_eq(format('SELECT "grant", delta::text FROM credits.entries WHERE operation = %s AND type = %L ORDER BY seq', (SELECT id FROM ids WHERE name = 'r'), 'refund'),
                  format('VALUES (%s::bigint, %L), (%s, %L)', (SELECT id FROM ids WHERE name = 'b'), '2', (SELECT id FROM ids WHERE name = 'a'), '2'),
                  'reverse() refunds a capture to its lots, last-burned first');

-- more than held
SELECT credits.open_account('h2', overdraft_limit => 5);
SELECT credits.grant_credits('h2', 10);
INSERT INTO ids VALUES ('h2', credits.hold('h2', 6, '2026-01-02+00'));
SELECT throws_ok(format('SELECT credits.capture(%s, 7)', (SELECT id FROM ids WHERE name = 'h2')), '22023', NULL, 'capturing more than held is 22023');
SELECT throws_ok(format('SELECT credits.capture(%s, 20, allow_excess => true)', (SELECT id FROM ids WHERE name = 'h2')), 'CR001', NULL, 'an excess beyond what is available is CR001');
SELECT is((SELECT status FROM credits.holds WHERE id = (SELECT id FROM ids WHERE name = 'h2')), 'active', 'and changes nothing');
SELECT ok(credits.capture((SELECT id FROM ids WHERE name = 'h2'), 12, allow_excess => true) > 0, 'allow_excess debits the excess normally');
SELECT is(credits.balance('h2')::text, '-2', 'burning the other 4 and 2 of overdraft');

-- errors
SELECT throws_ok($$SELECT credits.hold('nobody', 1)$$, 'CR002', NULL, 'unknown account: CR002');
SELECT throws_ok($$SELECT credits.hold('h2', 0)$$, '22023', NULL, 'zero amount: 22023');
SELECT throws_ok($$SELECT credits.hold('h2', NULL)$$, '22004', NULL, 'NULL amount: 22004');
SELECT throws_ok($$SELECT credits.hold('h1', 1, '2025-12-31+00')$$, '22023', NULL, 'expires_at before the clock: 22023');
SELECT throws_ok($$SELECT credits.capture(999999999)$$, '22023', 'hold 999999999 does not exist', 'an unknown hold');
SELECT throws_ok($$SELECT credits.capture(NULL)$$, '22004', NULL, 'NULL hold');

-- a lot that expires while pinned: the capture still takes it
SELECT credits.open_account('h3');
INSERT INTO ids VALUES ('e', credits.grant_credits('h3', 5, 'bonus', '2026-01-10+00')), ('f', credits.grant_credits('h3', 5));
INSERT INTO ids VALUES ('h3', credits.hold('h3', 4, '2026-01-31+00')), ('h4', credits.hold('h3', 1, '2026-01-31+00'));
SELECT throws_ok(format('SELECT credits.void_grant(%s)', (SELECT id FROM ids WHERE name = 'e')), 'CR009', NULL, 'voiding a lot with held credits is CR009');
SET LOCAL credits.test_clock = '2026-01-15 00:00:00+00';
SELECT ok(credits.capture((SELECT id FROM ids WHERE name = 'h3')) > 0, 'capturing a hold whose lot expired meanwhile works');
SELECT ok(credits.release((SELECT id FROM ids WHERE name = 'h4')) > 0, 'release');
SELECT results_eq(format('SELECT type, delta::text FROM credits.entries WHERE operation = (SELECT max(id) FROM credits.operations WHERE type = %L)', 'release'),
                  $$VALUES ('release', '1'), ('expire', '-1')$$, 'released credits of an expired lot expire at once');
SELECT is(credits.balance('h3')::text, '5', 'only the live lot counts');

-- an expired hold holds nothing, whether or not anything touched the account
SELECT credits.open_account('h5');
SELECT credits.grant_credits('h5', 10);
INSERT INTO ids VALUES ('h5', credits.hold('h5', 7, '2026-01-15 01:00+00'));
SELECT is(credits.balance('h5')::text, '3', 'held credits are out of the balance');
SET LOCAL credits.test_clock = '2026-01-15 02:00:00+00';
SELECT is(credits.held('h5')::text, '0', 'after its expiry the hold holds nothing');
SELECT is(credits.balance('h5')::text, '10', 'and balance() counts its credits again, before any operation');
SELECT results_eq($$SELECT remaining::text FROM credits.grants_of('h5')$$, ARRAY['10'], 'so does grants_of()');
SELECT is(credits.held('h5', '2026-01-15 00:30+00')::text, '7', 'held() answers for a past instant');
SELECT throws_ok(format('SELECT credits.capture(%s)', (SELECT id FROM ids WHERE name = 'h5')), 'CR008', 'hold ' || (SELECT id FROM ids WHERE name = 'h5') || ' has expired', 'an expired hold cannot be captured: CR008');
INSERT INTO ids VALUES ('d', credits.debit('h5', 1));
SELECT results_eq(format('SELECT type, delta::text, effective_at FROM credits.entries WHERE operation = %s ORDER BY seq', (SELECT id FROM ids WHERE name = 'd')),
                  $$VALUES ('release', '7', '2026-01-15 01:00+00'::timestamptz), ('burn', '-1', '2026-01-15 02:00+00')$$,
                  'the next operation releases it, effective at its expiry');
SELECT is((SELECT status || ' ' || settled_by FROM credits.holds WHERE id = (SELECT id FROM ids WHERE name = 'h5')), 'expired ' || (SELECT id FROM ids WHERE name = 'd'), 'and marks it expired');
SELECT is(credits.balance('h5', '2026-01-15 00:30+00')::text, '3', 'the past balance still shows the hold');
SELECT is(credits.balance('h5')::text, '9', 'and the present the debit');

SELECT is_empty($$SELECT * FROM credits.verify_chain() WHERE NOT ok$$, 'every chain verifies');
SELECT is_empty($$SELECT * FROM credits.check_invariants()$$, 'check_invariants() is empty');
SELECT * FROM finish();
ROLLBACK;
