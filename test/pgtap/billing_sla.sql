-- pgTAP: uptime, SLA policies and SLA credits.
BEGIN;
SELECT plan(39);

-- uptime: merged, clipped, excluded, minimum length; exact
SELECT is(credits.uptime('[2025-04-01,2025-05-01)', '{}'), 100::numeric, 'no outages: 100');
SELECT is(credits.uptime('[2025-04-01,2025-05-01)', '{[2025-04-03 10:00,2025-04-03 10:21:36)}'), 99.95, '21m36s in 30 days: exactly 99.95');
SELECT is(credits.uptime('[2025-04-01,2025-05-01)', '{[2025-04-03 10:00,2025-04-03 10:30), [2025-04-03 10:20,2025-04-03 10:45)}'),
          credits.uptime('[2025-04-01,2025-05-01)', '{[2025-04-03 10:00,2025-04-03 10:45)}'), 'overlapping outages count once');
SELECT is(credits.uptime('[2025-04-01,2025-05-01)', '{[2025-03-31 00:00,2025-04-01 00:43:12)}'), 99.9, 'an outage across the start is clipped');
SELECT is(credits.uptime('[2025-04-01,2025-05-01)', '{[2025-04-30 23:16:48,2025-05-02)}'), 99.9, 'an outage across the end is clipped');
SELECT is(credits.uptime('[2025-04-01,2025-05-01)', '{[2025-04-03 10:00,2025-04-03 11:00)}', '{[2025-04-03 10:00,2025-04-03 10:38:24)}'),
          99.95, 'excluded windows are removed');
SELECT is(credits.uptime('[2025-04-01,2025-05-01)', '{[2025-04-03 10:00,2025-04-03 10:00:59), [2025-04-04 10:00,2025-04-04 10:21:36)}', '{}', '1 minute'),
          99.95, 'outages shorter than min_outage are ignored');
SELECT throws_ok($$SELECT credits.uptime('empty', '{}')$$, '22023', NULL, 'an empty period is 22023');
SELECT throws_ok($$SELECT credits.uptime('[2025-04-01,)', '{}')$$, '22023', NULL, 'an unbounded period is 22023');
SELECT throws_ok($$SELECT credits.uptime('[2025-04-01,2025-05-01)', '{}', '{}', '1 month')$$, '22023', NULL, 'min_outage in months is 22023');

-- the shipped schedules, at their exact bounds
SELECT is(credits.sla_credit(200, 99.95, 'aws-rds-multi-az')::text, '0', 'RDS: 99.95 meets the commitment');
SELECT is(credits.sla_credit(200, 99.9499, 'aws-rds-multi-az')::text, '20', 'RDS: just below is 10%');
SELECT is(credits.sla_credit(200, 99.0, 'aws-rds-multi-az')::text, '20', 'RDS: 99.0 is still 10% (inclusive)');
SELECT is(credits.sla_credit(200, 98.99, 'aws-rds-multi-az')::text, '50', 'RDS: below 99.0 is 25%');
SELECT is(credits.sla_credit(200, 94.99, 'aws-rds-multi-az')::text, '200', 'RDS: below 95.0 is 100%');
SELECT is(credits.sla_credit(100, 99.9, 'aws-s3-standard')::text, '0', 'S3: 99.9 meets the commitment');
SELECT is(credits.sla_credit(100, 99.98, 'azure-vm-zones')::text, '10', 'Azure: below 99.99 is 10%');
SELECT is(credits.sla_credit(100, 99.9, 'github-enterprise-cloud-legacy')::text, '10', 'GitHub: 99.9 is in the 10% tier (inclusive)');
SELECT throws_ok($$SELECT credits.sla_credit(100, 99.0, 'github-enterprise-cloud-legacy')$$, '22023', NULL, 'GitHub: exactly 99.0 is a gap, an error');
SELECT throws_ok($$SELECT credits.sla_credit(100, 99, 'no-such-policy')$$, '22023', NULL, 'an unknown policy is 22023');

-- caps and minimums, own policies
SELECT lives_ok($$SELECT credits.define_sla_policy('capped', '[{"lower": 99, "upper": 99.9, "credit_percent": 10}, {"upper": 99, "credit_percent": 50}]', 30, 5)$$, 'define_sla_policy');
SELECT is(credits.sla_credit(100, 90, 'capped')::text, '30', 'the cap limits the credit');
SELECT is(credits.sla_credit(40, 99.5, 'capped')::text, '0', 'below min_credit: nothing');
SELECT throws_ok($$SELECT credits.define_sla_policy('overlap', '[{"lower": 99, "upper": 99.9, "credit_percent": 10}, {"lower": 99.5, "credit_percent": 5}]')$$,
                 '22023', 'tiers 1 and 2 overlap', 'overlapping tiers are 22023');
