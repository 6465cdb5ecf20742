-------------------------------------------------------------------------------
-- Billing math: proration and plan changes
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION credits.prorate(amount @extschema@.credit, period_start timestamptz,
        period_end timestamptz, change_at timestamptz, basis text DEFAULT 'second',
        digits int DEFAULT 2, rounding text DEFAULT 'half_up', tz text DEFAULT 'UTC')
    RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credits_prorate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credits.prorate(@extschema@.credit, timestamptz, timestamptz, timestamptz, text, int, text, text) IS 'amount x the unused fraction of [period_start, period_end) at change_at, rounded to digits with a credits.round mode; bases second, day, actual_360, 30_360 (days counted in tz)';

CREATE OR REPLACE FUNCTION credits.unused_fraction(period_start timestamptz, period_end timestamptz,
        change_at timestamptz, basis text DEFAULT 'second', tz text DEFAULT 'UTC')
    RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'credits_unused_fraction' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credits.unused_fraction(timestamptz, timestamptz, timestamptz, text, text) IS 'the exact unused fraction of a period at change_at as {numerator, denominator} (microseconds for basis second, days otherwise)';

CREATE OR REPLACE FUNCTION credits.cumulative_net(old_amounts @extschema@.credit[], new_amounts @extschema@.credit[],
        fractions bigint[], digits int DEFAULT 2, rounding text DEFAULT 'half_up')
    RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credits_cumulative_net' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credits.cumulative_net(@extschema@.credit[], @extschema@.credit[], bigint[], int, text) IS 'the exact net of several plan changes of one period, sum((new - old) x unused fraction), rounded once; fractions holds {numerator, denominator} per change';

CREATE OR REPLACE FUNCTION credits.plan_change(old_amount @extschema@.credit, new_amount @extschema@.credit,
        period_start timestamptz, period_end timestamptz, change_at timestamptz,
        basis text DEFAULT 'second', digits int DEFAULT 2, rounding text DEFAULT 'half_up',
        tz text DEFAULT 'UTC')
    RETURNS TABLE (unused_credit @extschema@.credit, remaining_charge @extschema@.credit, net @extschema@.credit)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT u, c, c OPERATOR(@extschema@.-) u
    FROM (SELECT credits.prorate(old_amount, period_start, period_end, change_at, basis, digits, rounding, tz) AS u,
                 credits.prorate(new_amount, period_start, period_end, change_at, basis, digits, rounding, tz) AS c) lines
$$;
COMMENT ON FUNCTION credits.plan_change(@extschema@.credit, @extschema@.credit, timestamptz, timestamptz, timestamptz, text, int, text, text) IS 'the lines of a plan change: unused_credit = prorate(old), remaining_charge = prorate(new), each rounded on its own; net = remaining_charge - unused_credit (negative: the customer is owed)';

CREATE OR REPLACE FUNCTION credits.apply_plan_change(account text, old_amount @extschema@.credit,
        new_amount @extschema@.credit, period_start timestamptz, period_end timestamptz,
        change_at timestamptz, basis text DEFAULT 'second', digits int DEFAULT 2,
        rounding text DEFAULT 'half_up', tz text DEFAULT 'UTC',
        expires_at timestamptz DEFAULT NULL, idempotency_key text DEFAULT NULL)
    RETURNS TABLE (net @extschema@.credit, grant_id bigint)
    AS 'MODULE_PATHNAME', 'credits_apply_plan_change' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.apply_plan_change(text, @extschema@.credit, @extschema@.credit, timestamptz, timestamptz, timestamptz, text, int, text, text, timestamptz, text) IS 'applies a plan change: when its net is negative, grants |net| as kind proration (a credit, not a refund); several changes in one period take their lines from the rounded cumulative total so rounding never drifts, and never credit more than was paid for the period (the first plan''s amount plus every charge); a retry with the same idempotency key returns the first result, other arguments are CR004';
REVOKE EXECUTE ON FUNCTION credits.apply_plan_change(text, @extschema@.credit, @extschema@.credit, timestamptz, timestamptz, timestamptz, text, int, text, text, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credits.apply_plan_change(text, @extschema@.credit, @extschema@.credit, timestamptz, timestamptz, timestamptz, text, int, text, text, timestamptz, text) TO credits_writer;

