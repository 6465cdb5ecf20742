-- A short tour of credits, run by `make demo`.
\pset footer off
\set ECHO queries

\echo
\echo '== 1. credit: an exact amount with 9 fractional digits =='
\echo 'Text in, canonical text out: no exponent, no trailing zeros.'
SELECT '10.50'::credit AS a, '1.5e3'::credit AS b, '-0.000000001'::credit AS c, '100.000'::credit AS d;

\echo
\echo '== 2. Decimal arithmetic that is exact (float8 is not) =='
SELECT '0.1'::credit + '0.2' AS credit_sum, 0.1::float8 + 0.2::float8 AS float_sum;

\echo
\echo '== 3. Everyday expressions resolve without casts =='
CREATE TEMP TABLE wallet (customer text, amount credit);
INSERT INTO wallet VALUES ('acme', 120), ('globex', '45.25'), ('initech', '0.000000001');
SELECT customer, amount, amount + 1 AS plus_one, amount * 2 AS doubled, amount * 1.5 AS times_1_5,
       amount > 100 AS big, amount::numeric AS as_numeric
FROM wallet ORDER BY amount DESC;
SELECT sum(amount), avg(amount), min(amount), max(amount) FROM wallet;

\echo
\echo '== 4. Products and quotients round half-even at the 9th digit =='
SELECT '10'::credit / 3 AS third, '0.000000001'::credit / 2 AS tie_to_even, '0.000000003'::credit / 2 AS tie_up_to_even;

\echo
\echo '== 5. Overflow and bad input are errors, never silent =='
\set ON_ERROR_STOP off
SELECT '170141183460469231731687303715.884105727'::credit + 1;
SELECT '0.0000000001'::credit;
SELECT 'NaN'::credit;
\set ON_ERROR_STOP on

\echo
\echo '== 6. Rounding modes, chosen by the caller =='
SELECT m AS mode, credits.round('2.345', 2, m) AS "2.345", credits.round('-2.345', 2, m) AS "-2.345"
FROM unnest(ARRAY['half_up', 'half_even', 'half_down', 'up', 'down', 'ceiling', 'floor']) m;

\echo
\echo '== 7. Splitting a total exactly: the parts always add up =='
SELECT credits.allocate(100, '{1,1,1}') AS three_ways,
       credits.allocate('99.99', '{50,30,20}') AS by_percent;

\echo
\echo '== 8. A ledger: accounts and grants of several kinds and expiries =='
\echo 'The demo sets the ledger clock (credits.test_clock) so the story has fixed dates.'
SET credits.test_clock = '2026-01-01 09:00:00+00';
SELECT credits.open_account('acme', overdraft_limit => 20) AS account_id;
SELECT credits.grant_credits('acme', 100, 'purchased', '2027-01-01', cost_basis => 0.85, reference => 'pack-100') AS paid;
SELECT credits.grant_credits('acme', 30, 'promotional', '2026-02-01', reference => 'winter-promo') AS promo;
SELECT credits.grant_credits('acme', 15, 'sla', reference => 'sla-dec-2025') AS sla;
SELECT credits.grant_credits('acme', 10, 'bonus', '2026-03-31', priority => 10) AS bonus_first;

\echo
\echo '== 9. What the next debit burns, in order (grants_of) =='
SELECT * FROM credits.grants_of('acme');

\echo
\echo '== 10. Debits burn in that order, one journal entry per grant touched =='
SELECT credits.debit('acme', 25, idempotency_key => 'usage-2026-01', reference => 'January usage') AS debit;
SELECT credits.debit('acme', 25, idempotency_key => 'usage-2026-01', reference => 'January usage') AS retried_same_id;
SELECT * FROM credits.grants_of('acme');

\echo
\echo '== 11. A month later: the promotional credits expired, and are never burned =='
SET credits.test_clock = '2026-02-15 09:00:00+00';
SELECT credits.balance('acme');
SELECT credits.debit('acme', 130, reference => 'February usage, into the overdraft') AS debit;
SELECT e.seq, e.type, g.kind, e.delta, e.grant_remaining_after AS remaining, e.account_balance_after AS balance,
       e.effective_at
