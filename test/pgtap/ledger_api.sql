-- pgTAP: the ledger API, its burn order, idempotency, time travel and errors.
BEGIN;
SELECT plan(108);
SET LOCAL credits.test_clock = '2026-01-01 00:00:00+00';

-- objects
SELECT has_table('credits', t, 'table credits.' || t) FROM unnest(ARRAY['kinds', 'accounts', 'grants', 'operations', 'entries', 'audit_log']) t;
SELECT has_function('credits', f, 'function credits.' || f) FROM unnest(ARRAY['open_account', 'grant_credits', 'debit', 'try_debit', 'balance', 'grants_of', 'verify_chain', 'check_invariants', 'clock']) f;
SELECT is((SELECT count(*)::int FROM credits.kinds WHERE shipped), 9, 'nine shipped kinds');
SELECT ok((SELECT bool_and(prosecdef) FROM pg_proc WHERE pronamespace = 'credits'::regnamespace
           AND proname IN ('open_account', 'grant_credits', 'debit', 'try_debit', 'balance', 'grants_of')),
          'API functions are SECURITY DEFINER');
SELECT ok((SELECT bool_and(proconfig::text LIKE '%search_path=%') FROM pg_proc WHERE pronamespace = 'credits'::regnamespace AND prosecdef),
          'every SECURITY DEFINER function pins search_path');
SELECT ok(NOT has_function_privilege('public', 'credits.debit(text, credit, text, text, jsonb)', 'EXECUTE'), 'PUBLIC cannot EXECUTE debit');
SELECT is(credits.clock(), '2026-01-01 00:00:00+00'::timestamptz, 'the test clock drives the ledger');

-- accounts
SELECT ok(credits.open_account('acme') > 0, 'open_account returns an id');
SELECT is(credits.open_account('acme'), (SELECT id FROM credits.accounts WHERE key = 'acme'), 'the same key and settings return the same id');
SELECT throws_ok($$SELECT credits.open_account('acme', 'credit', 5)$$, 'CR004', NULL, 'the same key with other settings is CR004');
SELECT throws_ok($$SELECT credits.open_account(NULL)$$, '22004', NULL, 'NULL key is 22004');
SELECT throws_ok($$SELECT credits.open_account('neg', 'credit', -1)$$, '22023', NULL, 'negative overdraft limit is 22023');

-- grants and the burn order
SELECT ok(credits.grant_credits('acme', 100, 'purchased', '2026-12-31+00', cost_basis => 0.5) > 0, 'paid grant');
SELECT ok(credits.grant_credits('acme', 20, 'promotional', '2026-02-01+00') > 0, 'promotional grant expiring first');
SELECT ok(credits.grant_credits('acme', 50, 'sla') > 0, 'compensation grant that never expires');
SELECT ok(credits.grant_credits('acme', 5, 'bonus', '2026-12-31+00', priority => 10) > 0, 'a low priority number burns first');
SELECT ok(credits.grant_credits('acme', 7, 'referral', effective_at => '2026-01-10+00') > 0, 'a future grant');
SELECT is(credits.balance('acme')::text, '175', 'balance counts live grants only');
SELECT results_eq($$SELECT kind FROM credits.grants_of('acme')$$,
                  ARRAY['bonus', 'promotional', 'purchased', 'sla'],
                  'grants_of: priority, then expiry (never last)');
SELECT ok(credits.debit('acme', 30) > 0, 'debit');
SELECT results_eq($$SELECT kind, remaining::text FROM credits.grants_of('acme')$$,
                  $$VALUES ('purchased', '95'), ('sla', '50')$$,
                  'the debit burned bonus, then promotional, then purchased');
SELECT is((SELECT count(*)::int FROM credits.entries e JOIN credits.operations o ON o.id = e.operation JOIN credits.accounts a ON a.id = e.account WHERE o.type = 'debit' AND a.key = 'acme'), 3,
          'one entry per grant touched');
SELECT is(credits.balance('acme')::text, '145', 'balance after the debit');

-- time: the future grant becomes live, the promotional one has expired
SET LOCAL credits.test_clock = '2026-03-01 00:00:00+00';
SELECT is(credits.balance('acme')::text, '152', 'the future grant is live from its effective_at');
SELECT is(credits.balance('acme', '2026-01-05+00')::text, '145', 'balance as of a past instant');
SELECT is(credits.balance('acme', '2025-12-31+00')::text, '0', 'balance before anything happened');

