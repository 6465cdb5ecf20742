-- pgTAP: the journal's anchor and coverage, tampering detected, definitions
-- validated, overlapping SLA periods refused, messages valid UTF-8, NULLs.
BEGIN;
SELECT plan(53);
SET LOCAL credits.test_clock = '2026-01-01 00:00:00+00';

SELECT credits.open_account('h1');
SELECT credits.grant_credits('h1', 100, 'purchased', '2026-12-31+00', cost_basis => 0.5, reference => 'order|1');
SELECT credits.grant_credits('h1', 10, 'promotional', '2026-06-30+00');
SELECT credits.debit('h1', 15, 'use-1');
SELECT credits.open_account('h2');
SELECT credits.grant_credits('h2', 5);

-- the journal: encoding 2, anchored, covering operations and grants
SELECT is((SELECT array_agg(DISTINCT e.encoding) FROM credits.entries e JOIN credits.accounts a ON a.id = e.account WHERE a.key IN ('h1', 'h2')), '{2}', 'new entries use encoding 2');
SELECT is((SELECT bool_and(ok) FROM credits.verify_chain()), true, 'every chain verifies');
SELECT is_empty('SELECT * FROM credits.check_invariants()', 'no invariant is broken');

-- the chain trigger refuses an entry that does not continue the chain
SELECT throws_ok($$INSERT INTO credits.entries (operation, account, "grant", type, delta, grant_remaining_after,
        account_balance_after, seq, effective_at, recorded_at, prev_hash, hash)
    SELECT e.operation, e.account, e."grant", 'burn', '-1', '0', '0', e.seq + 2, e.effective_at,
           e.recorded_at, e.hash, '\x'
    FROM credits.entries e JOIN credits.accounts a ON a.id = e.account
    WHERE a.key = 'h1' ORDER BY e.seq DESC LIMIT 1$$,
    'CR012', NULL, 'an entry that skips a seq is CR012');
SELECT throws_ok($$INSERT INTO credits.entries (operation, account, "grant", type, delta, grant_remaining_after,
        account_balance_after, seq, effective_at, recorded_at, prev_hash, hash)
    SELECT e.operation, e.account, e."grant", 'burn', '-1', '0', '0', e.seq + 1, e.effective_at,
           e.recorded_at, e.prev_hash, '\x'
    FROM credits.entries e JOIN credits.accounts a ON a.id = e.account
    WHERE a.key = 'h1' ORDER BY e.seq DESC LIMIT 1$$,
    'CR012', NULL, 'an entry whose prev_hash is not its predecessor''s hash is CR012');
SELECT throws_ok($$INSERT INTO credits.entries (operation, account, "grant", type, delta, grant_remaining_after,
        account_balance_after, seq, effective_at, recorded_at, prev_hash, hash)
    SELECT o.id, e.account, NULL, 'overdraft', '-1', '-1', '-1', e.seq + 1, e.effective_at,
           e.recorded_at, e.hash, '\x'
    FROM credits.entries e JOIN credits.accounts a ON a.id = e.account
    JOIN credits.operations o ON o.account <> e.account
    WHERE a.key = 'h1' ORDER BY e.seq DESC LIMIT 1$$,
    'CR012', NULL, 'an entry of another account''s operation is CR012');

-- a forged append that continues the chain still misses the anchor
SAVEPOINT forged;
INSERT INTO credits.entries (operation, account, "grant", type, delta, grant_remaining_after,
        account_balance_after, seq, effective_at, recorded_at, prev_hash, hash)
    SELECT e.operation, e.account, e."grant", 'burn', '-1', '0', '0', e.seq + 1, e.effective_at,
           e.recorded_at, e.hash, '\x'
    FROM credits.entries e JOIN credits.accounts a ON a.id = e.account
    WHERE a.key = 'h1' ORDER BY e.seq DESC LIMIT 1;
SELECT is((SELECT first_bad_seq FROM credits.verify_chain('h1')), (SELECT last_seq + 1 FROM credits.accounts WHERE key = 'h1'),
          'a forged append past the anchor is reported at its seq');
SELECT is((SELECT ok FROM credits.verify_chain('h2')), true, 'other accounts still verify');
ROLLBACK TO SAVEPOINT forged;

-- the last entry deleted (triggers disabled, as a superuser could)
SAVEPOINT deleted;
ALTER TABLE credits.entries DISABLE TRIGGER USER;
DELETE FROM credits.entries WHERE id = (SELECT max(e.id) FROM credits.entries e JOIN credits.accounts a ON a.id = e.account WHERE a.key = 'h1');
SELECT is((SELECT first_bad_seq FROM credits.verify_chain('h1')), (SELECT last_seq FROM credits.accounts WHERE key = 'h1'),
          'a deleted last entry is reported at the anchor''s seq');
SELECT ok((SELECT count(*) FROM credits.check_invariants() WHERE account = 'h1' AND problem LIKE 'hash chain broken%no such entry%') = 1,
          'check_invariants says the anchor expects an entry');
ROLLBACK TO SAVEPOINT deleted;

