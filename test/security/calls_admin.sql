-- Every admin function of the API, called by a credits_admin member.
SELECT credits.define_kind('planted-kind', 'paid', 25, 'a user kind');
SELECT credits.define_pack('planted-pack', 100, 90, bonus_credits => 10);
SELECT credits.define_reward_rule('planted-rule', 'loyalty', 10, 5, '1 year', cap_per_account => 50, period => '1 year');
SELECT credits.define_sla_policy('planted-sla', '[{"lower": 99, "upper": 99.9, "credit_percent": 10}, {"upper": 99, "credit_percent": 30}]', 100, 1);
SELECT credits.check_sla_policy('planted-sla');
SELECT credits.open_account('planted-frozen');
SELECT credits.set_account_status('planted-frozen', 'frozen');
SELECT credits.open_account('planted-parent');
SELECT credits.open_account('planted-child', parent => 'planted-parent');
SELECT credits.set_pool_limit('planted-child', 5);