-- burn-rank tie-break: same priority and expiry, promotional before paid
SELECT credits.open_account('ranks');
SELECT credits.grant_credits('ranks', 10, 'purchased', '2026-06-01+00');
SELECT credits.grant_credits('ranks', 10, 'goodwill', '2026-06-01+00');
SELECT credits.grant_credits('ranks', 10, 'loyalty', '2026-06-01+00');
SELECT results_eq($$SELECT kind FROM credits.grants_of('ranks')$$, ARRAY['loyalty', 'goodwill', 'purchased'],
                  'kinds.burn_rank breaks ties: promotional, compensation, paid');

-- lazy expiry
SELECT credits.open_account('expiring');
SELECT credits.grant_credits('expiring', 10, 'promotional', '2026-04-01+00');
SELECT credits.grant_credits('expiring', 10, 'purchased');
SET LOCAL credits.test_clock = '2026-05-01 00:00:00+00';
SELECT is(credits.balance('expiring')::text, '10', 'expired credits do not count, before any sweep');
SELECT is(credits.balance('expiring', '2026-03-31+00')::text, '20', 'they counted while live');
SELECT ok(credits.debit('expiring', 4) > 0, 'a debit touches the account');
SELECT is((SELECT e.effective_at FROM credits.entries e JOIN credits.accounts a ON a.id = e.account
           WHERE a.key = 'expiring' AND e.type = 'expire'), '2026-04-01+00'::timestamptz,
          'an expire entry effective at expires_at');
SELECT is((SELECT remaining::text FROM credits.grants g JOIN credits.accounts a ON a.id = g.account
           WHERE a.key = 'expiring' AND g.kind = 'promotional'), '0', 'the expired grant is emptied');
SELECT is(credits.balance('expiring')::text, '6', 'the debit burned only live credits');
SELECT throws_ok($$SELECT credits.debit('expiring', 7)$$, 'CR001', NULL, 'expired credits are never burned');

-- insufficient credits and overdraft
SELECT throws_ok($$SELECT credits.debit('expiring', 100)$$, 'CR001', 'insufficient credits on account "expiring"', 'CR001 beyond live credits');
SELECT is(credits.try_debit('expiring', 100), NULL, 'try_debit returns NULL instead');
SELECT is(credits.balance('expiring')::text, '6', 'and changes nothing');
SELECT credits.open_account('od', 'credit', 50);
SELECT credits.grant_credits('od', 10);
SELECT ok(credits.debit('od', 40) > 0, 'a debit beyond live credits within the overdraft limit');
SELECT is(credits.balance('od')::text, '-30', 'the balance goes negative');
SELECT is((SELECT debt::text FROM credits.accounts WHERE key = 'od'), '30', 'as debt');
SELECT throws_ok($$SELECT credits.debit('od', '20.000000001')$$, 'CR001', NULL, 'CR001 beyond the limit');
SELECT ok(credits.grant_credits('od', 100) > 0, 'a grant to an indebted account');
SELECT is(credits.balance('od')::text, '70', 'pays the debt first');
SELECT results_eq($$SELECT e.type, e.delta::text FROM credits.entries e JOIN credits.accounts a ON a.id = e.account
                    WHERE a.key = 'od' ORDER BY e.seq$$,
                  $$VALUES ('grant', '10'), ('burn', '-10'), ('overdraft', '-30'), ('grant', '100'), ('repay', '-30'), ('repay', '30')$$,
                  'and the entries show it');

-- idempotency
SELECT is(credits.debit('acme', 1, 'req-1'), credits.debit('acme', 1, 'req-1'), 'a retried debit returns the first result');
SELECT is((SELECT count(*)::int FROM credits.operations WHERE idempotency_key = 'req-1'), 1, 'and writes nothing more');
SELECT throws_ok($$SELECT credits.debit('acme', 2, 'req-1')$$, 'CR004', NULL, 'the same key with other arguments is CR004');
SELECT throws_ok($$SELECT credits.debit('acme', 1, 'req-1', 'another reference')$$, 'CR004', NULL, 'another reference is another request');
SELECT is(credits.grant_credits('acme', 3, idempotency_key => 'g-1'), credits.grant_credits('acme', 3, idempotency_key => 'g-1'), 'a retried grant returns the same grant');
SELECT throws_ok($$SELECT credits.grant_credits('acme', 3, 'bonus', idempotency_key => 'g-1')$$, 'CR004', NULL, 'a retried grant with another kind is CR004');

