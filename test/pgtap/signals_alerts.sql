-- pgTAP: usage thresholds, low balance, top-ups, the alerts outbox and the admin setters.
BEGIN;
SELECT plan(53);
SET LOCAL credits.test_clock = '2026-01-01 00:00:00+00';

SELECT has_table('credits', t, 'table credits.' || t) FROM unnest(ARRAY['alerts', 'alert_rules', 'topups']) t;
SELECT has_function('credits', f, 'function credits.' || f)
FROM unnest(ARRAY['set_alert_thresholds', 'set_low_balance', 'set_topup_rule', 'set_overdraft_limit', 'set_expiry_warning',
                  'claim_alerts', 'fulfil_topup', 'fail_topup']) f;
SELECT ok(NOT has_function_privilege('credits_writer', 'credits.set_topup_rule(text, credit, credit, text, interval, int)', 'EXECUTE'), 'setters are for admins');
SELECT ok(has_function_privilege('credits_writer', 'credits.claim_alerts(int)', 'EXECUTE'), 'workers (writers) claim alerts');
SELECT ok(NOT has_function_privilege('credits_admin', 'credits.signal_account(bigint, bigint, credit, credit, timestamptz)', 'EXECUTE'), 'the internal signal function is nobody''s to call');

SELECT credits.open_account('s1');
CREATE TEMP TABLE me AS SELECT id FROM credits.accounts WHERE key = 's1';
-- alerts of other accounts (a DBA's database) are handed out first: claims below count only these
SELECT count(*) FROM credits.claim_alerts(1000000);
SELECT credits.grant_credits('s1', 100, 'purchased', cost_basis => 0.1);
SELECT credits.set_alert_thresholds('s1', '{90,75,100}');
SELECT credits.set_low_balance('s1', 20);
SELECT credits.set_topup_rule('s1', 10, 100, validity => '30 days', max_per_day => 2);
SELECT is((SELECT thresholds FROM credits.alert_rules WHERE account = (SELECT id FROM me)), '{75,90,100}'::numeric[], 'thresholds are kept sorted');
SELECT is((SELECT count(*) FROM credits.audit_log WHERE table_name IN ('alert_rules', 'accounts') AND action = 'UPDATE' AND row_key IN ('s1', (SELECT id FROM me)::text)), 3::bigint, 'each setter is audited');

SELECT credits.debit('s1', 70);
SELECT is_empty($$SELECT * FROM credits.alerts WHERE account = (SELECT id FROM me)$$, '70% consumed: nothing yet');
SELECT credits.debit('s1', 10);
SELECT results_eq($$SELECT kind, level, balance::text FROM credits.alerts WHERE account = (SELECT id FROM me) ORDER BY id$$,
                  $$VALUES ('utilization', 75::numeric, '20')$$, '80%: the 75% alert, with the balance');
SELECT credits.debit('s1', 5);
SELECT results_eq($$SELECT kind, level FROM credits.alerts WHERE account = (SELECT id FROM me) ORDER BY id OFFSET 1$$,
                  $$VALUES ('low_balance', 20::numeric)$$, 'balance 15 < 20: low_balance');
SELECT credits.grant_credits('s1', 10, 'bonus');
SELECT credits.debit('s1', 10);
SELECT is((SELECT count(*) FROM credits.alerts WHERE account = (SELECT id FROM me) AND kind = 'low_balance'), 2::bigint, 'back at 25 (>= 20) re-arms it: 15 again is a second low_balance');
SELECT is((SELECT allowance_credits::text FROM credits.alert_rules WHERE account = (SELECT id FROM me)), '110', 'a bonus grant adds to the allowance');
SELECT credits.debit('s1', 12);
SELECT results_eq($$SELECT kind, level, (details->>'amount') FROM credits.alerts WHERE account = (SELECT id FROM me) AND kind IN ('utilization', 'topup_requested') ORDER BY id$$,
                  $$VALUES ('utilization', 75::numeric, NULL), ('utilization', 90::numeric, NULL), ('topup_requested', 10::numeric, '97')$$,
                  'balance 3: 90% fires once and one top-up is requested for target minus balance');
SELECT credits.debit('s1', 1);
SELECT is((SELECT count(*) FROM credits.topups WHERE account = (SELECT id FROM me) AND status = 'open'), 1::bigint, 'never two open requests');
SELECT credits.hold('s1', 1);
SELECT is((SELECT count(*) FROM credits.topups WHERE account = (SELECT id FROM me)), 1::bigint, 'a hold below the threshold does not request another either');
SELECT is((SELECT count(*) FROM credits.alerts WHERE account = (SELECT id FROM me) AND kind = 'utilization' AND level = 90), 1::bigint, 'falling further does not repeat a level');

-- delivery
SELECT is((SELECT count(*) FROM credits.claim_alerts(2)), 2::bigint, 'claim_alerts(max) hands out at most max');
SELECT is((SELECT count(*) FROM credits.claim_alerts()), 3::bigint, 'then the rest');
SELECT is_empty($$SELECT * FROM credits.claim_alerts()$$, 'each alert once');
SELECT throws_ok($$SELECT * FROM credits.claim_alerts(0)$$, '22023', NULL, 'max below 1: 22023');

-- fulfilment
CREATE TEMP TABLE req AS SELECT alert FROM credits.topups WHERE account = (SELECT id FROM me);
SELECT is(credits.fulfil_topup((SELECT alert FROM req), 0.09), credits.fulfil_topup((SELECT alert FROM req), 0.09), 'fulfil_topup is idempotent per alert');
SELECT is(credits.balance('s1')::text, '98', 'it granted target minus the balance at request time (97; 1 is held)');
SELECT results_eq($$SELECT g.kind, g.amount::text, g.cost_basis, g.expires_at FROM credits.grants g JOIN credits.topups t ON t.grant_id = g.id WHERE t.account = (SELECT id FROM me)$$,
                  $$VALUES ('purchased', '97', 0.09::numeric, '2026-01-31 00:00+00'::timestamptz)$$, 'the rule''s kind and validity, the worker''s cost basis');
SELECT is((SELECT allowance_credits::text FROM credits.alert_rules WHERE account = (SELECT id FROM me)), '98', 'a paid grant starts a new allowance');
SELECT throws_ok($$SELECT credits.fail_topup((SELECT alert FROM req), 'card declined')$$, 'CR013', NULL, 'failing a fulfilled top-up: CR013');
SELECT throws_ok($$SELECT credits.fulfil_topup(999999)$$, '22023', NULL, 'not a top-up request: 22023');

-- failure and max_per_day
SELECT credits.debit('s1', 94);
SELECT credits.fail_topup((SELECT max(alert) FROM credits.topups WHERE account = (SELECT id FROM me)), 'card declined');
SELECT credits.fail_topup((SELECT max(alert) FROM credits.topups WHERE account = (SELECT id FROM me)), 'card declined');
SELECT throws_ok($$SELECT credits.fulfil_topup((SELECT max(alert) FROM credits.topups WHERE account = (SELECT id FROM me)))$$, 'CR013', NULL, 'fulfilling a failed top-up: CR013');
SELECT credits.debit('s1', 1);
SELECT is((SELECT count(*) FROM credits.topups WHERE account = (SELECT id FROM me)), 2::bigint, 'max_per_day 2 reached: no third request');
SELECT is((SELECT count(*) FROM credits.alerts WHERE account = (SELECT id FROM me) AND kind = 'topup_refused'), 1::bigint, 'the refusal is an alert');
SELECT credits.debit('s1', 1);
SELECT is((SELECT count(*) FROM credits.alerts WHERE account = (SELECT id FROM me) AND kind = 'topup_refused'), 1::bigint, 'once a day, not per operation');
SELECT credits.debit('s1', 2);
SELECT is((SELECT count(*) FROM credits.alerts WHERE account = (SELECT id FROM me) AND kind = 'depleted'), 1::bigint, 'balance 0: depleted');

-- setters' errors
SELECT throws_ok($$SELECT credits.set_alert_thresholds('s1', '{0}')$$, '22023', NULL, 'a 0% threshold: 22023');
SELECT throws_ok($$SELECT credits.set_alert_thresholds('nobody', '{50}')$$, 'CR002', NULL, 'unknown account: CR002');
SELECT throws_ok($$SELECT credits.set_low_balance('s1', -1)$$, '22023', NULL, 'a negative threshold: 22023');
SELECT throws_ok($$SELECT credits.set_topup_rule('s1', 10, 5)$$, '22023', NULL, 'target not above threshold: 22023');
SELECT throws_ok($$SELECT credits.set_topup_rule('s1', 10, 50, 'nope')$$, '22023', NULL, 'unknown kind: 22023');

-- overdraft limit
SELECT credits.set_overdraft_limit('s1', 25);
SELECT is(credits.open_account('s1'), (SELECT id FROM credits.accounts WHERE key = 's1'), 'open_account retried as first called still returns the account');
SELECT lives_ok($$SELECT credits.debit('s1', 20)$$, 'the new limit applies');
SELECT throws_ok($$SELECT credits.set_overdraft_limit('s1', -1)$$, '22023', NULL, 'a negative limit: 22023');

-- expiry warnings, written by the sweep
SELECT credits.open_account('w1');
CREATE TEMP TABLE w AS SELECT credits.grant_credits('w1', 5, 'bonus', credits.clock() + interval '3 days') AS soon,
                              credits.grant_credits('w1', 7, 'bonus', credits.clock() + interval '10 days') AS later;
SELECT credits.set_expiry_warning('w1', '7 days');
SELECT credits.expire();
SELECT results_eq($$SELECT kind, details->>'credits', details->'grants' FROM credits.alerts
                    WHERE account = (SELECT id FROM credits.accounts WHERE key = 'w1')$$,
                  $$VALUES ('expiring', '5', jsonb_build_array((SELECT soon FROM w)))$$,
                  'the sweep warns about what expires within 7 days');
SELECT credits.expire();
SELECT is((SELECT count(*) FROM credits.alerts WHERE account = (SELECT id FROM credits.accounts WHERE key = 'w1')), 1::bigint, 'a grant is warned about once');
SET LOCAL credits.test_clock = '2026-01-05 00:00:00+00';
SELECT credits.expire();
SELECT results_eq($$SELECT details->'grants' FROM credits.alerts
                    WHERE account = (SELECT id FROM credits.accounts WHERE key = 'w1') ORDER BY id$$,
                  $$VALUES (jsonb_build_array((SELECT soon FROM w))), (jsonb_build_array((SELECT later FROM w)))$$,
                  'four days on, the next grant comes within the window');
SELECT throws_ok($$SELECT credits.set_expiry_warning('w1', '0 days')$$, '22023', NULL, 'a window that is not positive: 22023');

SELECT is_empty($$SELECT * FROM credits.check_invariants()$$, 'check_invariants() is empty');
SELECT * FROM finish();
ROLLBACK;
