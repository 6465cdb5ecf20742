-- pgTAP: rollover rules of grant_credits, lazy and swept, and credits.rollover by hand.
BEGIN;
SELECT plan(30);
SET LOCAL credits.test_clock = '2026-01-01 00:00:00+00';

SELECT has_function('credits', 'rollover', ARRAY['bigint', 'credit', 'timestamp with time zone', 'text'], 'credits.rollover(bigint, credit, timestamptz, text)');
SELECT has_function('credits', 'grant_credits', ARRAY['text', 'credit', 'text', 'timestamp with time zone', 'integer', 'timestamp with time zone', 'numeric', 'text', 'text', 'jsonb', 'credit', 'interval', 'integer'], 'grant_credits takes a rollover rule');
SELECT ok(has_function_privilege('credits_writer', 'credits.rollover(bigint, credit, timestamptz, text)', 'EXECUTE'), 'writers may roll over');
SELECT ok(NOT has_function_privilege('credits_reader', 'credits.rollover(bigint, credit, timestamptz, text)', 'EXECUTE'), 'readers may not');

SELECT credits.open_account('r1');
SELECT credits.open_account('r2');
CREATE TEMP TABLE ids (name text PRIMARY KEY, id bigint);
INSERT INTO ids VALUES
    ('monthly', credits.grant_credits('r1', 100, 'purchased', '2026-02-01+00', cost_basis => 0.5,
                                      rollover_max => 30, rollover_validity => '1 month')),
    ('plain', credits.grant_credits('r2', 10, 'bonus', '2026-02-01+00'));
SELECT credits.debit('r1', 10);

-- lazily, as the next operation or read finds it
SET LOCAL credits.test_clock = '2026-02-10 00:00:00+00';
SELECT is(credits.balance('r1')::text, '30', 'after expiry, balance() counts the rolled-over credits at once');
SELECT results_eq($$SELECT grant_id, remaining::text, expires_at, cost_basis FROM credits.grants_of('r1')$$,
                  $$VALUES (NULL::bigint, '30', '2026-03-01 00:00+00'::timestamptz, 0.5::numeric)$$,
                  'grants_of() shows the rolled-over lot (not written yet: grant_id NULL), a month after the old expiry');
SELECT credits.debit('r1', 5);
SELECT results_eq($$SELECT e.type, e.delta::text, e.effective_at FROM credits.entries e JOIN credits.accounts a ON a.id = e.account
                    WHERE a.key = 'r1' AND e.seq > 2 ORDER BY e.seq$$,
                  $$VALUES ('expire', '-60', '2026-02-01 00:00+00'::timestamptz), ('rollover', '-30', '2026-02-01 00:00+00'),
                           ('grant', '30', '2026-02-01 00:00+00'), ('burn', '-5', '2026-02-10 00:00+00')$$,
                  'the next debit writes breakage, the rollover and the new grant at the old expiry, then burns the new grant');
SELECT results_eq($$SELECT g.kind, g.amount::text, g.remaining::text, g.cost_basis, g.origin, g.generation, g.rollover_max::text, g.rollover_limit
                    FROM credits.grants g JOIN credits.accounts a ON a.id = g.account WHERE a.key = 'r1' AND g.generation > 0$$,
                  $$VALUES ('purchased', '30', '25', 0.5::numeric, (SELECT id FROM ids WHERE name = 'monthly'), 1, '30', 0)$$,
                  'the rolled-over grant: same kind and cost basis, its origin, generation 1, the rule with one roll fewer');
SELECT is((SELECT rollover_limit FROM credits.grants WHERE id = (SELECT id FROM ids WHERE name = 'monthly')), 1, 'rollover_limit defaults to 1');

-- the sweep: rollover_limit 1 lets the rolled credits roll once more, then they expire as breakage
SET LOCAL credits.test_clock = '2026-04-05 00:00:00+00';
SELECT ok(credits.expire() >= 3, 'the sweep rolls the rolled-over grant again, expires that, and r2''s plain grant (and any other account due in this database)');
SELECT is(credits.balance('r1')::text, '0', 'nothing left on r1');
SELECT is((SELECT string_agg(e.type || e.delta::text, ',' ORDER BY e.seq) FROM credits.entries e JOIN credits.operations o ON o.id = e.operation
           JOIN credits.accounts a ON a.id = e.account WHERE a.key = 'r1' AND o.type = 'expire'), 'rollover-25,grant25,expire-25', 'rolled on March 1st, then its 25 are breakage on April 1st');