-- bad input: a clear error, nothing changed
SELECT throws_ok($$SELECT credits.debit('nobody', 1)$$, 'CR002', 'account "nobody" does not exist', 'unknown account is CR002');
SELECT throws_ok($$SELECT credits.balance('nobody')$$, 'CR002', NULL, 'balance of an unknown account is CR002');
SELECT throws_ok($$SELECT credits.debit('acme', 0)$$, '22023', NULL, 'amount 0 is 22023');
SELECT throws_ok($$SELECT credits.debit('acme', -1)$$, '22023', NULL, 'a negative amount is 22023');
SELECT throws_ok($$SELECT credits.grant_credits('acme', 0)$$, '22023', NULL, 'a zero grant is 22023');
SELECT throws_ok($$SELECT credits.grant_credits('acme', 1, 'gold')$$, '22023', 'unknown kind "gold" (see credits.kinds)', 'an unknown kind is 22023');
SELECT throws_ok($$SELECT credits.grant_credits('acme', 1, priority => 101)$$, '22023', NULL, 'priority above 100 is 22023');
SELECT throws_ok($$SELECT credits.grant_credits('acme', 1, priority => -1)$$, '22023', NULL, 'a negative priority is 22023');
SELECT throws_ok($$SELECT credits.grant_credits('acme', 1, expires_at => '2026-02-01+00', effective_at => '2026-06-01+00')$$, '22023', NULL, 'expires_at before effective_at is 22023');
SELECT throws_ok($$SELECT credits.grant_credits('acme', 1, expires_at => '2026-04-01+00')$$, '22023', NULL, 'expires_at in the past is 22023');
SELECT throws_ok($$SELECT credits.grant_credits('acme', 1, cost_basis => -1)$$, '22023', NULL, 'a negative cost basis is 22023');
SELECT throws_ok($$SELECT credits.debit(NULL, 1)$$, '22004', 'account must not be NULL', 'NULL account is 22004');
SELECT throws_ok($$SELECT credits.debit('acme', NULL)$$, '22004', NULL, 'NULL amount is 22004');
SELECT throws_ok($$SELECT credits.grant_credits('acme', 1, NULL)$$, '22004', NULL, 'NULL kind is 22004');
SELECT credits.set_account_status('acme', 'frozen');
SELECT throws_ok($$SELECT credits.debit('acme', 1)$$, 'CR003', 'account "acme" is frozen', 'a frozen account is CR003');
SELECT throws_ok($$SELECT credits.grant_credits('acme', 1)$$, 'CR003', NULL, 'a frozen account takes no grants');
SELECT credits.set_account_status('acme', 'active');
SET LOCAL credits.test_clock = '2026-02-01 00:00:00+00';
SELECT throws_ok($$SELECT credits.debit('acme', 1)$$, 'CR007', NULL, 'a clock before the latest entry is CR007');
SET LOCAL credits.test_clock = '2026-05-01 00:00:00+00';

