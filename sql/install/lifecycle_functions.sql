-------------------------------------------------------------------------------
-- Lifecycle: reversals, voids and transfers (C++; docs/lifecycle.md)
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION credits.reverse(operation_id bigint,
        amount @extschema@.credit DEFAULT NULL, reason text DEFAULT NULL,
        idempotency_key text DEFAULT NULL, reinstate_until timestamptz DEFAULT NULL)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_reverse' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.reverse(bigint, @extschema@.credit, text, text, timestamptz) IS 'refunds a debit or capture (all that is left of it when amount is NULL): cancels the debt it created first, then returns credits to the lots it burned, last-burned first; credits of lots expired since expire again, or go into a new grant expiring at reinstate_until; returns the operation''s id';

CREATE OR REPLACE FUNCTION credits.void_grant(grant_id bigint, reason text DEFAULT NULL,
        idempotency_key text DEFAULT NULL)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_void_grant' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.void_grant(bigint, text, text) IS 'removes a grant''s unused remainder (what was consumed stays consumed); a voided or expired grant is CR010; returns the operation''s id';

CREATE OR REPLACE FUNCTION credits.transfer(from_account text, to_account text,
        amount @extschema@.credit, idempotency_key text DEFAULT NULL,
        reference text DEFAULT NULL, metadata jsonb DEFAULT '{}')
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_transfer' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.transfer(text, text, @extschema@.credit, text, text, jsonb) IS 'moves credits lot by lot: burns the source in burn order (transferable kinds only, never overdraft; CR001 when they do not cover it) and grants the destination one lot per source lot with the same kind, expiry, priority and cost basis; different units CR006; returns the operation''s id';

REVOKE EXECUTE ON FUNCTION
    credits.reverse(bigint, @extschema@.credit, text, text, timestamptz),
    credits.void_grant(bigint, text, text),
    credits.transfer(text, text, @extschema@.credit, text, text, jsonb)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    credits.reverse(bigint, @extschema@.credit, text, text, timestamptz),
    credits.void_grant(bigint, text, text),
    credits.transfer(text, text, @extschema@.credit, text, text, jsonb)
TO credits_writer;
