-- The journal of a small ledger, with a fixed test clock: burn order,
-- expiry, overdraft, repayment, running balances and time travel.
SET credits.test_clock = '2026-01-01 09:00:00+00';
SET timezone = 'UTC';
SELECT credits.open_account('shop', 'credit', 25) AS shop;
SELECT credits.grant_credits('shop', 100, 'purchased', '2027-01-01', cost_basis => 0.85, reference => 'pack-100') AS paid;
SELECT credits.grant_credits('shop', 30, 'promotional', '2026-02-01') AS promo;
SELECT credits.grant_credits('shop', 10, 'goodwill', priority => 0) AS goodwill_first;
SELECT credits.grant_credits('shop', 40, 'loyalty', '2026-06-01', effective_at => '2026-03-01') AS loyalty_later;
SELECT * FROM credits.grants_of('shop');
SELECT credits.balance('shop');

SELECT credits.debit('shop', 25, reference => 'usage-jan') AS jan;
SET credits.test_clock = '2026-02-15 09:00:00+00';
SELECT credits.balance('shop') AS after_promo_expired;
SELECT credits.debit('shop', 120, reference => 'usage-feb') AS feb;
SET credits.test_clock = '2026-03-15 09:00:00+00';
SELECT credits.balance('shop') AS loyalty_repaid_debt;

SELECT e.seq, o.type AS operation, e.type, g.kind, e.delta, e.grant_remaining_after, e.account_balance_after,
       e.effective_at, length(e.hash) AS hash_bytes
FROM credits.entries e
JOIN credits.operations o ON o.id = e.operation
LEFT JOIN credits.grants g ON g.id = e."grant"
ORDER BY e.seq;

-- time travel: the balance at instants in the past
SELECT t AS as_of, credits.balance('shop', t)
FROM unnest(ARRAY['2025-12-31 23:59', '2026-01-01 09:00', '2026-01-31 23:59', '2026-02-01 00:00',
                  '2026-02-15 09:00', '2026-03-01 00:00', '2026-03-15 09:00']::timestamptz[]) t;
SELECT * FROM credits.grants_of('shop', '2026-01-15');

SELECT * FROM credits.verify_chain('shop');
SELECT * FROM credits.check_invariants();
SELECT table_name, row_key, action, new_row->>'overdraft_limit' AS overdraft_limit FROM credits.audit_log ORDER BY id;