-- several rollovers in one go, rollover_limit counting the later ones
SELECT credits.open_account('r3');
INSERT INTO ids VALUES ('chain', credits.grant_credits('r3', 10, 'purchased', '2026-04-10+00', rollover_max => 4, rollover_limit => 2));
SET LOCAL credits.test_clock = '2026-06-01 00:00:00+00';
SELECT ok(credits.expire() >= 4, 'a grant and three rollovers (a 5-day life each) in one sweep');
SELECT results_eq($$SELECT g.generation, g.amount::text, g.effective_at, g.expires_at FROM credits.grants g JOIN credits.accounts a ON a.id = g.account
                    WHERE a.key = 'r3' ORDER BY g.id$$,
                  $$VALUES (0, '10', '2026-04-05 00:00+00'::timestamptz, '2026-04-10 00:00+00'::timestamptz), (1, '4', '2026-04-10 00:00+00', '2026-04-15 00:00+00'),
                           (2, '4', '2026-04-15 00:00+00', '2026-04-20 00:00+00'), (3, '4', '2026-04-20 00:00+00', '2026-04-25 00:00+00')$$,
                  'without rollover_validity each rolled grant lasts as long as its origin; rollover_limit 2: two rollovers after the first');
SELECT is((SELECT sum(-e.delta::numeric) FROM credits.entries e JOIN credits.accounts a ON a.id = e.account WHERE a.key = 'r3' AND e.type = 'expire'),
          10::numeric, 'breakage 6 at the first expiry and 4 at the last');

-- by hand
SELECT credits.open_account('r4');
INSERT INTO ids VALUES ('hand', credits.grant_credits('r4', 10, 'bonus', '2026-07-01+00', priority => 40, cost_basis => 0.1));
INSERT INTO ids VALUES ('rolled', credits.rollover((SELECT id FROM ids WHERE name = 'hand'), 4, '2026-09-01+00', 'roll-1'));
SELECT is(credits.rollover((SELECT id FROM ids WHERE name = 'hand'), 4, '2026-09-01+00', 'roll-1'), (SELECT id FROM ids WHERE name = 'rolled'), 'a retry returns the same grant');
SELECT throws_ok($$SELECT credits.rollover((SELECT id FROM ids WHERE name = 'hand'), 3, '2026-09-01+00', 'roll-1')$$, 'CR004', NULL, 'the key with other arguments: CR004');
SELECT results_eq($$SELECT kind, amount::text, priority, cost_basis, effective_at, expires_at, origin, generation FROM credits.grants WHERE id = (SELECT id FROM ids WHERE name = 'rolled')$$,
                  $$VALUES ('bonus', '4', 40, 0.1::numeric, '2026-06-01 00:00+00'::timestamptz, '2026-09-01 00:00+00'::timestamptz, (SELECT id FROM ids WHERE name = 'hand'), 1)$$,
                  'rollover() makes a grant of the same kind, priority and cost basis, effective now');
SELECT is(credits.balance('r4')::text, '10', 'the balance does not change');
SELECT is((SELECT string_agg(e.type || e.delta::text, ',' ORDER BY e.seq) FROM credits.entries e JOIN credits.operations o ON o.id = e.operation
           JOIN credits.accounts a ON a.id = e.account WHERE o.type = 'rollover' AND a.key = 'r4'), 'rollover-4,grant4', 'a rollover entry and a grant entry');
SELECT throws_ok($$SELECT credits.rollover((SELECT id FROM ids WHERE name = 'hand'), 7, '2026-09-01+00')$$, 'CR001', NULL, 'more than the grant has: CR001');
SELECT throws_ok($$SELECT credits.rollover((SELECT id FROM ids WHERE name = 'chain'), 1, '2026-09-01+00')$$, 'CR010', NULL, 'an expired grant: CR010 (never extends expired credits)');
SELECT throws_ok($$SELECT credits.rollover((SELECT id FROM ids WHERE name = 'hand'), 1, '2026-05-01+00')$$, '22023', NULL, 'expires_at before the clock: 22023');
SELECT throws_ok($$SELECT credits.rollover(999999, 1, '2026-09-01+00')$$, '22023', NULL, 'an unknown grant: 22023');
SELECT throws_ok($$SELECT credits.rollover((SELECT id FROM ids WHERE name = 'hand'), 1, NULL)$$, '22004', NULL, 'expires_at NULL: 22004');

-- rules that could never apply
SELECT throws_ok($$SELECT credits.grant_credits('r4', 1, rollover_max => 1)$$, '22023', NULL, 'a rule without expires_at: 22023');
SELECT throws_ok($$SELECT credits.grant_credits('r4', 1, expires_at => '2026-07-01+00', rollover_validity => '1 day')$$, '22023', NULL, 'rollover_validity without rollover_max: 22023');
SELECT throws_ok($$SELECT credits.grant_credits('r4', 1, expires_at => '2026-07-01+00', rollover_max => 1, rollover_validity => '-1 day')$$, '22023', NULL, 'a negative rollover_validity: 22023');
SELECT throws_ok($$SELECT credits.grant_credits('r4', 1, expires_at => '2026-07-01+00', rollover_max => -1)$$, '22023', NULL, 'a negative rollover_max: 22023');

SELECT is_empty($$SELECT * FROM credits.check_invariants()$$, 'check_invariants() is empty');
SELECT * FROM finish();
ROLLBACK;