FROM credits.entries e JOIN credits.accounts a ON a.id = e.account LEFT JOIN credits.grants g ON g.id = e."grant"
WHERE a.key = 'acme' ORDER BY e.seq;
\set ON_ERROR_STOP off
SELECT credits.debit('acme', 50);
\set ON_ERROR_STOP on

\echo
\echo '== 12. Balances at earlier instants, rebuilt from the journal =='
SELECT t AS as_of, credits.balance('acme', t)
FROM unnest(ARRAY['2025-12-31', '2026-01-01 09:00', '2026-01-31 23:59', '2026-02-01 00:00', '2026-02-15 09:00']::timestamptz[]) t;

\echo
\echo '== 13. Anyone can verify the journal: a SHA-256 chain per account =='
SELECT * FROM credits.verify_chain();
SELECT * FROM credits.check_invariants();
\set ON_ERROR_STOP off
UPDATE credits.entries SET delta = 0;
\set ON_ERROR_STOP on

\echo
\echo '== 14. A downgrade mid-period becomes a proration credit =='
SET credits.test_clock = '2026-03-01 00:00:00+00';
SELECT * FROM credits.plan_change(500, 300, '2025-01-01', '2025-02-01', '2025-01-16', 'day');
\echo 'Billing period Feb 15 .. Mar 15, downgrade on Mar 1: 14 of 28 days unused, 200 x 1/2 owed.'
SELECT * FROM credits.apply_plan_change('acme', 500, 300, '2026-02-15', '2026-03-15', '2026-03-01', 'day', expires_at => '2026-12-31');
SELECT credits.balance('acme') AS balance_after_downgrade;

\echo
\echo '== 15. An SLA credit from a list of outages (AWS RDS Multi-AZ schedule) =='
SELECT credits.uptime('[2026-02-01,2026-03-01)',
                      '{[2026-02-10 10:00,2026-02-10 10:40), [2026-02-10 10:30,2026-02-10 11:05), [2026-02-20 03:00,2026-02-20 03:00:30)}',
                      '{[2026-02-20 02:00,2026-02-20 04:00)}') AS uptime_percent;
SELECT credits.issue_sla_credit('acme', 'aws-rds-multi-az', 300, '[2026-02-01,2026-03-01)',
                                '{[2026-02-10 10:00,2026-02-10 10:40), [2026-02-10 10:30,2026-02-10 11:05)}') AS sla_grant;
SELECT reference, amount FROM credits.grants WHERE kind = 'sla' ORDER BY id DESC LIMIT 1;

\echo
\echo '== 16. A tiered catalog of credit packs, and what each credit costs =='
SELECT credits.define_pack('starter', 100, 100.00, description => 'Starter');
SELECT credits.define_pack('growth', 500, 425.00, description => 'Growth');
SELECT credits.define_pack('professional', 1500, 1050.00, description => 'Professional');
SELECT credits.define_pack('enterprise', 5000, 2750.00, bonus_credits => 250, bonus_validity => '3 months', description => 'Enterprise');
SELECT code, credits, price, currency, validity, bonus_credits, trim_scale(price / credits::numeric) AS cost_per_credit
FROM credits.packs ORDER BY price;
SELECT credits.purchase_pack('acme', 'enterprise', 'order-7731') AS purchased_grant;
SELECT kind, amount, cost_basis, expires_at FROM credits.grants g JOIN credits.accounts a ON a.id = g.account
WHERE a.key = 'acme' AND g.reference LIKE 'pack enterprise%' ORDER BY g.id;

