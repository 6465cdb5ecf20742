-- pgTAP: the expiry sweep (expire) and what expires soon (expiring).
BEGIN;
SELECT plan(21);
SET LOCAL credits.test_clock = '2026-01-01 00:00:00+00';

SELECT has_function('credits', f, 'function credits.' || f) FROM unnest(ARRAY['expire', 'expiring']) f;
SELECT ok(NOT has_function_privilege('credits_writer', 'credits.expire(timestamptz, int)', 'EXECUTE'), 'the sweep is for admins');
SELECT ok(has_function_privilege('credits_reader', 'credits.expiring(interval)', 'EXECUTE'), 'readers may see what expires');

SELECT credits.open_account('e1');
SELECT credits.open_account('e2');
SELECT credits.open_account('e3');
CREATE TEMP TABLE ids (name text PRIMARY KEY, id bigint);
INSERT INTO ids VALUES ('soon', credits.grant_credits('e1', 10, 'bonus', '2026-01-05+00', cost_basis => 0.5)),
                       ('later', credits.grant_credits('e1', 5, 'purchased', '2026-03-01+00')),
                       ('e2', credits.grant_credits('e2', 7, 'bonus', '2026-01-03+00')),
                       ('e3', credits.grant_credits('e3', 4, 'bonus', '2026-01-02+00'));
SELECT credits.debit('e1', 3);
SELECT credits.hold('e1', 2, '2026-01-02+00');
SELECT credits.set_account_status('e3', 'frozen');

SELECT results_eq($$SELECT account, remaining::text FROM credits.expiring('7 days')$$,
                  $$VALUES ('e3', '4'), ('e2', '7'), ('e1', '5')$$,
                  'expiring() lists what expires within the interval, soonest first, held credits apart');
SELECT is_empty($$SELECT * FROM credits.expiring('1 hour')$$, 'nothing within the hour');
SELECT throws_ok($$SELECT * FROM credits.expiring('-1 day')$$, '22023', NULL, 'a negative interval: 22023');

SET LOCAL credits.test_clock = '2026-01-10 00:00:00+00';
SELECT is(credits.expire('2026-01-04+00'), 2::bigint, 'as_of: only what expired by then (e2, and frozen e3)');
SELECT is(credits.expire(), 1::bigint, 'then the rest: e1''s bonus');
SELECT is(credits.expire(), 0::bigint, 'a second run finds nothing');
SELECT results_eq($$SELECT a.key, e.type, e.delta::text, e.effective_at FROM credits.entries e
                    JOIN credits.operations o ON o.id = e.operation JOIN credits.accounts a ON a.id = e.account
                    WHERE o.type = 'expire' ORDER BY a.key, e.seq$$,
                  $$VALUES ('e1', 'release', '2', '2026-01-02 00:00+00'::timestamptz), ('e1', 'expire', '-7', '2026-01-05 00:00+00'),
                           ('e2', 'expire', '-7', '2026-01-03 00:00+00'), ('e3', 'expire', '-4', '2026-01-02 00:00+00')$$,
                  'expire entries effective at each expires_at; the expired hold''s credits back first (by the as_of run)');
SELECT is((SELECT string_agg(o.amount::text, ',' ORDER BY o.id) FROM credits.operations o JOIN credits.accounts a ON a.id = o.account WHERE a.key = 'e1' AND o.type = 'expire'), '0,7', 'each operation''s amount is its breakage');
SELECT is((SELECT sum((-e.delta)::numeric * g.cost_basis) FROM credits.entries e JOIN credits.grants g ON g.id = e."grant"
           WHERE e.type = 'expire' AND g.id = (SELECT id FROM ids WHERE name = 'soon')), 3.5::numeric,
          'valued at the grant''s cost basis: 7 x 0.5');
SELECT is((SELECT status FROM credits.holds), 'expired', 'the expired hold is marked');
SELECT is(credits.balance('e1')::text, '5', 'what remains is live');
SELECT is((SELECT next_change_at FROM credits.accounts WHERE key = 'e1'), '2026-03-01 00:00+00'::timestamptz, 'the account''s next change is its next expiry');

-- max_grants
SELECT credits.open_account('e4');
SELECT credits.grant_credits('e4', 1, 'bonus', '2026-01-11+00'), credits.grant_credits('e4', 1, 'bonus', '2026-01-12+00');
SELECT credits.open_account('e5');
SELECT credits.grant_credits('e5', 1, 'bonus', '2026-01-11+00');
SET LOCAL credits.test_clock = '2026-01-20 00:00:00+00';
SELECT is(credits.expire(max_grants => 1), 2::bigint, 'max_grants stops after the account that reaches it');
SELECT is(credits.expire(), 1::bigint, 'the next run takes the rest');
SELECT throws_ok($$SELECT credits.expire(max_grants => 0)$$, '22023', NULL, 'max_grants below 1: 22023');
SELECT throws_ok($$SELECT credits.expire('2027-01-01+00')$$, '22023', NULL, 'as_of after the ledger clock: 22023');

SELECT is_empty($$SELECT * FROM credits.check_invariants()$$, 'check_invariants() is empty');
SELECT * FROM finish();
ROLLBACK;
