-- pgTAP: transfer() moves lots with their kind, expiry, priority and cost basis.
BEGIN;
SELECT plan(24);
SET LOCAL credits.test_clock = '2026-01-01 00:00:00+00';

SELECT has_function('credits', 'transfer', 'function credits.transfer');
SELECT has_column('credits', 'kinds', 'transferable', 'kinds.transferable');
SELECT has_column('credits', 'grants', 'origin', 'grants.origin');
SELECT ok(has_function_privilege('credits_writer', 'credits.transfer(text, text, credit, text, text, jsonb)', 'EXECUTE'), 'writers may transfer');

SELECT credits.define_kind('gift', 'promotional', transferable => false);
SELECT is((SELECT transferable FROM credits.kinds WHERE kind = 'gift'), false, 'define_kind sets transferable');
SELECT credits.open_account('src');
SELECT credits.open_account('dst', overdraft_limit => 5);
SELECT credits.open_account('eur', 'EUR');
CREATE TEMP TABLE ids (name text PRIMARY KEY, id bigint);
INSERT INTO ids VALUES ('gift', credits.grant_credits('src', 50, 'gift', '2026-01-15+00', priority => 10)),
                       ('soon', credits.grant_credits('src', 10, 'bonus', '2026-02-01+00', cost_basis => 0)),
                       ('paid', credits.grant_credits('src', 20, 'purchased', '2026-06-01+00', priority => 60, cost_basis => 0.25));
SELECT credits.debit('dst', 3); -- overdraft debt on the destination

INSERT INTO ids VALUES ('t1', credits.transfer('src', 'dst', 15, 'move-1', 'workspace move'));
SELECT results_eq(format('SELECT kind, amount::text, priority, expires_at, cost_basis, origin FROM credits.grants WHERE account = (SELECT id FROM credits.accounts WHERE key = %L) ORDER BY id', 'dst'),
                  format('VALUES (%L, %L, 50, %L::timestamptz, 0::numeric, %s::bigint), (%L, %L, 60, %L::timestamptz, 0.25, %s)',
                         'bonus', '10', '2026-02-01+00', (SELECT id FROM ids WHERE name = 'soon'),
                         'purchased', '5', '2026-06-01+00', (SELECT id FROM ids WHERE name = 'paid')),
                  'one grant per source lot, in burn order, keeping kind, priority, expiry and cost basis, linked to the lot');
SELECT is((SELECT remaining::text FROM credits.grants WHERE id = (SELECT id FROM ids WHERE name = 'gift')), '50', 'the non-transferable kind was skipped');
SELECT is(credits.balance('src')::text, '65', 'the source lost 15');
SELECT is(credits.balance('dst')::text, '12', 'the destination gained 15 and repaid its debt of 3 first');
SELECT results_eq(format('SELECT a.key, o.type, o.amount::text, o.reference, o.idempotency_key FROM credits.operations o JOIN credits.accounts a ON a.id = o.account WHERE o.id >= %s ORDER BY o.id', (SELECT id FROM ids WHERE name = 't1')),
                  $$VALUES ('src', 'transfer', '15', 'workspace move', 'move-1'), ('dst', 'transfer_in', '15', 'workspace move', NULL)$$,
                  'the source records the transfer under the key, the destination a transfer_in');
SELECT results_eq(format('SELECT a.key, e.type, e.delta::text FROM credits.entries e JOIN credits.accounts a ON a.id = e.account WHERE e.operation >= %s ORDER BY a.key, e.seq', (SELECT id FROM ids WHERE name = 't1')),
                  $$VALUES ('dst', 'grant', '10'), ('dst', 'repay', '-3'), ('dst', 'repay', '3'), ('dst', 'grant', '5'),
                           ('src', 'transfer', '-10'), ('src', 'transfer', '-5')$$,
                  'each account''s chain has its side of the transfer');
SELECT is(credits.transfer('src', 'dst', 15, 'move-1', 'workspace move'), (SELECT id FROM ids WHERE name = 't1'), 'a retry returns the first transfer');
SELECT is(credits.balance('src')::text, '65', 'and moves nothing more');
SELECT throws_ok($$SELECT credits.transfer('src', 'dst', 16, 'move-1', 'workspace move')$$, 'CR004', NULL, 'the key with another amount is CR004');

-- errors, each changing nothing
SELECT throws_ok($$SELECT credits.transfer('src', 'dst', 16)$$, 'CR001', 'insufficient transferable credits on account "src"', 'what is left to transfer (15) does not cover 16: CR001');
SELECT throws_ok($$SELECT credits.transfer('src', 'eur', 1)$$, 'CR006', 'cannot transfer between accounts of different units', 'different units: CR006');
SELECT throws_ok($$SELECT credits.transfer('src', 'src', 1)$$, '22023', NULL, 'to itself: 22023');
SELECT throws_ok($$SELECT credits.transfer('src', 'nobody', 1)$$, 'CR002', NULL, 'an unknown destination: CR002');
SELECT throws_ok($$SELECT credits.transfer('nobody', 'src', 1)$$, 'CR002', NULL, 'an unknown source: CR002');
SELECT throws_ok($$SELECT credits.transfer('src', 'dst', -1)$$, '22023', NULL, 'a negative amount: 22023');
SELECT credits.set_account_status('dst', 'frozen');
SELECT throws_ok($$SELECT credits.transfer('src', 'dst', 1)$$, 'CR003', NULL, 'a frozen destination: CR003');
SELECT is(credits.balance('src')::text, '65', 'errors changed nothing');

SELECT is_empty($$SELECT * FROM credits.verify_chain() WHERE NOT ok$$, 'every chain verifies');
SELECT is_empty($$SELECT * FROM credits.check_invariants()$$, 'check_invariants() is empty');
SELECT * FROM finish();
ROLLBACK;