\echo
\echo '== 17. Reward rules: renewal bonus, referral for both parties, loyalty tiers =='
SELECT credits.define_reward_rule('renewal-bonus', 'loyalty', 10, validity => '6 months', description => '10% of a renewal');
SELECT credits.define_reward_rule('referral', 'referral', fixed_credits => 50, validity => '90 days', cap_per_account => 500, period => '1 year');
SELECT credits.define_reward_rule('renewal-silver', 'loyalty', 1, validity => '1 year');
SELECT credits.define_reward_rule('renewal-gold', 'loyalty', 3, validity => '1 year');
SELECT credits.define_reward_rule('renewal-platinum', 'loyalty', 5, validity => '1 year');
SELECT credits.open_account('globex');
SELECT credits.reward('acme', 'renewal-bonus', 2750) AS renewal_bonus;
SELECT credits.reward('acme', 'referral', idempotency_key => 'referral-globex') AS referrer,
       credits.reward('globex', 'referral', idempotency_key => 'referred-by-acme') AS referred;
SELECT tier, credits.reward('acme', 'renewal-' || tier, 1000) AS grant_id
FROM unnest(ARRAY['silver', 'gold', 'platinum']) tier;
SELECT a.key AS account, r.rule, r.base_amount, r.amount FROM credits.rewards r JOIN credits.accounts a ON a.id = r.account ORDER BY r.id;

\echo
\echo '== 18. A hold reserves credits for a long job; the job captures part =='
SELECT credits.open_account('hooli');
SELECT credits.grant_credits('hooli', 40, 'bonus', '2026-03-15+00'), credits.grant_credits('hooli', 100);
SELECT credits.hold('hooli', 60, expires_at => '2026-03-01 06:00+00', reference => 'render job 9') AS hold_id \gset
SELECT position, "grant", amount FROM credits.hold_lots WHERE hold = :hold_id ORDER BY position;
SELECT credits.held('hooli') AS held, credits.balance('hooli') AS balance;
SELECT credits.capture(:hold_id, 45) AS capture_op;
SELECT status, amount, captured FROM credits.holds WHERE id = :hold_id;
SELECT credits.held('hooli') AS held, credits.balance('hooli') AS balance;

\echo
\echo '== 19. A refund lands on the lots that paid for the debit =='
SELECT credits.open_account('initech');
SELECT credits.grant_credits('initech', 10, 'bonus', '2026-04-01+00') AS bonus_lot,
       credits.grant_credits('initech', 50, 'purchased', '2027-03-01+00', cost_basis => 0.8) AS paid_lot;
SELECT credits.debit('initech', 25, 'job-17') AS debit_op \gset
SELECT e."grant", g.kind, -e.delta AS burned FROM credits.entries e JOIN credits.grants g ON g.id = e."grant"
WHERE e.operation = :debit_op ORDER BY e.seq;
SELECT credits.reverse(:debit_op, 20, 'job failed halfway') AS refund_op \gset
SELECT e."grant", g.kind, e.type, e.delta FROM credits.entries e JOIN credits.grants g ON g.id = e."grant"
WHERE e.operation = :refund_op ORDER BY e.seq;
SELECT * FROM credits.grants_of('initech');

\echo
\echo '== 20. A transfer keeps each lot''s kind, expiry and cost basis =='
SELECT credits.open_account('initech-eu');
SELECT credits.transfer('initech', 'initech-eu', 30, 'move-1', 'EU workspace') AS transfer_op;
SELECT g.kind, g.amount, g.expires_at, g.cost_basis, g.origin
FROM credits.grants g JOIN credits.accounts a ON a.id = g.account WHERE a.key = 'initech-eu' ORDER BY g.id;
SELECT credits.balance('initech') AS initech, credits.balance('initech-eu') AS initech_eu;

\echo
\echo '== 21. A team draws on its company''s pool, within a limit =='
SELECT credits.open_account('initech-design', parent => 'initech');
SELECT credits.set_pool_limit('initech-design', 10);
SELECT credits.grant_credits('initech-design', 3, 'promotional');
SELECT credits.debit('initech-design', 8, 'design-job-1') AS pooled_debit \gset
SELECT a.key AS account, o.type AS operation, e.type, e.delta
FROM credits.entries e JOIN credits.accounts a ON a.id = e.account JOIN credits.operations o ON o.id = e.operation
WHERE o.id = :pooled_debit OR o.on_behalf_of = :pooled_debit ORDER BY e.id;
SELECT credits.pool_usage('initech-design') AS drawn, credits.balance('initech') AS company_balance;
SELECT credits.try_debit('initech-design', 6) AS over_the_limit;