-- a forged entry with a forged hash at the end, the anchor moved along
SAVEPOINT rewritten;
ALTER TABLE credits.entries DISABLE TRIGGER USER;
UPDATE credits.entries SET delta = '-14' WHERE id = (SELECT max(e.id) FROM credits.entries e JOIN credits.accounts a ON a.id = e.account WHERE a.key = 'h1');
SELECT is((SELECT ok FROM credits.verify_chain('h1')), false, 'a changed entry breaks the chain');
ROLLBACK TO SAVEPOINT rewritten;

-- a grant's defining attributes cannot change, and a change is detected
SELECT throws_ok($$UPDATE credits.grants SET expires_at = '2030-01-01+00' WHERE reference = 'order|1'$$,
    'CR005', NULL, 'UPDATE of a grant''s expiry is CR005');
SELECT throws_ok($$UPDATE credits.grants SET cost_basis = 0.4 WHERE reference = 'order|1'$$,
    'CR005', NULL, 'UPDATE of a grant''s cost basis is CR005');
SELECT lives_ok($$UPDATE credits.grants SET metadata = '{"note": 1}' WHERE reference = 'order|1'$$,
    'metadata may still change');
SAVEPOINT grant_tampered;
ALTER TABLE credits.grants DISABLE TRIGGER grants_immutable;
UPDATE credits.grants SET expires_at = '2030-01-01+00' WHERE reference = 'order|1';
SELECT is((SELECT ok FROM credits.verify_chain('h1')), false, 'a grant whose expiry was changed breaks the chain');
SELECT is((SELECT first_bad_seq FROM credits.verify_chain('h1')),
          (SELECT min(e.seq) FROM credits.entries e JOIN credits.grants g ON g.id = e."grant" WHERE g.reference = 'order|1'),
          'at the grant''s first entry');
SELECT ok((SELECT count(*) FROM credits.check_invariants() c JOIN credits.grants g ON g.reference = 'order|1'
           WHERE c.account = 'h1' AND c.problem LIKE '%grant ' || g.id || ')%') = 1,
          'check_invariants names the grant');
ROLLBACK TO SAVEPOINT grant_tampered;
SAVEPOINT priority_tampered;
ALTER TABLE credits.grants DISABLE TRIGGER grants_immutable;
UPDATE credits.grants SET priority = 1 WHERE reference = 'order|1';
SELECT is((SELECT ok FROM credits.verify_chain('h1')), false, 'a changed priority is detected');
ROLLBACK TO SAVEPOINT priority_tampered;
SAVEPOINT op_tampered;
ALTER TABLE credits.operations DISABLE TRIGGER USER;
UPDATE credits.operations SET amount = '1' WHERE idempotency_key = 'use-1' AND account = (SELECT id FROM credits.accounts WHERE key = 'h1');
SELECT is((SELECT ok FROM credits.verify_chain('h1')), false, 'an operation whose amount was changed breaks the chain');
ROLLBACK TO SAVEPOINT op_tampered;
SAVEPOINT key_tampered;
ALTER TABLE credits.operations DISABLE TRIGGER USER;
UPDATE credits.operations SET idempotency_key = 'use-2' WHERE idempotency_key = 'use-1' AND account = (SELECT id FROM credits.accounts WHERE key = 'h1');
SELECT is((SELECT ok FROM credits.verify_chain('h1')), false, 'a changed idempotency key is detected');
ROLLBACK TO SAVEPOINT key_tampered;
SELECT is((SELECT bool_and(ok) FROM credits.verify_chain()), true, 'untampered, every chain verifies again');

-- definitions: every bad value is 22023
SELECT throws_ok($$SELECT credits.define_pack('p', 10, 'NaN')$$, '22023', NULL, 'a NaN pack price');
SELECT throws_ok($$SELECT credits.define_pack('p', 10, 'Infinity')$$, '22023', NULL, 'an infinite pack price');
SELECT throws_ok($$SELECT credits.define_pack('p', 10, -1)$$, '22023', NULL, 'a negative pack price');
SELECT throws_ok($$SELECT credits.define_pack('p', 10, 9, validity => '0')$$, '22023', NULL, 'a zero pack validity');
SELECT throws_ok($$SELECT credits.define_pack('p', 10, 9, validity => '-1 day')$$, '22023', NULL, 'a negative pack validity');
SELECT throws_ok($$SELECT credits.define_pack('p', 10, 9, bonus_credits => 1, bonus_validity => '0')$$, '22023', NULL, 'a zero bonus validity');
SELECT throws_ok($$SELECT credits.define_pack('', 10, 9)$$, '22023', NULL, 'an empty pack code');
SELECT throws_ok($$SELECT credits.define_reward_rule('r', 'loyalty', 'NaN')$$, '22023', NULL, 'a NaN reward percent');
SELECT throws_ok($$SELECT credits.define_reward_rule('r', 'loyalty', 'Infinity')$$, '22023', NULL, 'an infinite reward percent');
SELECT throws_ok($$SELECT credits.define_reward_rule('r', 'loyalty', 10, validity => '0')$$, '22023', NULL, 'a zero reward validity');
SELECT throws_ok($$SELECT credits.define_reward_rule('r', 'loyalty', 10, cap_per_account => 5, period => '-1 day')$$,
    '22023', NULL, 'a negative reward period (which would disable the cap)');
