-------------------------------------------------------------------------------
-- Time: the expiry sweep, what expires soon, rollover (docs/signals.md)
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION credits.expire(as_of timestamptz DEFAULT NULL, max_grants int DEFAULT NULL)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_expire' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.expire(timestamptz, int) IS 'the expiry sweep: books every grant that expired by as_of (default: the ledger clock) with credits left as an expire entry (breakage) effective at its expires_at, and returns expired holds'' credits to their lots; passes over accounts another transaction holds; returns how many grants it expired or rolled over (stopping after the account that reaches max_grants); then writes the expiring alerts of accounts with an expiry warning';

CREATE OR REPLACE FUNCTION credits.expiring(within interval DEFAULT '30 days')
    RETURNS TABLE (account text, grant_id bigint, kind text, remaining @extschema@.credit,
                   expires_at timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF within IS NULL THEN
        RAISE EXCEPTION 'within must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF within OPERATOR(pg_catalog.<) interval '0' THEN
        RAISE EXCEPTION 'within must not be negative, not %', within USING ERRCODE = '22023';
    END IF;
    RETURN QUERY
    SELECT a.key, g.id, g.kind, g.remaining, g.expires_at
    FROM credits.grants g JOIN credits.accounts a ON a.id = g.account
    WHERE g.is_open
      AND g.expires_at > credits.clock()
      AND g.expires_at <= credits.clock() OPERATOR(pg_catalog.+) within
      AND g.effective_at <= credits.clock()
    ORDER BY g.expires_at, g.id;
END
$$;
COMMENT ON FUNCTION credits.expiring(interval) IS 'grants live now whose credits (not held) expire within the interval, soonest first: what to warn customers about';

CREATE OR REPLACE FUNCTION credits.rollover(grant_id bigint, amount @extschema@.credit,
        expires_at timestamptz, idempotency_key text DEFAULT NULL)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_rollover' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.rollover(bigint, @extschema@.credit, timestamptz, text) IS 'moves amount credits of a live grant into a new grant (same kind, priority and cost basis, a generation more) expiring at expires_at and returns its id; an expired or voided grant is CR010, more than its unheld remaining CR001';

REVOKE EXECUTE ON FUNCTION
    credits.expire(timestamptz, int),
    credits.expiring(interval),
    credits.rollover(bigint, @extschema@.credit, timestamptz, text)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credits.rollover(bigint, @extschema@.credit, timestamptz, text) TO credits_writer;
GRANT EXECUTE ON FUNCTION credits.expiring(interval) TO credits_reader;
GRANT EXECUTE ON FUNCTION credits.expire(timestamptz, int) TO credits_admin;
