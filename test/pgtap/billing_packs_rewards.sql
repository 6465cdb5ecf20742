-- pgTAP: credit packs and reward rules.
BEGIN;
SELECT plan(36);
SET LOCAL credits.test_clock = '2026-01-01 00:00+00';

-- a tiered catalog
SELECT lives_ok($$SELECT credits.define_pack('starter', 100, 100.00)$$, 'define_pack');
SELECT lives_ok($$SELECT credits.define_pack('growth', 500, 425.00, bonus_credits => 50, bonus_validity => '3 months')$$, 'a pack with bonus credits');
SELECT lives_ok($$SELECT credits.define_pack('retired', 10, 5, active => false)$$, 'an inactive pack');
SELECT throws_ok($$SELECT credits.define_pack('free', 0, 1)$$, '22023', NULL, 'a pack of 0 credits is 22023');
SELECT throws_ok($$SELECT credits.define_pack('odd', 1, -1)$$, '22023', NULL, 'a negative price is 22023');
SELECT throws_ok($$SELECT credits.define_pack('eur', 1, 1, 'euro')$$, '22023', NULL, 'a currency must be a three-letter code');

SELECT credits.open_account('buyer');
SELECT ok(credits.purchase_pack('buyer', 'growth', 'order-1') > 0, 'purchase_pack returns the purchased grant');
SELECT results_eq($$SELECT g.kind, g.amount::text, g.cost_basis, g.expires_at FROM credits.grants g
                    JOIN credits.accounts a ON a.id = g.account WHERE a.key = 'buyer' ORDER BY g.id$$,
                  $$VALUES ('purchased', '500', 0.85, '2027-01-01 00:00+00'::timestamptz),
                           ('bonus', '50', 0::numeric, '2026-04-01 00:00+00'::timestamptz)$$,
                  'a purchased grant at price / credits, and a free bonus with its own validity');
SELECT is(credits.purchase_pack('buyer', 'growth', 'order-1'), (SELECT min(g.id) FROM credits.grants g JOIN credits.accounts a ON a.id = g.account WHERE a.key = 'buyer' AND g.kind = 'purchased'),
          'a retried purchase returns the same grant');
SELECT is((SELECT count(*)::int FROM credits.grants g JOIN credits.accounts a ON a.id = g.account WHERE a.key = 'buyer'), 2, 'and grants nothing more');
SELECT is(credits.balance('buyer')::text, '550', 'the balance holds both');
SELECT throws_ok($$SELECT credits.purchase_pack('buyer', 'enterprise')$$, '22023', 'unknown pack "enterprise"', 'an unknown pack is 22023');
SELECT throws_ok($$SELECT credits.purchase_pack('buyer', 'retired')$$, '22023', NULL, 'an inactive pack is 22023');
SELECT throws_ok($$SELECT credits.purchase_pack('nobody', 'starter')$$, 'CR002', NULL, 'an unknown account is CR002');

-- reward rules
SELECT lives_ok($$SELECT credits.define_reward_rule('renewal-10', 'loyalty', 10, validity => '6 months', cap_per_account => 60, period => '1 year')$$, 'a percent rule with a yearly cap');
SELECT lives_ok($$SELECT credits.define_reward_rule('referral', 'referral', fixed_credits => 25, validity => '90 days')$$, 'a fixed rule');
SELECT throws_ok($$SELECT credits.define_reward_rule('nothing', 'loyalty')$$, '22023', NULL, 'a rule that gives nothing is 22023');
SELECT throws_ok($$SELECT credits.define_reward_rule('gold', 'gold', 5)$$, '22023', NULL, 'an unknown kind is 22023');
SELECT credits.reward('buyer', 'renewal-10', 425) AS first_reward \gset
SELECT is((SELECT amount::text FROM credits.grants WHERE id = :first_reward), '42.5', '10% of 425');
SELECT credits.reward('buyer', 'renewal-10', 425) AS second_reward \gset
SELECT is((SELECT amount::text FROM credits.grants WHERE id = :second_reward), '17.5', 'reduced to what the cap allows');
SELECT is(credits.reward('buyer', 'renewal-10', 425), NULL, 'NULL when the cap is used up');
SET LOCAL credits.test_clock = '2027-01-02 00:00+00';
SELECT ok(credits.reward('buyer', 'renewal-10', 100) IS NOT NULL, 'the cap applies per period');
SELECT credits.reward('buyer', 'referral', idempotency_key => 'ref-1') AS referral_grant \gset
SELECT is((SELECT kind || ' ' || amount FROM credits.grants WHERE id = :referral_grant), 'referral 25', 'fixed credits as the rule''s kind');
SELECT is(credits.reward('buyer', 'referral', idempotency_key => 'ref-1'), (SELECT max(id) FROM credits.grants WHERE kind = 'referral'), 'a retried reward returns the same grant');
SELECT throws_ok($$SELECT credits.reward('buyer', 'renewal-10')$$, '22004', NULL, 'a percent rule needs a base_amount');
SELECT throws_ok($$SELECT credits.reward('buyer', 'no-rule', 1)$$, '22023', NULL, 'an unknown rule is 22023');

-- one pipeline: one operation per call, the same request hash and CR004
SELECT results_eq($$SELECT o.type, o.amount::text, count(g.id)::int FROM credits.operations o JOIN credits.grants g ON g.operation = o.id
                    JOIN credits.accounts a ON a.id = o.account WHERE a.key = 'buyer' AND o.idempotency_key = 'order-1' GROUP BY o.id$$,
                  $$VALUES ('purchase_pack', '550', 2)$$, 'a purchase is one operation writing both grants');
SELECT throws_ok($$SELECT credits.purchase_pack('buyer', 'starter', 'order-1')$$, 'CR004', NULL, 'the key with another pack is CR004');
SELECT lives_ok($$SELECT credits.define_pack('growth', 500, 425.00, active => false)$$, 'the pack is withdrawn');
SELECT is(credits.purchase_pack('buyer', 'growth', 'order-1'), (SELECT min(g.id) FROM credits.grants g JOIN credits.accounts a ON a.id = g.account WHERE a.key = 'buyer' AND g.kind = 'purchased'),
          'a retry still returns the purchase made while it was for sale');
SELECT credits.purchase_pack('buyer', 'starter', reference => 'invoice 7') AS invoiced \gset
SELECT is((SELECT reference FROM credits.grants WHERE id = :invoiced), 'invoice 7', 'a reference names the grant');
SELECT throws_ok($$SELECT credits.reward('buyer', 'referral', 10, idempotency_key => 'ref-1')$$, 'CR004', NULL, 'a reward key with another base is CR004');
SELECT throws_ok($$SELECT credits.debit('buyer', 1, 'ref-1')$$, 'CR004', NULL, 'and so is a debit under a reward''s key');
SELECT is((SELECT count(*)::int FROM credits.rewards r JOIN credits.operations o ON o.id = r.operation AND o.type = 'reward'
           JOIN credits.accounts a ON a.id = r.account WHERE a.key = 'buyer'), 4,
          'every reward names its operation');
SELECT is((SELECT bool_and(ok) FROM credits.verify_chain('buyer')), true, 'the journal verifies');
SELECT is_empty($$SELECT * FROM credits.check_invariants()$$, 'check_invariants is empty');

SELECT * FROM finish();
ROLLBACK;