SELECT throws_ok($$SELECT credits.define_reward_rule('r', 'loyalty', 10, period => '0')$$, '22023', NULL, 'a zero reward period');
SELECT throws_ok($$SELECT credits.define_kind('', 'paid')$$, '22023', NULL, 'an empty kind');
SELECT throws_ok($$SELECT credits.open_account('no-unit', '')$$, '22023', NULL, 'an empty unit');
SELECT throws_ok($$SELECT credits.define_sla_policy('', '[{"credit_percent": 10}]')$$, '22023', NULL, 'an empty SLA policy name');
SELECT throws_ok($$SELECT credits.define_sla_policy('s', '[{"upper": 99, "credit_percent": 10}]', 'NaN')$$, '22023', NULL, 'a NaN SLA cap');
SELECT throws_ok($$SELECT credits.define_sla_policy('s', '[{"upper": "Infinity", "credit_percent": 10}]')$$, '22023', NULL, 'an infinite tier bound');
SELECT throws_ok($$SELECT credits.define_sla_policy('s', '[{"upper": 99, "credit_percent": "NaN"}]')$$, '22023', NULL, 'a NaN tier percent');
SELECT is((SELECT count(*)::int FROM credits.packs WHERE code IN ('p', '')) + (SELECT count(*)::int FROM credits.reward_rules WHERE code = 'r')
          + (SELECT count(*)::int FROM credits.sla_policies WHERE name IN ('s', '')), 0, 'and none of them was stored');
SELECT throws_ok($$SELECT credits.sla_credit(100, 100.5, 'aws-rds-multi-az')$$, '22023', NULL, 'an uptime above 100');
SELECT throws_ok($$SELECT credits.sla_credit(100, -1, 'aws-rds-multi-az')$$, '22023', NULL, 'a negative uptime');

-- SLA credits: an overlapping period is CR011, the same period returns the first
SELECT ok(credits.issue_sla_credit('h1', 'aws-rds-multi-az', 300, '[2026-02-01,2026-03-01)', '{[2026-02-10 10:00,2026-02-10 11:05)}') > 0,
          'an SLA credit for February');
SELECT is(credits.issue_sla_credit('h1', 'aws-rds-multi-az', 300, '[2026-02-01,2026-03-01)', '{[2026-02-10 10:00,2026-02-10 11:05)}'),
          (SELECT grant_id FROM credits.sla_credits ORDER BY id DESC LIMIT 1), 'the same period again returns the first grant');
SELECT throws_ok($$SELECT credits.issue_sla_credit('h1', 'aws-rds-multi-az', 300, '[2026-02-15,2026-03-15)', '{[2026-02-20 10:00,2026-02-20 11:05)}')$$,
    'CR011', NULL, 'a shifted, overlapping period is CR011');
SELECT throws_ok($$SELECT credits.issue_sla_credit('h1', 'aws-rds-multi-az', 300, '[2026-01-01,2026-04-01)', '{}')$$,
    'CR011', NULL, 'a period enclosing a credited one is CR011');
SELECT lives_ok($$SELECT credits.issue_sla_credit('h1', 'aws-rds-multi-az', 300, '[2026-03-01,2026-04-01)', '{}')$$,
    'the adjacent month is fine');
SELECT lives_ok($$SELECT credits.issue_sla_credit('h1', 'aws-s3-standard', 300, '[2026-02-15,2026-03-15)', '{}')$$,
    'another policy for an overlapping period is fine');

-- long messages are cut on character boundaries
CREATE FUNCTION pg_temp.error_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE query;
    RETURN NULL;
EXCEPTION WHEN others THEN
    RETURN SQLERRM;
END $$;
SELECT is(convert_from(textsend(pg_temp.error_of($$SELECT ('x' || repeat('é', 150))::credit$$)), 'UTF8'),
          'invalid input syntax for type credit: "x' || repeat('é', 99) || '..."', 'echoed input is cut between characters');
SELECT ok(octet_length(convert_from(textsend(pg_temp.error_of(format('SELECT credits.debit(%L, 1)', repeat('é', 600)))), 'UTF8')) BETWEEN 1000 AND 1023,
          'a long message is cut between characters, within 1023 bytes');

-- NULLs: pure computations give NULL, writes raise 22004
SELECT is(credits.prorate(NULL, '2026-01-01', '2026-02-01', '2026-01-16'), NULL, 'prorate(NULL, ...) is NULL');
SELECT throws_ok($$SELECT credits.debit('h1', NULL)$$, '22004', NULL, 'debit(..., NULL) is 22004');
SELECT throws_ok($$SELECT credits.define_pack(NULL, 10, 9)$$, '22004', NULL, 'define_pack(NULL, ...) is 22004');

SELECT * FROM finish();
ROLLBACK;
