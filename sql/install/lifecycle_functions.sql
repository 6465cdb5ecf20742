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

-------------------------------------------------------------------------------
-- Lifecycle: holds (C++; docs/lifecycle.md)
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION credits.hold(account text, amount @extschema@.credit,
        expires_at timestamptz DEFAULT NULL, idempotency_key text DEFAULT NULL,
        reference text DEFAULT NULL, metadata jsonb DEFAULT '{}')
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_hold' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.hold(text, @extschema@.credit, timestamptz, text, text, jsonb) IS 'reserves credits: pins them from the lots in burn order until captured, released or expired (NULL expires_at: the ledger clock + 15 minutes); never overdraft (CR001); returns the hold''s id';

CREATE OR REPLACE FUNCTION credits.capture(hold_id bigint, amount @extschema@.credit DEFAULT NULL,
        idempotency_key text DEFAULT NULL, allow_excess boolean DEFAULT false)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_capture' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.capture(bigint, @extschema@.credit, text, boolean) IS 'settles a hold: burns up to the held amount (NULL: all) from its pinned lots and returns the rest; more than held is 22023 unless allow_excess, which debits the excess normally; a hold no longer active is CR008; returns the operation''s id';

CREATE OR REPLACE FUNCTION credits.release(hold_id bigint, idempotency_key text DEFAULT NULL)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_release' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.release(bigint, text) IS 'returns a hold''s credits to their lots (those of lots expired meanwhile expire at once); a hold no longer active is CR008; returns the operation''s id';

CREATE OR REPLACE FUNCTION credits.held(account text, as_of timestamptz DEFAULT NULL)
    RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credits_held' LANGUAGE C STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.held(text, timestamptz) IS 'what the account''s holds hold at as_of (default: the ledger clock); an expired hold holds nothing, whether or not an operation has released it yet';

REVOKE EXECUTE ON FUNCTION
    credits.hold(text, @extschema@.credit, timestamptz, text, text, jsonb),
    credits.capture(bigint, @extschema@.credit, text, boolean),
    credits.release(bigint, text),
    credits.held(text, timestamptz)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credits.held(text, timestamptz) TO credits_reader;
GRANT EXECUTE ON FUNCTION
    credits.hold(text, @extschema@.credit, timestamptz, text, text, jsonb),
    credits.capture(bigint, @extschema@.credit, text, boolean),
    credits.release(bigint, text)
TO credits_writer;

-------------------------------------------------------------------------------
-- Lifecycle: pooled accounts (docs/lifecycle.md)
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION credits.set_pool_limit(account text, pool_limit @extschema@.credit)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    a record;
BEGIN
    IF account IS NULL THEN
        RAISE EXCEPTION 'account must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF pool_limit OPERATOR(@extschema@.<) '0'::@extschema@.credit THEN
        RAISE EXCEPTION 'pool_limit must not be negative, not %', pool_limit USING ERRCODE = '22023';
    END IF;
    SELECT x.id, x.parent INTO a FROM credits.accounts x WHERE x.key = account FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account "%" does not exist', account
            USING ERRCODE = 'CR002', HINT = 'Open it first with credits.open_account().';
    END IF;
    IF a.parent IS NULL THEN
        RAISE EXCEPTION 'account "%" has no parent: it draws on no pool', account
            USING ERRCODE = '22023', HINT = 'Open it with credits.open_account(..., parent => ...).';
    END IF;
    UPDATE credits.accounts x SET pool_limit = set_pool_limit.pool_limit WHERE x.id = a.id;
END
$$;
COMMENT ON FUNCTION credits.set_pool_limit(text, @extschema@.credit) IS 'caps what a child account may draw from its ancestors in total (consumed plus held; NULL: no cap); audited in audit_log';

CREATE OR REPLACE FUNCTION credits.pool_usage(account text) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credits_pool_usage' LANGUAGE C STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.pool_usage(text) IS 'what the account draws on its ancestors: their credits it consumed (less reversals) plus what its holds pin in their lots now; set_pool_limit() caps it';

REVOKE EXECUTE ON FUNCTION
    credits.set_pool_limit(text, @extschema@.credit),
    credits.pool_usage(text)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credits.pool_usage(text) TO credits_reader;
GRANT EXECUTE ON FUNCTION credits.set_pool_limit(text, @extschema@.credit) TO credits_admin;

-------------------------------------------------------------------------------
-- Lifecycle: batch debits for metering ingestion (C++; docs/lifecycle.md)
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION credits.debit_many(requests credits.debit_request[],
        mode text DEFAULT 'each')
    RETURNS TABLE (ord int, operation_id bigint, sqlstate text, message text,
                   balance_after @extschema@.credit)
    AS 'MODULE_PATHNAME', 'credits_debit_many' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.debit_many(credits.debit_request[], text) IS 'debits a batch, each request with the effect and journal of credits.debit(), in array order, each account locked once (all in id order); mode each: one row per request with its operation or its SQLSTATE and message, failures changing nothing; mode all: the first failure is raised and nothing is written';

REVOKE EXECUTE ON FUNCTION credits.debit_many(credits.debit_request[], text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credits.debit_many(credits.debit_request[], text) TO credits_writer;
