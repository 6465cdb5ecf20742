-- What release 1.1 added, on top of scenario.sql (which release 1.0 also runs).
SET credits.test_clock = '2026-07-01 00:00+00';
SELECT credits.open_account('gamma');
SELECT credits.transfer('alpha', 'gamma', 5, 'move-1', 'workspace move');
SELECT credits.reverse(credits.debit('gamma', 3, 'use-g'), 1, 'partly wrong');
SELECT credits.void_grant(min(id), 'refunded') FROM credits.grants
WHERE account = (SELECT id FROM credits.accounts WHERE key = 'gamma');
SELECT credits.capture(credits.hold('alpha', 3, reference => 'job-1'), 2);
SELECT credits.release(credits.hold('alpha', 1));
SELECT credits.hold('alpha', 1, credits.clock() + interval '1 day');
SELECT credits.open_account('alpha-team', parent => 'alpha');
SELECT credits.set_pool_limit('alpha-team', 50);
SELECT credits.debit('alpha-team', 2, 'team-use-1');
SELECT * FROM credits.debit_many(ARRAY[('alpha', 1, 'meter-1', 'api', NULL), ('alpha-team', 1, NULL, NULL, '{"n": 2}')]::credits.debit_request[]);
SELECT credits.expire();
-- a rollover rule, rolled by the sweep, and a rollover by hand
SELECT credits.grant_credits('gamma', 10, 'purchased', '2026-07-05+00', cost_basis => 0.2,
                             rollover_max => 4, rollover_validity => '1 month', idempotency_key => 'allowance-7');
SET credits.test_clock = '2026-07-10 00:00+00';
SELECT credits.expire();
SELECT credits.rollover(max(id), 1, '2026-12-31+00', 'roll-by-hand') FROM credits.grants
WHERE account = (SELECT id FROM credits.accounts WHERE key = 'gamma');
-- alert rules, alerts and a top-up request answered
SELECT credits.set_alert_thresholds('gamma', '{50,90}');
SELECT credits.set_low_balance('gamma', 5);
SELECT credits.set_topup_rule('gamma', 3, 20, validity => '30 days');
SELECT credits.set_expiry_warning('gamma', '7 days');
SELECT credits.grant_credits('gamma', 10, 'purchased', cost_basis => 0.1, idempotency_key => 'gamma-pack');
SELECT credits.debit('gamma', credits.balance('gamma') - 1, 'gamma-use');
SELECT count(*) FROM credits.claim_alerts();
SELECT credits.fulfil_topup(max(alert), 0.1) FROM credits.topups;
SELECT credits.set_overdraft_limit('gamma', 2);
