-- pgTAP: reverse() refunds to the lots that paid, debt first; void_grant().
BEGIN;
SELECT plan(48);
SET LOCAL credits.test_clock = '2026-01-01 00:00:00+00';

SELECT has_function('credits', f, 'function credits.' || f) FROM unnest(ARRAY['reverse', 'void_grant']) f;
SELECT has_table('credits', 'reversals', 'table credits.reversals');
SELECT ok(NOT has_function_privilege('public', 'credits.reverse(bigint, credit, text, text, timestamptz)', 'EXECUTE'), 'PUBLIC cannot EXECUTE reverse');
SELECT ok(has_function_privilege('credits_writer', 'credits.void_grant(bigint, text, text)', 'EXECUTE'), 'writers may void grants');

-- last-burned lot first, in parts
SELECT credits.open_account('r1');
CREATE TEMP TABLE ids (name text PRIMARY KEY, id bigint);
INSERT INTO ids VALUES ('a', credits.grant_credits('r1', 10, 'purchased', '2026-02-01+00', cost_basis => 1)),
                       ('b', credits.grant_credits('r1', 20, 'purchased'));
INSERT INTO ids VALUES ('d1', credits.debit('r1', 15));
SELECT is((SELECT string_agg(remaining::text, ',' ORDER BY id) FROM credits.grants WHERE account = (SELECT id FROM credits.accounts WHERE key = 'r1')), '0,15', 'the debit burned a, then b');
SELECT ok(credits.reverse((SELECT id FROM ids WHERE name = 'd1'), 3) > 0, 'a partial reversal');
SELECT is((SELECT string_agg(remaining::text, ',' ORDER BY id) FROM credits.grants WHERE account = (SELECT id FROM credits.accounts WHERE key = 'r1')), '0,18', 'the last-burned lot gets credits back first');
SELECT ok(credits.reverse((SELECT id FROM ids WHERE name = 'd1'), 5, 'partly wrong') > 0, 'a second partial reversal');
SELECT is((SELECT string_agg(remaining::text, ',' ORDER BY id) FROM credits.grants WHERE account = (SELECT id FROM credits.accounts WHERE key = 'r1')), '3,20', 'then the lot burned before it');
SELECT is((SELECT metadata->>'reason' FROM credits.operations WHERE type = 'reverse' ORDER BY id DESC LIMIT 1), 'partly wrong', 'the reason is in the operation''s metadata');
SELECT throws_ok(format('SELECT credits.reverse(%s, 8)', (SELECT id FROM ids WHERE name = 'd1')), '22023', 'cannot reverse 8 of operation ' || (SELECT id FROM ids WHERE name = 'd1') || ': 7 of its 15 is left to reverse', 'never more than the original in total');
INSERT INTO ids VALUES ('rest', credits.reverse((SELECT id FROM ids WHERE name = 'd1')));
SELECT is((SELECT amount::text FROM credits.reversals WHERE operation = (SELECT id FROM ids WHERE name = 'rest')), '7', 'NULL amount reverses what is left');
SELECT is(credits.balance('r1')::text, '30', 'fully reversed: the balance is as before the debit');
SELECT is((SELECT count(*)::int FROM credits.entries WHERE type = 'refund' AND operation = (SELECT id FROM ids WHERE name = 'rest')), 1, 'one refund entry per lot');
SELECT throws_ok(format('SELECT credits.reverse(%s)', (SELECT id FROM ids WHERE name = 'd1')), '22023', 'operation ' || (SELECT id FROM ids WHERE name = 'd1') || ' is already fully reversed', 'nothing left to reverse');

-- idempotency
INSERT INTO ids VALUES ('d2', credits.debit('r1', 4));
INSERT INTO ids VALUES ('k', credits.reverse((SELECT id FROM ids WHERE name = 'd2'), 1, idempotency_key => 'refund-1'));
SELECT is(credits.reverse((SELECT id FROM ids WHERE name = 'd2'), 1, idempotency_key => 'refund-1'), (SELECT id FROM ids WHERE name = 'k'), 'a retry returns the first reversal');
SELECT is((SELECT count(*)::int FROM credits.reversals WHERE original = (SELECT id FROM ids WHERE name = 'd2')), 1, 'and reverses nothing more');
SELECT throws_ok(format('SELECT credits.reverse(%s, 2, idempotency_key => %L)', (SELECT id FROM ids WHERE name = 'd2'), 'refund-1'), 'CR004', NULL, 'the key with another amount is CR004');

