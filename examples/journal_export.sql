-- Exports the journal for examples/verify_chain.py:
--   psql -X -q -f examples/journal_export.sql > journal.csv
-- Text that may be NULL goes through to_json, so that NULL and '' stay apart
-- in the CSV; timestamps may be in any time zone.
COPY (
    SELECT e.id, e.operation, e.account, e."grant", e.type, e.delta,
           e.grant_remaining_after, e.account_balance_after, e.seq,
           e.effective_at, e.recorded_at, e.prev_hash, e.hash, e.encoding,
           o.type AS op_type, o.amount AS op_amount,
           to_json(o.idempotency_key) AS op_idempotency_key,
           to_json(o.reference) AS op_reference,
           to_json(g.kind) AS grant_kind, g.amount AS grant_amount,
           g.priority AS grant_priority, g.effective_at AS grant_effective_at,
           g.expires_at AS grant_expires_at,
           to_json(g.cost_basis::text) AS grant_cost_basis
    FROM credits.entries e
    JOIN credits.operations o ON o.id = e.operation
    LEFT JOIN credits.grants g ON g.id = e."grant"
    ORDER BY e.account, e.seq
) TO STDOUT WITH (FORMAT csv, HEADER);