-- admin helpers
SELECT lives_ok($$SELECT credits.define_kind('partner', 'promotional', description => 'partner programme')$$, 'define_kind adds a kind');
SELECT is((SELECT burn_rank FROM credits.kinds WHERE kind = 'partner'), 10, 'its burn_rank defaults by category');
SELECT ok(credits.grant_credits('od', 1, 'partner') > 0, 'and grants can use it');
SELECT throws_ok($$SELECT credits.define_kind('x', 'free')$$, '22023', NULL, 'an unknown category is 22023');
SELECT throws_ok($$SELECT credits.define_kind('purchased', 'promotional')$$, '22023', NULL, 'a shipped kind cannot be redefined');
SELECT throws_ok($$SELECT credits.set_account_status('acme', 'paused')$$, '22023', NULL, 'an unknown status is 22023');
SELECT throws_ok($$SELECT credits.set_account_status('nobody', 'frozen')$$, 'CR002', NULL, 'set_account_status on an unknown account is CR002');
CREATE FUNCTION pg_temp.hint_of(sql text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE h text;
BEGIN
    EXECUTE sql;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
    RETURN h;
END $f$;
SELECT is(pg_temp.hint_of($$SELECT credits.set_account_status('nobody', 'frozen')$$),
          pg_temp.hint_of($$SELECT credits.balance('nobody')$$),
          'and says so with the same hint as the C++ functions');

-- the audit log: settings changes, not balance maintenance
SELECT is((SELECT count(*)::int FROM credits.audit_log WHERE table_name = 'accounts' AND action = 'UPDATE' AND row_key = 'od'), 0,
          'debits and grants do not fill the audit log');
SELECT results_eq($$SELECT old_row->>'status', new_row->>'status' FROM credits.audit_log
                    WHERE table_name = 'accounts' AND action = 'UPDATE' AND row_key = 'acme' ORDER BY id$$,
                  $$VALUES ('active', 'frozen'), ('frozen', 'active')$$,
                  'status changes are logged with old and new rows');
SELECT is((SELECT actor FROM credits.audit_log WHERE table_name = 'kinds' AND row_key = 'partner' ORDER BY id DESC LIMIT 1), session_user::text,
          'with the actor');

-- the journal is append-only, for the owner too
SELECT throws_ok($$UPDATE credits.entries SET delta = 0$$, 'CR005', NULL, 'UPDATE entries is CR005');
SELECT throws_ok($$DELETE FROM credits.entries$$, 'CR005', NULL, 'DELETE entries is CR005');
SELECT throws_ok($$TRUNCATE credits.entries$$, 'CR005', NULL, 'TRUNCATE entries is CR005');
SELECT throws_ok($$UPDATE credits.operations SET amount = 0$$, 'CR005', NULL, 'UPDATE operations is CR005');
SELECT throws_ok($$DELETE FROM credits.operations$$, 'CR005', NULL, 'DELETE operations is CR005');

-- the chain verifies, and tampering is detected
SELECT is_empty($$SELECT * FROM credits.verify_chain() WHERE NOT ok$$, 'every chain verifies');
SELECT is_empty($$SELECT * FROM credits.check_invariants()$$, 'every invariant holds');
ALTER TABLE credits.entries DISABLE TRIGGER entries_append_only;
UPDATE credits.entries SET delta = '-29' WHERE account = (SELECT id FROM credits.accounts WHERE key = 'od') AND seq = 3;
ALTER TABLE credits.entries ENABLE TRIGGER entries_append_only;
SELECT results_eq($$SELECT ok, first_bad_seq FROM credits.verify_chain('od')$$, $$VALUES (false, 3::bigint)$$,
                  'a tampered entry breaks the chain at its seq');
SELECT isnt_empty($$SELECT * FROM credits.check_invariants() WHERE account = 'od'$$, 'check_invariants reports it');

-- credits.test_clock is parsed by its check hook: a bad value is refused by SET itself
SELECT throws_ok($$SET LOCAL credits.test_clock = 'not a time'$$, '22023', NULL,
                 'SET credits.test_clock refuses text that is not a timestamp');
SELECT throws_ok($$SET LOCAL credits.test_clock = 'infinity'$$, '22023', NULL,
                 'and an infinite timestamp');
SET LOCAL credits.test_clock = '2031-07-01 12:00:00+00';
SELECT is(credits.clock(), '2031-07-01 12:00:00+00'::timestamptz, 'a valid value is the ledger clock');
SET LOCAL credits.test_clock = '';
SELECT is(credits.clock(), now(), 'empty: the transaction timestamp');
SELECT lives_ok($$SET LOCAL credits.test_clock = '2031-07-01 12:00:00+00'$$, 'and it can be set again');

-- no index of grants names remaining, so a debit's update of its grant can
-- be HOT; grants.is_open is what the open-grant indexes name instead
SELECT has_column('credits', 'grants', 'is_open', 'grants.is_open');
SELECT is_empty($$SELECT indexrelid::regclass FROM pg_index WHERE indrelid = 'credits.grants'::regclass
                   AND pg_get_indexdef(indexrelid) ~ 'remaining'$$, 'no index of credits.grants names remaining');
SELECT credits.open_account('open-1');
SELECT credits.grant_credits('open-1', 5, 'bonus'), credits.grant_credits('open-1', 5, 'purchased');
SELECT credits.debit('open-1', 5);
SELECT credits.void_grant((SELECT g.id FROM credits.grants g JOIN credits.accounts a ON a.id = g.account
                           WHERE a.key = 'open-1' AND g.is_open));
SELECT results_eq($$SELECT g.kind, g.remaining::text, g.voided_at IS NOT NULL, g.is_open FROM credits.grants g
                    JOIN credits.accounts a ON a.id = g.account WHERE a.key = 'open-1' ORDER BY g.id$$,
                  $$VALUES ('bonus', '0', false, false), ('purchased', '0', true, false)$$,
                  'is_open: false once spent, false once voided');

SELECT * FROM finish();
ROLLBACK;