-- errors
SELECT throws_ok(format('SELECT credits.reverse(%s)', (SELECT id FROM ids WHERE name = 'a')), '22023', NULL, 'a grant''s id is not an operation of this account''s debits');
SELECT throws_ok(format('SELECT credits.reverse(%s)', (SELECT operation FROM credits.grants WHERE id = (SELECT id FROM ids WHERE name = 'a'))), '22023',
                 'operation ' || (SELECT operation FROM credits.grants WHERE id = (SELECT id FROM ids WHERE name = 'a')) || ' is a grant, not a debit or capture; void its grants with credits.void_grant() instead',
                 'reversing a grant is 22023: void it instead');
SELECT throws_ok($$SELECT credits.reverse(999999999)$$, '22023', 'operation 999999999 does not exist', 'an unknown operation');
SELECT throws_ok($$SELECT credits.reverse(NULL)$$, '22004', NULL, 'NULL operation');
SELECT throws_ok(format('SELECT credits.reverse(%s, 0)', (SELECT id FROM ids WHERE name = 'd2')), '22023', NULL, 'a zero amount');
SELECT throws_ok(format('SELECT credits.reverse(%s, reinstate_until => %L)', (SELECT id FROM ids WHERE name = 'd2'), '2025-01-01+00'), '22023', NULL, 'reinstate_until in the past');
SELECT throws_ok(format('SELECT credits.reverse(%s, 0.0000000001)', (SELECT id FROM ids WHERE name = 'd2')), '22P02', NULL, 'ten fractional digits');

-- debt the debit created is cancelled first
SELECT credits.open_account('r2', overdraft_limit => 10);
SELECT credits.grant_credits('r2', 5);
INSERT INTO ids VALUES ('d3', credits.debit('r2', 8));
SELECT is(credits.balance('r2')::text, '-3', 'the debit ran 3 into overdraft');
SELECT credits.reverse((SELECT id FROM ids WHERE name = 'd3'), 2);
SELECT is((SELECT debt::text || '/' || balance::text FROM credits.accounts WHERE key = 'r2'), '1/-1', 'a partial reversal cancels debt first');
SELECT credits.reverse((SELECT id FROM ids WHERE name = 'd3'));
SELECT is((SELECT debt::text || '/' || balance::text FROM credits.accounts WHERE key = 'r2'), '0/5', 'then the lot gets its credits back');

-- debt repaid since goes back to the lot that repaid it
SELECT credits.open_account('r3', overdraft_limit => 10);
INSERT INTO ids VALUES ('d4', credits.debit('r3', 4));
INSERT INTO ids VALUES ('g', credits.grant_credits('r3', 10));
SELECT is((SELECT remaining::text FROM credits.grants WHERE id = (SELECT id FROM ids WHERE name = 'g')), '6', 'the new grant repaid the debt');
SELECT credits.reverse((SELECT id FROM ids WHERE name = 'd4'));
SELECT is((SELECT remaining::text FROM credits.grants WHERE id = (SELECT id FROM ids WHERE name = 'g')), '10', 'the reversal returns the repayment to that lot');
SELECT is(credits.balance('r3')::text, '10', 'as if the debit had not happened');

-- lots expired since: expire again, or reinstated
SELECT credits.open_account('r4');
INSERT INTO ids VALUES ('e', credits.grant_credits('r4', 10, 'bonus', '2026-01-10+00', priority => 20, cost_basis => 0));
INSERT INTO ids VALUES ('d5', credits.debit('r4', 6));
SET LOCAL credits.test_clock = '2026-01-20 00:00:00+00';
INSERT INTO ids VALUES ('x1', credits.reverse((SELECT id FROM ids WHERE name = 'd5'), 2));
SELECT results_eq(format('SELECT type, delta::text FROM credits.entries WHERE operation = %s ORDER BY seq', (SELECT id FROM ids WHERE name = 'x1')),
                  $$VALUES ('expire', '-4'), ('refund', '2'), ('expire', '-2')$$, 'the lot''s expiry is booked, and refunded credits of the expired lot expire again at once');
