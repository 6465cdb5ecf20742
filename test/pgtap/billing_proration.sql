-- pgTAP: proration, plan changes and their errors.
BEGIN;
SELECT plan(49);

-- worked examples of public proration rules (Stripe's and Chargebee's documentation)
SELECT results_eq($$SELECT unused_credit::text, remaining_charge::text, net::text
                    FROM credits.plan_change(500, 300, '2025-04-01+00', '2025-05-01+00', '2025-04-16+00')$$,
                  $$VALUES ('250', '150', '-100')$$, '500 -> 300 at the midpoint of April 2025');
SELECT results_eq($$SELECT unused_credit::text, remaining_charge::text, net::text
                    FROM credits.plan_change(500, 300, '2025-01-01+00', '2025-02-01+00', '2025-01-16+00')$$,
                  $$VALUES ('258.06', '154.84', '-103.22')$$, 'January 2025, change Jan 16: f = 16/31, net of rounded lines');
SELECT results_eq($$SELECT unused_credit::text, remaining_charge::text, net::text
                    FROM credits.plan_change(10 * 12, 15 * 12, '2025-06-01+00', '2025-07-01+00', '2025-06-21+00', 'day')$$,
                  $$VALUES ('40', '60', '20')$$, '10 -> 15 seats at 12.00 with 10 of 30 days left');

-- bases
SELECT is(credits.unused_fraction('2021-01-01+00', '2021-02-01+00', '2021-01-27+00', 'day'), '{5,31}'::bigint[], 'day: actual days');
SELECT is(credits.unused_fraction('2021-01-01+00', '2021-02-01+00', '2021-01-27+00', 'actual_360'), '{5,30}'::bigint[], 'actual_360: actual days over 30');
SELECT is(credits.unused_fraction('2021-01-01+00', '2021-02-01+00', '2021-01-27+00', '30_360'), '{4,30}'::bigint[], '30_360: 30-day months');
SELECT is(credits.unused_fraction('2021-02-01+00', '2021-03-01+00', '2021-02-27+00', '30_360'), '{4,30}'::bigint[], '30_360 in a 28-day February');
SELECT is(credits.unused_fraction('2025-04-01+00', '2025-05-01+00', '2025-04-16+00'), ARRAY[15 * 86400 * 1000000::bigint, 30 * 86400 * 1000000::bigint], 'second: microseconds');
SELECT is(credits.prorate(29, '2024-02-01+00', '2024-03-01+00', '2024-02-02+00', 'day')::text, '28', 'a leap February has 29 days');
SELECT is(credits.prorate(366, '2024-01-01+00', '2025-01-01+00', '2024-12-31+00', 'day')::text, '1', 'a leap year has 366 days');
-- daylight saving: March 2025 in New York is 743 hours; in days it is 31
SELECT is(credits.unused_fraction('2025-03-01 00:00 America/New_York', '2025-04-01 00:00 America/New_York',
                                  '2025-03-16 00:00 America/New_York', 'second', 'America/New_York')::text,
          '{1382400000000,2674800000000}', 'second basis: a 743-hour month');
SELECT is(credits.unused_fraction('2025-03-01 00:00 America/New_York', '2025-04-01 00:00 America/New_York',
                                  '2025-03-16 00:00 America/New_York', 'day', 'America/New_York'), '{16,31}'::bigint[],
          'day basis counts local calendar days');
SELECT isnt(credits.unused_fraction('2025-03-01 00:00 America/New_York', '2025-04-01 00:00 America/New_York',
                                    '2025-03-16 02:00+00', 'day', 'UTC'),
            credits.unused_fraction('2025-03-01 00:00 America/New_York', '2025-04-01 00:00 America/New_York',
                                    '2025-03-16 02:00+00', 'day', 'America/New_York'),
            'the time zone decides which day a change falls on');

-- boundaries and rounding
SELECT is(credits.prorate('99.99', '2025-04-01+00', '2025-05-01+00', '2025-04-01+00', b)::text, '99.99', 'change at period_start: the full amount (' || b || ')')
FROM unnest(ARRAY['second', 'day', 'actual_360', '30_360']) b;
SELECT is(credits.prorate('99.99', '2025-04-01+00', '2025-05-01+00', '2025-05-01+00', b)::text, '0', 'change at period_end: 0 (' || b || ')')
FROM unnest(ARRAY['second', 'day', 'actual_360', '30_360']) b;
SELECT is(credits.prorate(100, '2025-01-01+00', '2025-01-09+00', '2025-01-08+00', 'day', 0, 'half_even')::text, '12', 'half_even: 12.5 -> 12');
SELECT is(credits.prorate(100, '2025-01-01+00', '2025-01-09+00', '2025-01-08+00', 'day', 0)::text, '13', 'half_up by default: 12.5 -> 13');
SELECT is(credits.prorate(100, '2025-01-01+00', '2025-01-09+00', '2025-01-08+00', 'day', 9)::text, '12.5', 'digits');
SELECT is(credits.cumulative_net('{500}', '{300}', '{16,31}')::text, '-103.23', 'cumulative_net rounds the exact net once');

