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
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    acct credits.accounts;
    prior credits.plan_changes;
    fraction bigint[];
    olds @extschema@.credit[];
    news @extschema@.credit[];
    fractions bigint[];
    issued @extschema@.credit;
    paid @extschema@.credit;
    credited @extschema@.credit;
    line @extschema@.credit;
    new_grant bigint;
BEGIN
    IF account IS NULL OR old_amount IS NULL OR new_amount IS NULL OR period_start IS NULL
       OR period_end IS NULL OR change_at IS NULL OR basis IS NULL OR digits IS NULL
       OR rounding IS NULL OR tz IS NULL THEN
        RAISE EXCEPTION 'only expires_at and idempotency_key may be NULL' USING ERRCODE = '22004';
    END IF;
    IF old_amount OPERATOR(@extschema@.<) '0'::@extschema@.credit OR new_amount OPERATOR(@extschema@.<) '0'::@extschema@.credit THEN
        RAISE EXCEPTION 'plan amounts must not be negative' USING ERRCODE = '22023';
    END IF;
    -- validates the period, change_at, basis, tz, digits and rounding (22023)
    fraction := credits.unused_fraction(period_start, period_end, change_at, basis, tz);
    PERFORM credits.round(0, digits, rounding);

    SELECT * INTO acct FROM credits.accounts a WHERE a.key = account FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account "%" does not exist', account USING ERRCODE = 'CR002';
    END IF;
    IF idempotency_key IS NOT NULL THEN
        SELECT * INTO prior FROM credits.plan_changes p
        WHERE p.account = acct.id AND p.idempotency_key = apply_plan_change.idempotency_key;
        IF FOUND THEN
            IF (prior.old_amount, prior.new_amount, prior.period_start, prior.period_end,
                prior.change_at, prior.basis, prior.digits, prior.rounding, prior.tz, prior.expires_at)
               IS DISTINCT FROM (old_amount, new_amount, period_start, period_end, change_at,
                                 basis, digits, rounding, tz, expires_at) THEN
                RAISE EXCEPTION 'idempotency key "%" was already used on account "%" with different arguments',
                    idempotency_key, account USING ERRCODE = 'CR004';
            END IF;
            RETURN QUERY SELECT prior.net, prior.grant_id;
            RETURN;
        END IF;
    END IF;
    IF acct.status <> 'active' THEN
        RAISE EXCEPTION 'account "%" is %', account, acct.status USING ERRCODE = 'CR003';
    END IF;

    -- the chain of this period: earlier changes, then this one
    SELECT array_agg(p.old_amount ORDER BY p.id), array_agg(p.new_amount ORDER BY p.id),
           COALESCE(@extschema@.sum(p.net), '0'::@extschema@.credit),
           COALESCE((array_agg(p.old_amount ORDER BY p.id))[1], apply_plan_change.old_amount),
           COALESCE(@extschema@.sum(p.net) FILTER (WHERE p.net OPERATOR(@extschema@.>) '0'::@extschema@.credit), '0'::@extschema@.credit),
           COALESCE(OPERATOR(@extschema@.-) @extschema@.sum(p.net) FILTER (WHERE p.net OPERATOR(@extschema@.<) '0'::@extschema@.credit), '0'::@extschema@.credit)
    INTO olds, news, issued, paid, credited
    FROM credits.plan_changes p
    WHERE p.account = acct.id AND p.period_start = apply_plan_change.period_start
      AND p.period_end = apply_plan_change.period_end;
    SELECT COALESCE(array_agg(v ORDER BY p.id, o), '{}') INTO fractions
    FROM credits.plan_changes p
    CROSS JOIN LATERAL unnest(ARRAY[p.unused_num, p.unused_den]) WITH ORDINALITY u(v, o)
    WHERE p.account = acct.id AND p.period_start = apply_plan_change.period_start
      AND p.period_end = apply_plan_change.period_end;
    olds := COALESCE(olds, '{}') || old_amount;
    news := COALESCE(news, '{}') || new_amount;
    fractions := fractions || fraction;

    -- this line: the rounded cumulative net minus what earlier lines issued
    line := credits.cumulative_net(olds, news, fractions, digits, rounding) OPERATOR(@extschema@.-) issued;
    -- credits never add up to more than was paid for the period: the plan
    -- paid up front plus what later changes charged
    paid := paid OPERATOR(@extschema@.+) GREATEST(line, '0'::@extschema@.credit);
    IF line OPERATOR(@extschema@.<) '0'::@extschema@.credit
       AND credited OPERATOR(@extschema@.-) line OPERATOR(@extschema@.>) paid THEN
        line := LEAST('0'::@extschema@.credit, credited OPERATOR(@extschema@.-) paid);
    END IF;
    IF line OPERATOR(@extschema@.<) '0'::@extschema@.credit THEN
        new_grant := credits.grant_credits(account, OPERATOR(@extschema@.-) line, 'proration', expires_at,
            reference => format('plan change %s -> %s at %s in [%s, %s)', old_amount, new_amount,
                                change_at, period_start, period_end));
    END IF;
    INSERT INTO credits.plan_changes (account, period_start, period_end, change_at, old_amount,
        new_amount, basis, digits, rounding, tz, unused_num, unused_den, net, grant_id,
        idempotency_key, expires_at)
    VALUES (acct.id, period_start, period_end, change_at, old_amount, new_amount, basis, digits,
        rounding, tz, fraction[1], fraction[2], line, new_grant, idempotency_key, expires_at);
    RETURN QUERY SELECT line, new_grant;
END
$$;
COMMENT ON FUNCTION credits.apply_plan_change(text, @extschema@.credit, @extschema@.credit, timestamptz, timestamptz, timestamptz, text, int, text, text, timestamptz, text) IS 'applies a plan change: when its net is negative, grants |net| as kind proration (a credit, not a refund); several changes in one period take their lines from the rounded cumulative total so rounding never drifts, and never credit more than was paid for the period';
REVOKE EXECUTE ON FUNCTION credits.apply_plan_change(text, @extschema@.credit, @extschema@.credit, timestamptz, timestamptz, timestamptz, text, int, text, text, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credits.apply_plan_change(text, @extschema@.credit, @extschema@.credit, timestamptz, timestamptz, timestamptz, text, int, text, text, timestamptz, text) TO credits_writer;