SELECT is(credits.balance('r4')::text, '0', 'so the balance does not change');
INSERT INTO ids VALUES ('x2', credits.reverse((SELECT id FROM ids WHERE name = 'd5'), 2, reinstate_until => '2026-03-01+00'));
SELECT results_eq(format('SELECT type, delta::text FROM credits.entries WHERE operation = %s ORDER BY seq', (SELECT id FROM ids WHERE name = 'x2')),
                  $$VALUES ('refund', '2'), ('reinstate', '-2'), ('grant', '2')$$, 'with reinstate_until they move to a new grant');
SELECT results_eq(format('SELECT kind, priority, expires_at, cost_basis, origin FROM credits.grants WHERE operation = %s', (SELECT id FROM ids WHERE name = 'x2')),
                  format('VALUES (%L, 20, %L::timestamptz, 0::numeric, %s::bigint)', 'bonus', '2026-03-01+00', (SELECT id FROM ids WHERE name = 'e')),
                  'of the same kind, priority and cost basis, expiring then, linked to the lot');
SELECT is(credits.balance('r4')::text, '2', 'and count in the balance');

-- void_grant
SELECT credits.open_account('v1');
INSERT INTO ids VALUES ('v', credits.grant_credits('v1', 10)), ('w', credits.grant_credits('v1', 5, 'bonus', '2026-02-01+00'));
INSERT INTO ids VALUES ('d6', credits.debit('v1', 12)); -- burns w (expires first) 5, v 7
INSERT INTO ids VALUES ('void', credits.void_grant((SELECT id FROM ids WHERE name = 'v'), 'refunded purchase', 'void-1'));
SELECT is((SELECT remaining::text || ' ' || (voided_at IS NOT NULL) FROM credits.grants WHERE id = (SELECT id FROM ids WHERE name = 'v')), '0 true', 'the remainder is voided');
SELECT is((SELECT amount::text FROM credits.operations WHERE id = (SELECT id FROM ids WHERE name = 'void')), '3', 'the operation records what was removed');
SELECT is(credits.balance('v1')::text, '0', 'what was consumed stays consumed');
SELECT is(credits.void_grant((SELECT id FROM ids WHERE name = 'v'), 'refunded purchase', 'void-1'), (SELECT id FROM ids WHERE name = 'void'), 'a retry returns the first void');
SELECT throws_ok(format('SELECT credits.void_grant(%s)', (SELECT id FROM ids WHERE name = 'v')), 'CR010', 'grant ' || (SELECT id FROM ids WHERE name = 'v') || ' is already voided', 'voiding twice is CR010');
SELECT throws_ok(format('SELECT credits.void_grant(%s, idempotency_key => %L)', (SELECT id FROM ids WHERE name = 'w'), 'void-1'), 'CR004', NULL, 'the key for another grant is CR004');
SELECT throws_ok($$SELECT credits.void_grant(999999999)$$, '22023', 'grant 999999999 does not exist', 'an unknown grant');
SELECT throws_ok($$SELECT credits.void_grant(NULL)$$, '22004', NULL, 'NULL grant');
SET LOCAL credits.test_clock = '2026-02-02 00:00:00+00';
SELECT throws_ok(format('SELECT credits.void_grant(%s)', (SELECT id FROM ids WHERE name = 'w')), 'CR010', NULL, 'an expired grant is CR010');
-- a refund to a voided lot is voided again
INSERT INTO ids VALUES ('x3', credits.reverse((SELECT id FROM ids WHERE name = 'd6'), 7));
SELECT results_eq(format('SELECT type, delta::text FROM credits.entries WHERE operation = %s ORDER BY seq', (SELECT id FROM ids WHERE name = 'x3')),
                  $$VALUES ('refund', '7'), ('void', '-7')$$, 'credits refunded to a voided lot are voided at once');

SELECT is_empty($$SELECT * FROM credits.check_invariants()$$, 'check_invariants() is empty');
SELECT * FROM finish();
ROLLBACK;
