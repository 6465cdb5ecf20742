-- The audit functions, called by a credits_admin member after the writes.
SELECT * FROM credits.verify_chain();
SELECT * FROM credits.check_invariants();
SELECT credits.expire();
SELECT credits.refresh_flow_totals();
SELECT credits.refresh_flow_totals();
