-- pgTAP: the analysts' views and report functions, on a ledger of its own unit
-- (so that a DBA's data in the same database does not change the figures).
BEGIN;
SELECT plan(51);
SET LOCAL credits.test_clock = '2026-01-01 00:00:00+00';

SELECT has_view('credits', v, 'view credits.' || v)
FROM unnest(ARRAY['account_balances', 'grant_status', 'ledger', 'burn_rate', 'churn_signals', 'liability_movements']) v;
SELECT has_function('credits', f, 'function credits.' || f)
FROM unnest(ARRAY['statement', 'liability', 'liability_rollforward', 'breakage', 'revenue_recognition']) f;
SELECT ok(has_table_privilege('credits_reader', 'credits.' || v, 'SELECT'), 'readers may read ' || v)
FROM unnest(ARRAY['account_balances', 'grant_status', 'ledger', 'burn_rate', 'churn_signals']) v;
SELECT is_empty($$SELECT c.relname, a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
                  WHERE c.relnamespace = 'credits'::regnamespace AND c.relkind = 'v' AND col_description(c.oid, a.attnum) IS NULL$$,
                'every column of every view has a COMMENT');

-- the scenario: a purchase, a bonus that expires, SLA credits, a debit, a reversal, a void, a transfer
SELECT credits.open_account('an1', 'tapunit');
SELECT credits.open_account('an2', 'tapunit');
CREATE TEMP TABLE g AS SELECT
    credits.grant_credits('an1', 100, 'purchased', cost_basis => 0.5) AS paid,
    credits.grant_credits('an1', 40, 'purchased', '2026-01-25+00', cost_basis => 0.25) AS pack,
    credits.grant_credits('an1', 20, 'bonus', '2026-01-20+00') AS bonus,
    credits.issue_sla_credit('an1', 'aws-rds-multi-az', 100, '[2026-01-01,2026-02-01)', '{[2026-01-02,2026-01-02 12:00)}') AS sla;
SET LOCAL credits.test_clock = '2026-01-10 00:00:00+00';
CREATE TEMP TABLE d AS SELECT credits.debit('an1', 30, reference => 'usage') AS op;
SELECT credits.reverse((SELECT op FROM d), 5, 'wrong charge');
SELECT credits.grant_credits('an1', 8, 'goodwill', reference => 'outage');
SELECT credits.grant_credits('an1', 9, 'goodwill', reference => 'outage');
SET LOCAL credits.test_clock = '2026-02-05 00:00:00+00';
SELECT credits.transfer('an1', 'an2', 10);
SELECT credits.void_grant((SELECT sla FROM g));
SELECT credits.expire();

SELECT is_empty($$SELECT * FROM credits.grant_status s JOIN credits.accounts a ON a.key = s.account WHERE a.unit = 'tapunit'
                  AND s.amount::numeric <> (s.consumed::numeric + s.held::numeric + s.remaining::numeric + s.expired::numeric
                                           + s.voided::numeric + s.transferred_out::numeric + s.rolled_over::numeric)$$,
                'grant_status: every grant''s credits are accounted for');
SELECT results_eq($$SELECT status, consumed::text, expired::text FROM credits.grant_status WHERE grant_id = (SELECT pack FROM g)$$,
                  $$VALUES ('expired', '5', '35')$$, 'the pack: 10 burned, 5 reversed, 35 expired');
SELECT results_eq($$SELECT status, voided::text, transferred_out::text FROM credits.grant_status WHERE grant_id = (SELECT sla FROM g)$$,
                  $$VALUES ('voided', '15', '10')$$, 'the SLA credit: 10 transferred, the rest voided');
SELECT results_eq($$SELECT account, balance::text, live_lots FROM credits.account_balances WHERE account IN ('an1', 'an2') ORDER BY 1$$,
                  $$VALUES ('an1', '117', 3::bigint), ('an2', '10', 1::bigint)$$, 'account_balances');
SELECT is((SELECT count(*) FROM credits.ledger WHERE account = 'an1'),
          (SELECT count(*) FROM credits.entries e JOIN credits.accounts a ON a.id = e.account WHERE a.key = 'an1'),
          'ledger: one row per entry');

-- statement
SELECT results_eq($$SELECT entry_type, amount::text, balance::text FROM credits.statement('an1', '2026-01-05', '2026-03-01') ORDER BY line$$,
                  $$VALUES ('opening', NULL, '185'), ('burn', '-20', '165'), ('burn', '-10', '155'), ('refund', '5', '160'),
                           ('grant', '8', '168'), ('grant', '9', '177'), ('expire', '-35', '142'), ('transfer', '-10', '132'),
                           ('void', '-15', '117'), ('closing', NULL, '117')$$,
                  'statement: opening, every movement with its running balance, closing');
SELECT is((SELECT balance FROM credits.statement('an1', '2026-01-05', '2026-03-01') WHERE entry_type = 'closing'),
          credits.balance('an1', '2026-02-28 23:59:59.999999'), 'statement: the closing balance is balance() just before to_ts');
SELECT throws_ok($$SELECT * FROM credits.statement('nobody', '2026-01-01', '2026-02-01')$$, 'CR002', NULL, 'statement of an unknown account: CR002');
SELECT throws_ok($$SELECT * FROM credits.statement('an1', '2026-02-01', '2026-01-01')$$, '22023', NULL, 'to_ts before from_ts: 22023');

-- liability, the roll-forward, breakage, revenue
SELECT results_eq($$SELECT category, kind, credits::text, value FROM credits.liability('2026-01-15') WHERE unit = 'tapunit'$$,
                  $$VALUES ('compensation', 'goodwill', '17', 0::numeric), ('compensation', 'sla', '25', 0),
                           ('paid', 'purchased', '135', 58.75)$$,
                  'liability on January 15th: what is outstanding and its value at cost basis');
SELECT results_eq($$SELECT category, credits::text FROM credits.liability() WHERE unit = 'tapunit'$$,
                  $$VALUES ('compensation', '17'), ('compensation', '10'), ('paid', '100')$$,
                  'liability now: the transferred SLA credits are still owed (by another account)');
SELECT results_eq($$SELECT period, category, opening::text, granted::text, consumed::text, refunded::text, expired::text,
                           voided::text, transferred::text, closing::text, closing_value
                    FROM credits.liability_rollforward('2026-01-01', '2026-03-01') WHERE unit = 'tapunit'$$,
                  $$VALUES ('2026-01-01 00:00+00'::timestamptz, 'compensation', '0', '42', '0', '0', '0', '0', '0', '42', 0::numeric),
                           ('2026-01-01 00:00+00', 'paid', '0', '140', '10', '5', '35', '0', '0', '100', 50.00),
                           ('2026-01-01 00:00+00', 'promotional', '0', '20', '20', '0', '0', '0', '0', '0', 0),
                           ('2026-02-01 00:00+00', 'compensation', '42', '0', '0', '0', '0', '15', '0', '27', 0),
                           ('2026-02-01 00:00+00', 'paid', '100', '0', '0', '0', '0', '0', '0', '100', 50.00),
                           ('2026-02-01 00:00+00', 'promotional', '0', '0', '0', '0', '0', '0', '0', '0', 0)$$,
                  'the roll-forward by month and category');
SELECT is_empty($$SELECT * FROM credits.liability_rollforward('2025-12-15', '2026-03-10', 'week') r
                  WHERE r.opening::numeric + r.granted::numeric - r.consumed::numeric + r.refunded::numeric - r.expired::numeric
                        - r.voided::numeric + r.transferred::numeric <> r.closing::numeric$$,
                'every row: opening + movements = closing');
SELECT is_empty($$SELECT * FROM (SELECT r.*, lead(r.opening) OVER (PARTITION BY r.unit, r.category ORDER BY r.period) AS next_opening
                                 FROM credits.liability_rollforward('2025-12-15', '2026-03-10', 'day') r) x
                  WHERE x.next_opening IS NOT NULL AND x.next_opening <> x.closing$$,
                'each closing is the next opening');
SELECT results_eq($$SELECT period, category, kind, credits::text, value FROM credits.breakage('2026-01-01', '2026-03-01') WHERE unit = 'tapunit'$$,
                  $$VALUES ('2026-01-01 00:00+00'::timestamptz, 'paid', 'purchased', '35', 8.75)$$, 'breakage: the pack''s 35 at 0.25');
SELECT results_eq($$SELECT recognized, breakage, refunds, promotional_consumed::text, compensation_consumed::text
                    FROM credits.revenue_recognition('2026-01-01', '2026-03-01') WHERE unit = 'tapunit'$$,
                  $$VALUES (1.25, 8.75, 1.25, '20', '0')$$,
                  'revenue: paid consumed net of refunds x cost basis, paid breakage at expiry, promotional consumption');
SELECT throws_ok($$SELECT * FROM credits.breakage('2026-01-01', '2026-03-01', 'fortnight')$$, '22023', NULL, 'an unknown grain: 22023');

-- burn rate and churn signals
SELECT results_eq($$SELECT consumed_30d::text, daily_average, projected_depletion FROM credits.burn_rate WHERE account = 'an1'$$,
                  $$VALUES ('25', 0.833333333, '2026-06-25 09:36+00'::timestamptz)$$,
                  'burn_rate: 25 in 30 days; 117 last until late June at that rate');
SELECT results_eq($$SELECT signal, count(*) FROM credits.churn_signals WHERE account = 'an1' GROUP BY 1 ORDER BY 1$$,
                  $$VALUES ('repeated_compensation', 2::bigint), ('repeated_reason', 1::bigint)$$,
                  'churn_signals: compensation twice within 30 days (twice), the same reason twice');

-- the period reports read credits.flow_totals where it covers the journal:
-- the same figures summed or not, whatever the periods and the time zone
SELECT has_table('credits', 'flow_totals', 'table credits.flow_totals');
SELECT has_function('credits', 'refresh_flow_totals', 'function credits.refresh_flow_totals');
SELECT ok(has_function_privilege('credits_admin', 'credits.refresh_flow_totals()', 'EXECUTE')
          AND NOT has_function_privilege('credits_writer', 'credits.refresh_flow_totals()', 'EXECUTE')
          AND NOT has_function_privilege('credits_reader', 'credits.summarize_flows(bigint)', 'EXECUTE'),
          'admins refresh the summed flows; nobody else writes them');
SELECT ok(has_table_privilege('credits_reader', 'credits.flow_totals', 'SELECT')
          AND NOT has_table_privilege('credits_admin', 'credits.flow_totals', 'INSERT'), 'readers read the summed flows');
CREATE TEMP TABLE reports (name text, tz text, line text);
CREATE FUNCTION pg_temp.reports(tz text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('TimeZone', tz, true);
    RETURN QUERY SELECT 'month ' || r::text FROM credits.liability_rollforward('2026-01-01', '2026-03-01') r WHERE unit = 'tapunit';
    RETURN QUERY SELECT 'day ' || r::text FROM credits.liability_rollforward('2026-01-09 23:52', '2026-02-05 00:07', 'day') r WHERE unit = 'tapunit';
    RETURN QUERY SELECT 'week ' || r::text FROM credits.liability_rollforward('2025-12-15', '2026-03-10', 'week') r WHERE unit = 'tapunit';
    RETURN QUERY SELECT 'breakage ' || r::text FROM credits.breakage('2026-01-20 03:01', '2026-02-05 00:00:01', 'day') r WHERE unit = 'tapunit';
    RETURN QUERY SELECT 'revenue ' || r::text FROM credits.revenue_recognition('2026-01-01', '2026-03-01', 'week') r WHERE unit = 'tapunit';
    PERFORM set_config('TimeZone', 'UTC', true);
END $$;
INSERT INTO reports SELECT 'raw', tz, pg_temp.reports(tz) FROM unnest(ARRAY['UTC', 'Asia/Kathmandu', 'America/St_Johns']) tz;
SELECT cmp_ok(credits.summarize_flows((SELECT max(id) FROM credits.entries)), '>=', 13::bigint,
              'summarize_flows sums the journal up to an id');
SELECT is(credits.summarize_flows((SELECT max(id) FROM credits.entries)), 0::bigint, 'and never sums an entry twice');
SELECT is_empty($$SELECT unit, kind, flow, sum(credits::numeric), sum(value), sum(entries) FROM credits.flow_totals GROUP BY 1, 2, 3
                  EXCEPT SELECT unit, kind, flow, sum(delta::numeric), sum(value), count(*) FROM credits.liability_movements GROUP BY 1, 2, 3$$,
                'flow_totals: the movements'' sums by unit, kind and flow');
SELECT is((SELECT count(*) FROM credits.flow_totals WHERE unit = 'tapunit' AND bucket <> credits.flow_bucket(bucket)), 0::bigint,
          'buckets start on quarter hours');
UPDATE credits.flow_totals SET entries = entries + 1 WHERE unit = 'tapunit' AND flow = 'expired';
SELECT results_eq($$SELECT account, left(problem, 32) FROM credits.check_invariants()$$,
                  $$VALUES (NULL::text, 'flow_totals: tapunit purchased e')$$, 'check_invariants() notices flow_totals off the journal');
UPDATE credits.flow_totals SET entries = entries - 1 WHERE unit = 'tapunit' AND flow = 'expired';
INSERT INTO reports SELECT 'summed', tz, pg_temp.reports(tz) FROM unnest(ARRAY['UTC', 'Asia/Kathmandu', 'America/St_Johns']) tz;
SELECT cmp_ok((SELECT count(*) FROM reports WHERE name = 'raw'), '>', 100::bigint, 'the reports have lines');
SELECT bag_eq($$SELECT tz, line FROM reports WHERE name = 'raw' AND tz = 'UTC'$$, $$SELECT tz, line FROM reports WHERE name = 'summed' AND tz = 'UTC'$$,
              'UTC: every report the same summed or not (periods cut mid-bucket too)');
SELECT bag_eq($$SELECT tz, line FROM reports WHERE name = 'raw' AND tz <> 'UTC'$$, $$SELECT tz, line FROM reports WHERE name = 'summed' AND tz <> 'UTC'$$,
              'UTC+05:45 and UTC-03:30 days: the same summed or not');
SET LOCAL credits.test_clock = '2026-02-20 00:00:00+00';
SELECT credits.debit('an2', 4);
SELECT results_eq($$SELECT consumed::text, closing::text FROM credits.liability_rollforward('2026-02-01', '2026-03-01')
                    WHERE unit = 'tapunit' AND category = 'compensation'$$,
                  $$VALUES ('4', '23')$$, 'entries after the summed ones count too');

SELECT is_empty($$SELECT * FROM credits.check_invariants()$$, 'check_invariants() is empty');
-- last: the ALTER locks the sequence (every writer's nextval) until the ROLLBACK
ALTER SEQUENCE credits.entries_id_seq CACHE 20;
SELECT throws_ok('SELECT credits.refresh_flow_totals()', '55000', NULL,
                 'refresh_flow_totals() refuses entry ids cached per session (taken out of order): 55000');
ALTER SEQUENCE credits.entries_id_seq CACHE 1;
SELECT * FROM finish();
ROLLBACK;
