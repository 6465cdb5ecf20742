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
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rule credits.reward_rules;
    acct credits.accounts;
    earlier credits.rewards;
    now_ timestamptz := credits.clock();
    owed @extschema@.credit;
    given @extschema@.credit;
    new_grant bigint;
BEGIN
    IF account IS NULL OR rule_code IS NULL THEN
        RAISE EXCEPTION 'account and rule_code must not be NULL' USING ERRCODE = '22004';
    END IF;
    SELECT * INTO rule FROM credits.reward_rules r WHERE r.code = rule_code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown reward rule "%"', rule_code USING ERRCODE = '22023';
    END IF;
    IF NOT rule.active THEN
        RAISE EXCEPTION 'reward rule "%" is not active', rule_code USING ERRCODE = '22023';
    END IF;
    IF rule.percent > 0 AND base_amount IS NULL THEN
        RAISE EXCEPTION 'reward rule "%" needs a base_amount', rule_code USING ERRCODE = '22004';
    END IF;
    IF base_amount OPERATOR(@extschema@.<) '0'::@extschema@.credit THEN
        RAISE EXCEPTION 'base_amount must not be negative' USING ERRCODE = '22023';
    END IF;
    SELECT * INTO acct FROM credits.accounts a WHERE a.key = account FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account "%" does not exist', account USING ERRCODE = 'CR002';
    END IF;
    IF idempotency_key IS NOT NULL THEN
        SELECT * INTO earlier FROM credits.rewards r
        WHERE r.account = acct.id AND r.idempotency_key = reward.idempotency_key;
        IF FOUND THEN
            IF (earlier.rule, earlier.base_amount) IS DISTINCT FROM (rule_code, base_amount) THEN
                RAISE EXCEPTION 'idempotency key "%" was already used on account "%" with different arguments',
                    idempotency_key, account USING ERRCODE = 'CR004';
            END IF;
            RETURN earlier.grant_id;
        END IF;
    END IF;
    owed := credits.round((COALESCE(base_amount, '0'::@extschema@.credit) OPERATOR(@extschema@.*) rule.percent)
                          OPERATOR(@extschema@./) 100, rule.digits, 'half_up')
            OPERATOR(@extschema@.+) rule.fixed_credits;
    IF rule.cap_per_account IS NOT NULL THEN
        SELECT COALESCE(@extschema@.sum(r.amount), '0'::@extschema@.credit) INTO given FROM credits.rewards r
        WHERE r.account = acct.id AND r.rule = rule_code
          AND (rule.period IS NULL OR r.effective_at > now_ - rule.period);
        owed := LEAST(owed, rule.cap_per_account OPERATOR(@extschema@.-) given);
    END IF;
    IF owed OPERATOR(@extschema@.<=) '0'::@extschema@.credit THEN
        RETURN NULL; -- the cap is used up
    END IF;
    new_grant := credits.grant_credits(account, owed, rule.kind, now_ + rule.validity,
        priority => rule.priority, idempotency_key => idempotency_key,
        reference => format('reward %s', rule_code));
    INSERT INTO credits.rewards (account, rule, base_amount, amount, grant_id, idempotency_key, effective_at)
    VALUES (acct.id, rule_code, base_amount, owed, new_grant, idempotency_key, now_);
    RETURN new_grant;
END
$$;
COMMENT ON FUNCTION credits.reward(text, text, @extschema@.credit, text) IS 'grants percent x base_amount (rounded to the rule''s digits) + fixed credits as the rule''s kind; over the cap the grant is reduced to what the cap allows, and NULL is returned when nothing is left';

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