SELECT throws_ok($$SELECT credits.define_sla_policy('odd', '[{"lo": 99, "credit_percent": 10}]')$$, '22023', NULL, 'unknown tier keys are 22023');
SELECT throws_ok($$SELECT credits.define_sla_policy('aws-rds-multi-az', '[{"credit_percent": 1}]')$$, '22023', NULL, 'shipped policies cannot be redefined');

-- issue_sla_credit: at most one per account, policy and period
SET LOCAL credits.test_clock = '2025-05-02+00';
SELECT credits.open_account('sla-customer');
SELECT ok(credits.issue_sla_credit('sla-customer', 'aws-rds-multi-az', 300, '[2025-04-01,2025-05-01)', '{[2025-04-03 10:00,2025-04-03 11:00)}') IS NOT NULL,
          'an SLA credit is granted');
SELECT is(credits.issue_sla_credit('sla-customer', 'aws-rds-multi-az', 300, '[2025-04-01,2025-05-01)', '{[2025-04-03 10:00,2025-04-03 11:00)}'),
          (SELECT s.grant_id FROM credits.sla_credits s JOIN credits.accounts a ON a.id = s.account WHERE a.key = 'sla-customer'), 'the same request again returns the first grant');
SELECT throws_ok($$SELECT credits.issue_sla_credit('sla-customer', 'aws-rds-multi-az', 300, '[2025-04-01,2025-05-01)', '{[2025-04-03 10:00,2025-04-03 13:00)}')$$,
                 'CR004', NULL, 'the same period with other outages is CR004, like a reused idempotency key');
SELECT is((SELECT kind || ' ' || amount FROM credits.grants g JOIN credits.accounts a ON a.id = g.account WHERE a.key = 'sla-customer'),
          'sla 30', 'one grant, kind sla, 10% of 300');
SELECT is(credits.issue_sla_credit('sla-customer', 'aws-rds-multi-az', 300, '[2025-05-01,2025-06-01)', '{}'), NULL, 'no credit when the commitment is met');

-- one pipeline: the same request hash, CR004 and journal as every writer
SELECT throws_ok($$SELECT credits.issue_sla_credit('sla-customer', 'aws-rds-multi-az', 300, '[2025-04-15,2025-05-15)', '{}')$$,
                 'CR011', NULL, 'a period overlapping one already credited is CR011');
SELECT ok(credits.issue_sla_credit('sla-customer', 'aws-s3-standard', 100, '[2025-04-01,2025-05-01)', '{[2025-04-03 10:00,2025-04-03 11:00)}', idempotency_key => 'sla-s3-apr') IS NOT NULL,
          'an SLA credit under an idempotency key');
SELECT throws_ok($$SELECT credits.issue_sla_credit('sla-customer', 'aws-s3-standard', 100, '[2025-06-01,2025-07-01)', '{}', idempotency_key => 'sla-s3-apr')$$,
                 'CR004', NULL, 'the key with other arguments is CR004');
SELECT throws_ok($$SELECT credits.issue_sla_credit('nobody', 'aws-s3-standard', 100, '[2025-04-01,2025-05-01)', '{}')$$,
                 'CR002', NULL, 'an unknown account is CR002');
SELECT throws_ok($$SELECT credits.issue_sla_credit('sla-customer', 'aws-s3-standard', 100, NULL, '{}')$$,
                 '22004', 'period must not be NULL', 'NULL is 22004, naming the argument');
SELECT results_eq($$SELECT o.type, o.amount::text, count(g.id)::int FROM credits.sla_credits s
                    JOIN credits.operations o ON o.id = s.operation LEFT JOIN credits.grants g ON g.operation = o.id
                    JOIN credits.accounts a ON a.id = s.account WHERE a.key = 'sla-customer' GROUP BY s.id, o.type, o.amount ORDER BY s.id$$,
                  $$VALUES ('sla_credit', '30', 1), ('sla_credit', NULL, 0), ('sla_credit', '10', 1)$$,
                  'each SLA decision is one operation, with its grant when the credit is not 0');
SELECT is((SELECT bool_and(ok) FROM credits.verify_chain('sla-customer')), true, 'and the journal verifies');
SELECT is_empty($$SELECT * FROM credits.check_invariants()$$, 'check_invariants is empty');

SELECT * FROM finish();
ROLLBACK;
