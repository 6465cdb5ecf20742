-- A ledger with some history, for the dump/restore test.
SET credits.test_clock = '2026-01-01 00:00+00';
SELECT credits.define_kind('partner', 'promotional', 5, 'credits from a partner programme');
SELECT credits.open_account('alpha', 'credit', 10);
SELECT credits.open_account('beta');
SELECT credits.grant_credits('alpha', 100, 'purchased', '2026-12-31+00', cost_basis => 0.9);
SELECT credits.grant_credits('alpha', 20, 'partner', '2026-02-01+00');
SELECT credits.grant_credits('beta', 50, 'sla', idempotency_key => 'sla-jan');
SELECT credits.debit('alpha', 30, 'use-1');
SET credits.test_clock = '2026-03-01 00:00+00';
SELECT credits.debit('alpha', 95, 'use-2');
SELECT credits.debit('beta', 5);
SELECT credits.set_account_status('beta', 'frozen');
