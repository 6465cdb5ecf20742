-------------------------------------------------------------------------------
-- Billing math: SLA uptime and credits
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION credits.uptime(period tstzrange, outages tstzmultirange,
        excluded tstzmultirange DEFAULT '{}', min_outage interval DEFAULT '0')
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'credits_uptime' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credits.uptime(tstzrange, tstzmultirange, tstzmultirange, interval) IS 'percent of the period available: outages merged, clipped to the period, excluded windows removed, outages shorter than min_outage ignored; exact to 20 fractional digits (half up), trailing zeros removed';

CREATE OR REPLACE FUNCTION credits.sla_credit(fee @extschema@.credit, uptime numeric, policy text,
        digits int DEFAULT 2, rounding text DEFAULT 'half_up')
    RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credits_sla_credit' LANGUAGE C STABLE STRICT PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.sla_credit(@extschema@.credit, numeric, text, int, text) IS 'fee x the matching tier''s percent, capped at the policy''s cap_percent, rounded; 0 below min_credit or when uptime meets the commitment; an uptime in a gap between tiers or an unknown policy is 22023';

CREATE OR REPLACE FUNCTION credits.check_sla_policy(name text) RETURNS void
    AS 'MODULE_PATHNAME', 'credits_check_sla_policy' LANGUAGE C STABLE STRICT SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.check_sla_policy(text) IS '22023 unless the policy has tiers, each with ordered bounds and a percent >= 0, and no two tiers overlap';

CREATE OR REPLACE FUNCTION credits.define_sla_policy(name text, tiers jsonb, cap_percent numeric DEFAULT 100,
        min_credit @extschema@.credit DEFAULT 0, description text DEFAULT NULL)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tier jsonb;
    n int := 0;
BEGIN
    IF name IS NULL OR tiers IS NULL OR cap_percent IS NULL OR min_credit IS NULL THEN
        RAISE EXCEPTION 'name, tiers, cap_percent and min_credit must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF name = '' THEN
        RAISE EXCEPTION 'name must not be empty' USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(tiers) <> 'array' THEN
        RAISE EXCEPTION 'tiers must be a JSON array of objects' USING ERRCODE = '22023',
            HINT = 'Each tier: {"lower": 99.0, "lower_inclusive": true, "upper": 99.95, "upper_inclusive": false, "credit_percent": 10}; a missing bound is unbounded.';
    END IF;
    IF cap_percent IN ('NaN', 'Infinity') THEN
        RAISE EXCEPTION 'cap_percent must be a finite number, not %', cap_percent USING ERRCODE = '22023';
    END IF;
    IF cap_percent < 0 OR min_credit OPERATOR(@extschema@.<) '0'::@extschema@.credit THEN
        RAISE EXCEPTION 'cap_percent and min_credit must not be negative' USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT FROM credits.sla_policies p WHERE p.name = define_sla_policy.name AND p.shipped) THEN
        RAISE EXCEPTION 'SLA policy "%" is shipped with the extension and cannot be redefined', name
            USING ERRCODE = '22023', HINT = 'Define a policy under another name.';
    END IF;
    INSERT INTO credits.sla_policies AS p (name, cap_percent, min_credit, description)
    VALUES (name, cap_percent, min_credit, description)
    ON CONFLICT ON CONSTRAINT sla_policies_pkey DO UPDATE
        SET cap_percent = EXCLUDED.cap_percent, min_credit = EXCLUDED.min_credit,
            description = EXCLUDED.description;
    DELETE FROM credits.sla_tiers t WHERE t.policy = define_sla_policy.name;
    FOR tier IN SELECT value FROM jsonb_array_elements(tiers) LOOP
        n := n + 1;
        IF jsonb_typeof(tier) <> 'object' OR NOT tier ? 'credit_percent'
           OR EXISTS (SELECT FROM jsonb_object_keys(tier) k
                      WHERE k NOT IN ('lower', 'lower_inclusive', 'upper', 'upper_inclusive', 'credit_percent')) THEN
            RAISE EXCEPTION 'tier %: expected an object with credit_percent and optional lower, lower_inclusive, upper, upper_inclusive', n
                USING ERRCODE = '22023';
        END IF;
        BEGIN
            INSERT INTO credits.sla_tiers (policy, position, lower, lower_inclusive, upper, upper_inclusive, credit_percent)
            VALUES (name, n, (tier->>'lower')::numeric, COALESCE((tier->>'lower_inclusive')::boolean, true),
                    (tier->>'upper')::numeric, COALESCE((tier->>'upper_inclusive')::boolean, false),
                    (tier->>'credit_percent')::numeric);
        EXCEPTION WHEN invalid_text_representation OR check_violation OR not_null_violation THEN
            RAISE EXCEPTION 'tier %: %', n, SQLERRM USING ERRCODE = '22023';
        END;
    END LOOP;
    IF EXISTS (SELECT FROM credits.sla_tiers t WHERE t.policy = define_sla_policy.name
               AND ('NaN' IN (t.lower, t.upper, t.credit_percent)
                    OR 'Infinity' IN (t.lower, t.upper, t.credit_percent)
                    OR '-Infinity' IN (t.lower, t.upper, t.credit_percent))) THEN
        RAISE EXCEPTION 'tier bounds and credit_percent must be finite numbers (leave a bound out for unbounded)'
            USING ERRCODE = '22023';
    END IF;
    PERFORM credits.check_sla_policy(name);
END
$$;
COMMENT ON FUNCTION credits.define_sla_policy(text, jsonb, numeric, @extschema@.credit, text) IS 'defines or replaces an SLA policy from tiers as a JSON array of {lower, lower_inclusive, upper, upper_inclusive, credit_percent}; 22023 when tiers overlap or are malformed';

CREATE OR REPLACE FUNCTION credits.issue_sla_credit(account text, policy text, fee @extschema@.credit,
        period tstzrange, outages tstzmultirange, excluded tstzmultirange DEFAULT '{}',
        expires_at timestamptz DEFAULT NULL, idempotency_key text DEFAULT NULL,
        min_outage interval DEFAULT '0')
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_issue_sla_credit' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.issue_sla_credit(text, text, @extschema@.credit, tstzrange, tstzmultirange, tstzmultirange, timestamptz, text, interval) IS 'measures uptime from outages, computes the policy''s credit and grants it as kind sla; at most one per account, policy and period: the same request again returns the first grant''s id, other arguments for that period are CR004, and a period overlapping one already credited is CR011; NULL when the credit is 0';

REVOKE EXECUTE ON FUNCTION credits.check_sla_policy(text),
    credits.define_sla_policy(text, jsonb, numeric, @extschema@.credit, text),
    credits.issue_sla_credit(text, text, @extschema@.credit, tstzrange, tstzmultirange, tstzmultirange, timestamptz, text, interval),
    credits.sla_credit(@extschema@.credit, numeric, text, int, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credits.sla_credit(@extschema@.credit, numeric, text, int, text) TO credits_reader;
GRANT EXECUTE ON FUNCTION credits.issue_sla_credit(text, text, @extschema@.credit, tstzrange, tstzmultirange, tstzmultirange, timestamptz, text, interval) TO credits_writer;
GRANT EXECUTE ON FUNCTION credits.check_sla_policy(text),
    credits.define_sla_policy(text, jsonb, numeric, @extschema@.credit, text) TO credits_admin;

