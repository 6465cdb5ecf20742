-- pgTAP: pooled accounts draw on their ancestors within pool limits.
BEGIN;
SELECT plan(42);
SET LOCAL credits.test_clock = '2026-01-01 00:00:00+00';

SELECT has_function('credits', f, 'function credits.' || f) FROM unnest(ARRAY['set_pool_limit', 'pool_usage']) f;
SELECT has_column('credits', 'accounts', c, 'accounts.' || c) FROM unnest(ARRAY['parent', 'pool_limit', 'pool_drawn']) c;
SELECT ok(NOT has_function_privilege('credits_writer', 'credits.set_pool_limit(text, credit)', 'EXECUTE'), 'set_pool_limit is for admins');

-- opening a pool
SELECT credits.open_account('co');
SELECT credits.open_account('eu', 'EUR');
SELECT ok(credits.open_account('t1', parent => 'co') > 0, 'a child account');
SELECT is(credits.open_account('t1', parent => 'co'), (SELECT id FROM credits.accounts WHERE key = 't1'), 'the same settings return it');
SELECT throws_ok($$SELECT credits.open_account('t1')$$, 'CR004', NULL, 'without its parent: CR004');
SELECT throws_ok($$SELECT credits.open_account('t2', parent => 'nobody')$$, 'CR002', NULL, 'an unknown parent: CR002');
SELECT throws_ok($$SELECT credits.open_account('t2', parent => 'eu')$$, 'CR006', NULL, 'a parent of another unit: CR006');
SELECT throws_ok($$SELECT credits.open_account('t2', parent => 't2')$$, '22023', 'account "t2" cannot be its own parent', 'its own parent (a cycle): 22023');
SELECT ok(credits.open_account('g1', parent => 't1') > 0, 'a grandchild');

CREATE TEMP TABLE ids (name text PRIMARY KEY, id bigint);
INSERT INTO ids VALUES ('co', credits.grant_credits('co', 100, 'purchased', '2026-06-01+00', cost_basis => 0.5)),
                       ('t1', credits.grant_credits('t1', 10));

-- own lots first, then the parent's
INSERT INTO ids VALUES ('d1', credits.debit('t1', 25, 'job-1'));
SELECT is(credits.balance('t1')::text, '0', 'the child spent its own 10');
SELECT is(credits.balance('co')::text, '85', 'and 15 of its parent''s');
SELECT results_eq(format('SELECT a.key, o.type, e.type, e.delta::text FROM credits.entries e JOIN credits.accounts a ON a.id = e.account JOIN credits.operations o ON o.id = e.operation WHERE o.id = %1$s OR o.on_behalf_of = %1$s ORDER BY e.id', (SELECT id FROM ids WHERE name = 'd1')),
                  $$VALUES ('t1', 'debit', 'burn', '-10'), ('co', 'pool_debit', 'burn', '-15')$$,
                  'each account''s chain names the lots burned in it; the parent''s record is a pool_debit on behalf of the debit');
SELECT is(credits.pool_usage('t1')::text, '15', 'pool_usage() says what the child drew');

-- a pool limit
SELECT credits.set_pool_limit('t1', 20);
SELECT is((SELECT new_row->>'pool_limit' FROM credits.audit_log WHERE table_name = 'accounts' ORDER BY id DESC LIMIT 1), '20', 'the limit is audited');
SELECT throws_ok($$SELECT credits.debit('t1', 6)$$, 'CR001', NULL, 'beyond the limit (15 + 6 > 20): CR001');
SELECT is(credits.try_debit('t1', 6), NULL, 'try_debit returns NULL');
SELECT ok(credits.debit('t1', 5) > 0, 'up to the limit');
SELECT is(credits.pool_usage('t1')::text, '20', 'the child has drawn its limit');
SELECT credits.set_pool_limit('t1', 40);

-- holds draw on the pool and count against the limit
INSERT INTO ids VALUES ('h', credits.hold('t1', 15));
SELECT is(credits.pool_usage('t1')::text, '35', 'held credits of the pool count');
SELECT is(credits.balance('co')::text, '65', 'and leave the parent''s balance');
SELECT throws_ok($$SELECT credits.debit('t1', 6)$$, 'CR001', NULL, 'so the limit holds with them (35 + 6 > 40)');
SELECT ok(credits.capture((SELECT id FROM ids WHERE name = 'h'), 10) > 0, 'capture from the parent''s lots');
SELECT is(credits.pool_usage('t1')::text, '30', 'captured credits are consumed, the rest went back');
SELECT is(credits.balance('co')::text, '70', 'to the parent''s lot');

-- a reversal gives the parent its credits back
SELECT credits.reverse((SELECT id FROM ids WHERE name = 'd1'), 20);
SELECT is(credits.balance('co')::text, '85', 'the last-burned lots first: the parent''s 15');
SELECT is(credits.balance('t1')::text, '5', 'then the child''s own');
SELECT is(credits.pool_usage('t1')::text, '15', 'and the child drew 15 less');

-- a grandchild draws through its parent, within the parent's limit too
SELECT credits.set_pool_limit('t1', 17);
SELECT ok(credits.debit('g1', 4) > 0, 'the grandchild draws on its parent''s own lots first');
SELECT is(credits.balance('t1')::text, '1', 'the middle account had 5');
SELECT throws_ok($$SELECT credits.debit('g1', 4)$$, 'CR001', NULL, 'beyond: the middle account''s 1 and the 2 its limit (17, drawn 15) lets through from the company');
SELECT ok(credits.debit('g1', 3) > 0, 'exactly that');
SELECT is(credits.pool_usage('t1')::text, '17', 'company credits drawn through the middle account count against its limit');
SELECT is(credits.pool_usage('g1')::text, '7', 'the grandchild drew 5 from its parent and 2 from the company');

-- admin errors
SELECT throws_ok($$SELECT credits.set_pool_limit('co', 5)$$, '22023', NULL, 'a root account has no pool: 22023');
SELECT throws_ok($$SELECT credits.set_pool_limit('t1', -1)$$, '22023', NULL, 'a negative limit: 22023');
SELECT throws_ok($$SELECT credits.set_pool_limit('nobody', 1)$$, 'CR002', NULL, 'an unknown account: CR002');

SELECT is_empty($$SELECT * FROM credits.verify_chain() WHERE NOT ok$$, 'every chain verifies');
SELECT is_empty($$SELECT * FROM credits.check_invariants()$$, 'check_invariants() is empty');
SELECT * FROM finish();
ROLLBACK;