\echo
\echo '== 22. A month later: the expiry sweep books breakage =='
SET credits.test_clock = '2026-04-02 00:00:00+00';
SELECT account, kind, remaining, expires_at FROM credits.expiring('60 days');
SELECT credits.expire() AS grants_expired;
SELECT a.key AS account, g.kind, -e.delta AS breakage, (-e.delta)::numeric * COALESCE(g.cost_basis, 0) AS value, e.effective_at
FROM credits.entries e JOIN credits.grants g ON g.id = e."grant" JOIN credits.accounts a ON a.id = e.account
JOIN credits.operations o ON o.id = e.operation
WHERE e.type = 'expire' AND o.type = 'expire' ORDER BY e.effective_at;
SELECT credits.expire() AS a_second_run_finds;

\echo
\echo '== 23. A monthly allowance rolls over: up to 300 unused credits carry into the next month =='
SELECT credits.open_account('piedpiper') AS piedpiper;
SELECT credits.grant_credits('piedpiper', 1000, 'purchased', '2026-05-01+00', cost_basis => 0.01,
                             rollover_max => 300, rollover_validity => '1 month') AS april_allowance;
SELECT credits.debit('piedpiper', 550, 'h-use-1');
SET credits.test_clock = '2026-05-02 00:00:00+00';
SELECT credits.expire() AS grants_expired;
SELECT e.type, e.delta, g.generation, g.expires_at FROM credits.entries e JOIN credits.grants g ON g.id = e."grant"
JOIN credits.accounts a ON a.id = e.account WHERE a.key = 'piedpiper' AND e.effective_at = '2026-05-01+00' ORDER BY e.seq;

\echo
\echo '== 24. Alerts: 75%/90% of the allowance, low balance, and an automatic top-up =='
SELECT credits.set_alert_thresholds('piedpiper', '{75,90}');
SELECT credits.set_low_balance('piedpiper', 50);
SELECT credits.set_topup_rule('piedpiper', 40, 500, validity => '90 days');
SELECT credits.debit('piedpiper', 230, 'h-use-2');
SELECT credits.debit('piedpiper', 40, 'h-use-3');
SELECT kind, level, balance, details FROM credits.alerts ORDER BY id;
\echo 'the example worker (examples/topup_worker, sharing the demo clock) claims the alerts and fulfils the top-up:'
\! PGDATABASE=credits_demo PGOPTIONS='-c credits.test_clock=2026-05-02T00:00:00+00' /usr/bin/python3 examples/topup_worker/topup_worker.py --once
SELECT alert, amount, status, grant_id FROM credits.topups;
SELECT credits.balance('piedpiper') AS piedpiper_after_top_up;

\echo
\echo '== 25. Where it all stands =='
SELECT * FROM credits.grants_of('acme');
SELECT credits.balance('acme') AS acme, credits.balance('globex') AS globex;
SELECT * FROM credits.verify_chain();

\echo
\echo '== 26. For analysts: acme''s statement for March, and what the ledger owes =='
SELECT credits.expire() AS booked_first;
SELECT line, at, operation_type, entry_type, kind, amount, balance, reference
FROM credits.statement('acme', '2026-03-01+00', '2026-04-01+00') ORDER BY line;
SELECT * FROM credits.liability();
\echo 'the roll-forward reads flows summed ahead by refresh_flow_totals() (scheduled with the sweep; each call sums what the one before saw):'
SELECT credits.refresh_flow_totals() AS first_call;
SELECT credits.refresh_flow_totals() AS entries_summed;
SELECT period, category, opening, granted, consumed, refunded, expired, voided, transferred, closing, closing_value
FROM credits.liability_rollforward('2026-01-01+00', '2026-06-01+00') WHERE category = 'paid';
