-------------------------------------------------------------------------------
-- Credit packs
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION credits.define_pack(code text, credits @extschema@.credit, price numeric,
        currency text DEFAULT 'USD', validity interval DEFAULT '12 months',
        bonus_credits @extschema@.credit DEFAULT 0, bonus_validity interval DEFAULT NULL,
        active boolean DEFAULT true, description text DEFAULT NULL)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF code IS NULL OR credits IS NULL OR price IS NULL OR currency IS NULL
       OR bonus_credits IS NULL OR active IS NULL THEN
        RAISE EXCEPTION 'code, credits, price, currency, bonus_credits and active must not be NULL'
            USING ERRCODE = '22004';
    END IF;
    IF price IN ('NaN', 'Infinity') THEN
        RAISE EXCEPTION 'invalid pack "%": price must be a finite number, not %', code, price
            USING ERRCODE = '22023';
    END IF;
    IF validity <= interval '0' OR bonus_validity <= interval '0' THEN
        RAISE EXCEPTION 'invalid pack "%": validity and bonus_validity must be positive intervals (NULL: never expire)', code
            USING ERRCODE = '22023';
    END IF;
    BEGIN
        INSERT INTO credits.packs AS p VALUES (code, credits, price, currency, validity,
            bonus_credits, bonus_validity, active, description)
        ON CONFLICT ON CONSTRAINT packs_pkey DO UPDATE SET credits = EXCLUDED.credits,
            price = EXCLUDED.price, currency = EXCLUDED.currency, validity = EXCLUDED.validity,
            bonus_credits = EXCLUDED.bonus_credits, bonus_validity = EXCLUDED.bonus_validity,
            active = EXCLUDED.active, description = EXCLUDED.description;
    EXCEPTION WHEN check_violation THEN
        RAISE EXCEPTION 'invalid pack "%": %', code, SQLERRM USING ERRCODE = '22023',
            HINT = 'credits > 0, price >= 0, bonus_credits >= 0, currency a three-letter code.';
    END;
END
$$;
COMMENT ON FUNCTION credits.define_pack(text, @extschema@.credit, numeric, text, interval, @extschema@.credit, interval, boolean, text) IS 'adds or changes a credit pack (22023 for invalid values: credits <= 0, a negative, NaN or infinite price, a validity that is not positive)';

CREATE OR REPLACE FUNCTION credits.purchase_pack(account text, pack_code text,
        idempotency_key text DEFAULT NULL, reference text DEFAULT NULL)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_purchase_pack' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.purchase_pack(text, text, text, text) IS 'sells a pack: a purchased grant with cost_basis = price / credits expiring after the pack''s validity, plus a bonus grant (cost basis 0) when the pack has bonus credits; returns the purchased grant''s id; an unknown or inactive pack is 22023; one operation, so a retry with the same idempotency key returns the first purchase and other arguments are CR004';