-- errors
SELECT throws_ok($$SELECT credits.prorate(1, '2025-05-01+00', '2025-04-01+00', '2025-04-15+00')$$, '22023', NULL, 'period_end before period_start is 22023');
SELECT throws_ok($$SELECT credits.prorate(1, '2025-04-01+00', '2025-05-01+00', '2025-05-02+00')$$, '22023', NULL, 'change_at after the period is 22023');
SELECT throws_ok($$SELECT credits.prorate(1, '2025-04-01+00', '2025-05-01+00', '2025-03-31+00')$$, '22023', NULL, 'change_at before the period is 22023');
SELECT throws_ok($$SELECT credits.prorate(1, '2025-04-01+00', '2025-05-01+00', '2025-04-15+00', 'hour')$$, '22023', NULL, 'an unknown basis is 22023');
SELECT throws_ok($$SELECT credits.prorate(1, '2025-04-01+00', '2025-05-01+00', '2025-04-15+00', digits => 10)$$, '22023', NULL, 'digits above 9 is 22023');
SELECT throws_ok($$SELECT credits.prorate(1, '2025-04-01+00', '2025-05-01+00', '2025-04-15+00', rounding => 'nearest')$$, '22023', NULL, 'an unknown rounding mode is 22023');
SELECT throws_ok($$SELECT credits.prorate(1, '2025-04-01+00', '2025-05-01+00', '2025-04-15+00', tz => 'Mars/Olympus')$$, '22023', NULL, 'an unknown time zone is 22023');
SELECT throws_ok($$SELECT credits.prorate(1, '2025-04-01 01:00+00', '2025-04-01 05:00+00', '2025-04-01 02:00+00', 'day')$$, '22023', NULL, 'a day basis cannot count a period shorter than a day');
SELECT is(credits.prorate(NULL, '2025-04-01+00', '2025-05-01+00', '2025-04-15+00'), NULL, 'prorate is strict');

-- apply_plan_change: a chain of three changes in one period
SET LOCAL credits.test_clock = '2025-01-10+00';
SELECT credits.open_account('plan');
SELECT results_eq($$SELECT net::text, grant_id IS NOT NULL FROM credits.apply_plan_change('plan', 500, 300, '2025-01-01+00', '2025-02-01+00', '2025-01-10+00')$$,
                  $$VALUES ('-141.94', true)$$, 'a downgrade grants proration credit');
SET LOCAL credits.test_clock = '2025-01-16+00';
SELECT results_eq($$SELECT net::text FROM credits.apply_plan_change('plan', 300, 100, '2025-01-01+00', '2025-02-01+00', '2025-01-16+00')$$,
                  $$VALUES ('-103.22')$$, 'a second downgrade');
SET LOCAL credits.test_clock = '2025-01-20+00';
SELECT results_eq($$SELECT net::text FROM credits.apply_plan_change('plan', 100, 0, '2025-01-01+00', '2025-02-01+00', '2025-01-20+00', idempotency_key => 'last')$$,
                  $$VALUES ('-38.71')$$, 'a third, cancelling');
SELECT is((SELECT sum(amount)::text FROM credits.grants g JOIN credits.accounts a ON a.id = g.account WHERE a.key = 'plan' AND g.kind = 'proration'),
          '283.87', 'the credits add up to the rounded exact total 8800/31, no drift');
SELECT is((SELECT net::text FROM credits.apply_plan_change('plan', 100, 0, '2025-01-01+00', '2025-02-01+00', '2025-01-20+00', idempotency_key => 'last')),
          '-38.71', 'a retry returns the first result');
SELECT throws_ok($$SELECT * FROM credits.apply_plan_change('plan', 100, 10, '2025-01-01+00', '2025-02-01+00', '2025-01-20+00', idempotency_key => 'last')$$,
                 'CR004', NULL, 'the same key with other arguments is CR004');
SELECT results_eq($$SELECT net::text, grant_id FROM credits.apply_plan_change('plan', 100, 300, '2025-02-01+00', '2025-03-01+00', '2025-02-01+00')$$,
                  $$VALUES ('200', NULL::bigint)$$, 'an upgrade: a positive net for the application to bill, no grant');
SELECT throws_ok($$SELECT * FROM credits.apply_plan_change('nobody', 1, 0, '2025-01-01+00', '2025-02-01+00', '2025-01-20+00')$$, 'CR002', NULL, 'unknown account is CR002');
SELECT throws_ok($$SELECT * FROM credits.apply_plan_change('plan', -1, 0, '2025-01-01+00', '2025-02-01+00', '2025-01-20+00')$$, '22023', NULL, 'a negative amount is 22023');
SELECT throws_ok($$SELECT * FROM credits.apply_plan_change('plan', NULL, 0, '2025-01-01+00', '2025-02-01+00', '2025-01-20+00')$$, '22004', NULL, 'NULL is 22004');

-- credits never exceed what was paid for the period: 100 up front plus 50
-- charged by an upgrade; a change claiming 1000 would credit 400
SET LOCAL credits.test_clock = '2025-03-10+00';
SELECT credits.open_account('paid-cap');
SELECT results_eq($$SELECT net::text FROM credits.apply_plan_change('paid-cap', 100, 200, '2025-03-01+00', '2025-03-11+00', '2025-03-06+00', 'day')$$,
                  $$VALUES ('50')$$, 'an upgrade at half time charges 50');
SELECT results_eq($$SELECT net::text FROM credits.apply_plan_change('paid-cap', 1000, 0, '2025-03-01+00', '2025-03-11+00', '2025-03-07+00', 'day')$$,
                  $$VALUES ('-150')$$, 'credits stop at the 150 paid for the period');
SELECT results_eq($$SELECT o.type, o.amount::text FROM credits.plan_changes p JOIN credits.operations o ON o.id = p.operation
                    JOIN credits.accounts a ON a.id = p.account WHERE a.key = 'paid-cap' ORDER BY p.id$$,
                  $$VALUES ('plan_change', NULL), ('plan_change', '150')$$, 'each change is one operation');
SELECT is((SELECT bool_and(ok) FROM credits.verify_chain('paid-cap')), true, 'the journal verifies');
SELECT is_empty($$SELECT * FROM credits.check_invariants()$$, 'check_invariants is empty');

SELECT * FROM finish();
ROLLBACK;
