-- pgTAP: the credits_tap assertions, each in its passing and failing form.
BEGIN;
SELECT plan(36);
CREATE EXTENSION credits_tap;
-- the ledger's clock, driven from the test (rolled back with it)
SET LOCAL credits.test_clock = '2026-01-01 00:00:00+00';
SELECT credits.open_account('tap-a') IS NOT NULL AS opened;
SELECT credits.grant_credits('tap-a', 100, 'purchased', '2026-12-31+00', cost_basis => 0.5) IS NOT NULL AS granted;
SELECT credits.grant_credits('tap-a', 20, 'promotional', '2026-03-01+00') IS NOT NULL AS granted;
SET LOCAL credits.test_clock = '2026-01-15 00:00:00+00';
SELECT credits.debit('tap-a', 25) IS NOT NULL AS debited;

SELECT * FROM check_test(credits_tap.balance_is('tap-a', 95), true,
    'balance_is passing', 'balance of tap-a is 95', '');
SELECT * FROM check_test(credits_tap.balance_is('tap-a', 90, 'a wrong balance'), false,
    'balance_is failing', 'a wrong balance', E'    have: 95\n    want: 90');

SELECT * FROM check_test(credits_tap.grants_are('tap-a', '[{"kind": "purchased", "remaining": "95", "cost_basis": 0.5}]'), true,
    'grants_are passing', 'lots of tap-a', '');
SELECT * FROM check_test(credits_tap.grants_are('tap-a', '["95"]', 'one lot left'), true,
    'grants_are with remainings only', 'one lot left', '');
SELECT * FROM check_test(credits_tap.grants_are('tap-a', '[{"remaining": "90"}]'), false,
    'grants_are with a wrong remaining', 'lots of tap-a',
    E'^    lot 1 differs in remaining\n    have: \\{.*"remaining": "95".*\\}\n    want: \\{"remaining": "90"\\}$', true);
SELECT * FROM check_test(credits_tap.grants_are('tap-a', '["95", "20"]'), false,
    'grants_are with a lot too many', 'lots of tap-a', E'    lot 2: missing\n    have: (no lot)\n    want: "20"');

SELECT * FROM check_test(credits_tap.chain_ok('tap-a'), true,
    'chain_ok passing', 'the hash chain of tap-a verifies', '');
SELECT * FROM check_test(credits_tap.invariants_ok(), true,
    'invariants_ok passing', 'the ledger''s invariants hold', '');
SELECT * FROM check_test(credits_tap.raises_sqlstate($$SELECT credits.debit('tap-a', 1000)$$, 'CR001'), true,
    'raises_sqlstate passing', 'raises CR001', '');
SELECT * FROM check_test(credits_tap.raises_sqlstate($$SELECT credits.debit('tap-a', 1)$$, 'CR001', 'a debit that succeeds'), false,
    'raises_sqlstate failing', 'a debit that succeeds', E'      caught: no exception\n      wanted: CR001');

-- tampered (as a superuser could): the failing forms
ALTER TABLE credits.entries DISABLE TRIGGER USER;
UPDATE credits.entries SET delta = '-26' WHERE id = (SELECT max(e.id) FROM credits.entries e JOIN credits.accounts a ON a.id = e.account WHERE a.key = 'tap-a');
UPDATE credits.accounts SET balance = '7' WHERE key = 'tap-a';
SELECT * FROM check_test(credits_tap.chain_ok(), false,
    'chain_ok failing', 'every hash chain verifies', '^    tap-a: broken at seq [0-9]+ of [0-9]+ entries$', true);
SELECT * FROM check_test(credits_tap.invariants_ok(), false,
    'invariants_ok failing', 'the ledger''s invariants hold', '^    tap-a: balance 7, but the last entry says 94\n', true);

SELECT * FROM finish();
ROLLBACK;
