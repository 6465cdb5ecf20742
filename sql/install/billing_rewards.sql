-------------------------------------------------------------------------------
-- Reward rules (loyalty, referral, renewal, autopay bonuses)
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION credits.define_reward_rule(code text, kind text, percent numeric DEFAULT 0,
        fixed_credits @extschema@.credit DEFAULT 0, validity interval DEFAULT NULL,
        priority int DEFAULT 50, cap_per_account @extschema@.credit DEFAULT NULL,
        period interval DEFAULT NULL, active boolean DEFAULT true, description text DEFAULT NULL,
        digits int DEFAULT 2)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF code IS NULL OR kind IS NULL OR percent IS NULL OR fixed_credits IS NULL
       OR priority IS NULL OR active IS NULL OR digits IS NULL THEN
        RAISE EXCEPTION 'only validity, cap_per_account, period and description may be NULL'
            USING ERRCODE = '22004';
    END IF;
    IF percent IN ('NaN', 'Infinity') THEN
        RAISE EXCEPTION 'invalid reward rule "%": percent must be a finite number, not %', code, percent
            USING ERRCODE = '22023';
    END IF;
    IF validity <= interval '0' THEN
        RAISE EXCEPTION 'invalid reward rule "%": validity must be a positive interval (NULL: never expire)', code
            USING ERRCODE = '22023';
    END IF;
    IF period <= interval '0' THEN
        RAISE EXCEPTION 'invalid reward rule "%": period must be a positive interval (NULL: the cap is for ever)', code
            USING ERRCODE = '22023';
    END IF;
    BEGIN
        INSERT INTO credits.reward_rules AS r VALUES (code, kind, percent, fixed_credits, validity,
            priority, cap_per_account, period, digits, active, description)
        ON CONFLICT ON CONSTRAINT reward_rules_pkey DO UPDATE SET kind = EXCLUDED.kind,
            percent = EXCLUDED.percent, fixed_credits = EXCLUDED.fixed_credits,
            validity = EXCLUDED.validity, priority = EXCLUDED.priority,
            cap_per_account = EXCLUDED.cap_per_account, period = EXCLUDED.period,
            digits = EXCLUDED.digits, active = EXCLUDED.active, description = EXCLUDED.description;
    EXCEPTION WHEN check_violation OR foreign_key_violation THEN
        RAISE EXCEPTION 'invalid reward rule "%": %', code, SQLERRM USING ERRCODE = '22023',
            HINT = 'A known kind, percent >= 0 and fixed_credits >= 0 (one of them > 0), priority 0..100, cap > 0, digits 0..9.';
    END;
END
$$;
COMMENT ON FUNCTION credits.define_reward_rule(text, text, numeric, @extschema@.credit, interval, int, @extschema@.credit, interval, boolean, text, int) IS 'adds or changes a reward rule (22023 for invalid values: an unknown kind, a negative, NaN or infinite percent, no percent and no fixed credits, a validity or period that is not positive)';

CREATE OR REPLACE FUNCTION credits.reward(account text, rule_code text, base_amount @extschema@.credit DEFAULT NULL,
        idempotency_key text DEFAULT NULL)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_reward' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.reward(text, text, @extschema@.credit, text) IS 'grants percent x base_amount (rounded half up to the rule''s digits, once) + fixed credits as the rule''s kind; over the cap the grant is reduced to what the cap allows, and NULL is returned when nothing is left; a retry with the same idempotency key returns the first grant, other arguments are CR004';

REVOKE EXECUTE ON FUNCTION
    credits.define_pack(text, @extschema@.credit, numeric, text, interval, @extschema@.credit, interval, boolean, text),
    credits.purchase_pack(text, text, text, text),
    credits.define_reward_rule(text, text, numeric, @extschema@.credit, interval, int, @extschema@.credit, interval, boolean, text, int),
    credits.reward(text, text, @extschema@.credit, text)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credits.purchase_pack(text, text, text, text),
    credits.reward(text, text, @extschema@.credit, text) TO credits_writer;
GRANT EXECUTE ON FUNCTION
    credits.define_pack(text, @extschema@.credit, numeric, text, interval, @extschema@.credit, interval, boolean, text),
    credits.define_reward_rule(text, text, numeric, @extschema@.credit, interval, int, @extschema@.credit, interval, boolean, text, int)
TO credits_admin;
