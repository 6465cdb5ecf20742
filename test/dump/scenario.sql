-- A ledger with some history, for the dump/restore test.
SET credits.test_clock = '2026-01-01 00:00+00';
SELECT credits.define_kind('partner', 'promotional', 5, 'credits from a partner programme');
SELECT credits.open_account('alpha', 'credit', 10);
SELECT credits.open_account('beta');
SELECT credits.grant_credits('alpha', 100, 'purchased', '2026-12-31+00', cost_basis => 0.9);
SELECT credits.grant_credits('alpha', 20, 'partner', '2026-02-01+00');
SELECT credits.grant_credits('beta', 50, 'sla', idempotency_key => 'sla-jan');
SELECT credits.debit('alpha', 30, 'use-1');
SET credits.test_clock = '2026-03-01 00:00+00';
SELECT credits.debit('alpha', 95, 'use-2');
SELECT credits.debit('beta', 5);
SELECT credits.set_account_status('beta', 'frozen');
-- billing: a plan change, an SLA credit under a user policy, a pack, a reward
SELECT * FROM credits.apply_plan_change('alpha', 500, 300, '2026-03-01+00', '2026-04-01+00', '2026-03-01+00');
SELECT credits.define_sla_policy('own-sla', '[{"lower": 99, "upper": 99.9, "credit_percent": 10}, {"upper": 99, "credit_percent": 30}]');
SELECT credits.issue_sla_credit('alpha', 'own-sla', 100, '[2026-02-01,2026-03-01)', '{[2026-02-10 10:00,2026-02-10 12:00)}');
SELECT credits.define_pack('pack-100', 100, 90, bonus_credits => 10);
SELECT credits.purchase_pack('alpha', 'pack-100', 'order-1');
SELECT credits.define_reward_rule('renewal', 'loyalty', 10, cap_per_account => 100, period => '1 year');
SELECT credits.reward('alpha', 'renewal', 90);
