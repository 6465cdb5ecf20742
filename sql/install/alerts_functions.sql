-------------------------------------------------------------------------------
-- Signals: usage thresholds, low balance, top-ups and the alerts outbox
-- (docs/signals.md). Alerts are written by the operation that crossed the
-- line, in its transaction; claim_alerts() hands them out.
-------------------------------------------------------------------------------

-- Called by every ledger operation (after its entries) on each account it
-- changed whose alerting flag is set; the account is locked.
CREATE OR REPLACE FUNCTION credits.signal_account(account_id bigint, operation_id bigint,
        balance @extschema@.credit, granted @extschema@.credit, at timestamptz)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r credits.alert_rules;
    low @extschema@.credit;
    before credits.alert_rules;
    used numeric;
    lvl numeric;
    bal numeric := balance::numeric;
    op jsonb := jsonb_build_object('operation', operation_id);
BEGIN
    SELECT * INTO r FROM credits.alert_rules ar WHERE ar.account = account_id;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    before := r;
    SELECT a.low_balance_threshold INTO low FROM credits.accounts a WHERE a.id = account_id;
    -- the allowance: a new paid grant (not moved or rolled over) starts one
    IF granted OPERATOR(@extschema@.>) '0'::@extschema@.credit THEN
        IF EXISTS (SELECT FROM credits.grants g JOIN credits.kinds k ON k.kind = g.kind
                   WHERE g.operation = operation_id AND g.origin IS NULL AND k.category = 'paid') THEN
            r.allowance_credits := balance;
            r.fired := '{}';
        ELSE
            r.allowance_credits := r.allowance_credits OPERATOR(@extschema@.+) granted;
        END IF;
    END IF;
    IF r.allowance_credits OPERATOR(@extschema@.>) '0'::@extschema@.credit THEN
        used := 100 * (r.allowance_credits::numeric - greatest(bal, 0)) / r.allowance_credits::numeric;
        FOREACH lvl IN ARRAY r.thresholds LOOP
            IF used >= lvl AND NOT lvl = ANY (r.fired) THEN
                INSERT INTO credits.alerts (account, kind, level, balance, details, created_at)
                VALUES (account_id, 'utilization', lvl, balance,
                        op || jsonb_build_object('allowance', r.allowance_credits::text, 'consumed_percent', round(used, 2)), at);
                r.fired := r.fired || lvl;
            END IF;
        END LOOP;
    END IF;
    IF low IS NOT NULL THEN
        IF NOT r.low_fired AND balance OPERATOR(@extschema@.<) low THEN
            INSERT INTO credits.alerts (account, kind, level, balance, details, created_at)
            VALUES (account_id, 'low_balance', low::numeric, balance, op, at);
            r.low_fired := true;
        ELSIF r.low_fired AND balance OPERATOR(@extschema@.>=) low THEN
            r.low_fired := false;
        END IF;
        IF NOT r.depleted_fired AND bal <= 0 THEN
            INSERT INTO credits.alerts (account, kind, level, balance, details, created_at)
            VALUES (account_id, 'depleted', 0, balance, op, at);
            r.depleted_fired := true;
        ELSIF r.depleted_fired AND bal > 0 THEN
            r.depleted_fired := false;
        END IF;
    END IF;
    IF r.topup_threshold IS NOT NULL AND balance OPERATOR(@extschema@.<) r.topup_threshold
       AND NOT EXISTS (SELECT FROM credits.topups t WHERE t.account = account_id AND t.status = 'open') THEN
        PERFORM credits.request_topup(r, account_id, operation_id, balance, at);
    END IF;
    IF (r.allowance_credits, r.fired, r.low_fired, r.depleted_fired)
       IS DISTINCT FROM (before.allowance_credits, before.fired, before.low_fired, before.depleted_fired) THEN
        UPDATE credits.alert_rules ar
        SET allowance_credits = r.allowance_credits, fired = r.fired, low_fired = r.low_fired,
            depleted_fired = r.depleted_fired
        WHERE ar.account = account_id;
    END IF;
END
$$;
COMMENT ON FUNCTION credits.signal_account(bigint, bigint, @extschema@.credit, @extschema@.credit, timestamptz) IS 'internal: writes the alerts an operation''s effect on a locked account calls for (thresholds, low balance, depleted, top-up) and keeps their state';

-- A top-up request (or, past max_per_day, a refusal alert once a day).
CREATE OR REPLACE FUNCTION credits.request_topup(r credits.alert_rules, account_id bigint,
        operation_id bigint, balance @extschema@.credit, at timestamptz)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    alert_id bigint;
    amount @extschema@.credit := r.topup_target OPERATOR(@extschema@.-) balance;
    day timestamptz := at OPERATOR(pg_catalog.-) interval '1 day';
BEGIN
    IF (SELECT count(*) FROM credits.topups t WHERE t.account = account_id AND t.requested_at > day)
       < r.topup_max_per_day THEN
        INSERT INTO credits.alerts (account, kind, level, balance, details, created_at)
        VALUES (account_id, 'topup_requested', r.topup_threshold::numeric, balance,
                jsonb_build_object('operation', operation_id, 'amount', amount::text,
                                   'target', r.topup_target::text, 'kind', r.topup_kind), at)
        RETURNING id INTO alert_id;
        INSERT INTO credits.topups (alert, account, amount, kind, validity, requested_at)
        VALUES (alert_id, account_id, amount, r.topup_kind, r.topup_validity, at);
    ELSIF NOT EXISTS (SELECT FROM credits.alerts a WHERE a.account = account_id
                      AND a.kind = 'topup_refused' AND a.created_at > day) THEN
        INSERT INTO credits.alerts (account, kind, level, balance, details, created_at)
        VALUES (account_id, 'topup_refused', r.topup_threshold::numeric, balance,
                jsonb_build_object('operation', operation_id, 'reason', 'max_per_day',
                                   'max_per_day', r.topup_max_per_day), at);
    END IF;
END
$$;
COMMENT ON FUNCTION credits.request_topup(credits.alert_rules, bigint, bigint, @extschema@.credit, timestamptz) IS 'internal: a topup_requested alert and its credits.topups row, or past max_per_day a topup_refused alert (at most one a day)';

-- The rules row of a locked account (created when missing) and its balance.
CREATE OR REPLACE FUNCTION credits.lock_for_rules(account text, OUT account_id bigint,
        OUT balance @extschema@.credit)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF account IS NULL THEN
        RAISE EXCEPTION 'account must not be NULL' USING ERRCODE = '22004';
    END IF;
    SELECT a.id INTO account_id FROM credits.accounts a WHERE a.key = account FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account "%" does not exist', account USING ERRCODE = 'CR002',
            HINT = 'Open it first with credits.open_account().';
    END IF;
    balance := credits.balance(account);
    INSERT INTO credits.alert_rules (account, allowance_credits, low_fired, depleted_fired)
    VALUES (account_id, greatest(balance, '0'::@extschema@.credit),
            false, balance OPERATOR(@extschema@.<=) '0'::@extschema@.credit)
    ON CONFLICT ON CONSTRAINT alert_rules_pkey DO NOTHING;
    UPDATE credits.accounts a SET alerting = true WHERE a.id = account_id AND NOT a.alerting;
END
$$;
COMMENT ON FUNCTION credits.lock_for_rules(text) IS 'internal: locks the account for an alert setter, creates its rules row and turns its alerting on';

CREATE OR REPLACE FUNCTION credits.set_alert_thresholds(account text, percents numeric[])
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    l record;
    levels numeric[];
    r credits.alert_rules;
    used numeric;
BEGIN
    IF percents IS NULL THEN
        RAISE EXCEPTION 'percents must not be NULL (''{}'' removes the thresholds)' USING ERRCODE = '22004';
    END IF;
    IF EXISTS (SELECT FROM unnest(percents) p WHERE p IS NULL OR p <= 0 OR p > 100) THEN
        RAISE EXCEPTION 'percents must be above 0 and at most 100, not %', percents USING ERRCODE = '22023';
    END IF;
    SELECT * INTO l FROM credits.lock_for_rules(account);
    SELECT array_agg(DISTINCT p ORDER BY p) INTO levels FROM unnest(percents) p;
    SELECT * INTO r FROM credits.alert_rules ar WHERE ar.account = l.account_id;
    -- levels already passed in this allowance do not fire now
    used := CASE WHEN r.allowance_credits OPERATOR(@extschema@.>) '0'::@extschema@.credit
                 THEN 100 * (r.allowance_credits::numeric - greatest(l.balance::numeric, 0)) / r.allowance_credits::numeric
                 ELSE 0 END;
    UPDATE credits.alert_rules ar
    SET thresholds = coalesce(levels, '{}'),
        fired = coalesce(ARRAY(SELECT p FROM unnest(levels) p WHERE p <= used), '{}')
    WHERE ar.account = l.account_id;
END
$$;
COMMENT ON FUNCTION credits.set_alert_thresholds(text, numeric[]) IS 'admin: utilization alerts at these percents of the current allowance, each once per allowance (''{}'' removes them); audited';

CREATE OR REPLACE FUNCTION credits.set_low_balance(account text, threshold @extschema@.credit)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    l record;
BEGIN
    IF threshold OPERATOR(@extschema@.<) '0'::@extschema@.credit THEN
        RAISE EXCEPTION 'threshold must not be negative, not %', threshold USING ERRCODE = '22023';
    END IF;
    SELECT * INTO l FROM credits.lock_for_rules(account);
    UPDATE credits.accounts a SET low_balance_threshold = threshold WHERE a.id = l.account_id;
    UPDATE credits.alert_rules ar
    SET low_fired = threshold IS NOT NULL AND l.balance OPERATOR(@extschema@.<) threshold,
        depleted_fired = l.balance OPERATOR(@extschema@.<=) '0'::@extschema@.credit
    WHERE ar.account = l.account_id;
END
$$;
COMMENT ON FUNCTION credits.set_low_balance(text, @extschema@.credit) IS 'admin: a low_balance alert when an operation takes the balance below threshold (again only after it was back at or above it), depleted at zero or below; NULL removes it; audited';

CREATE OR REPLACE FUNCTION credits.set_topup_rule(account text, threshold @extschema@.credit,
        target @extschema@.credit, kind text DEFAULT 'purchased', validity interval DEFAULT NULL,
        max_per_day int DEFAULT 3)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    l record;
BEGIN
    IF threshold IS NOT NULL THEN
        IF target IS NULL OR kind IS NULL OR max_per_day IS NULL THEN
            RAISE EXCEPTION 'target, kind and max_per_day must not be NULL' USING ERRCODE = '22004';
        END IF;
        IF threshold OPERATOR(@extschema@.<) '0'::@extschema@.credit OR target OPERATOR(@extschema@.<=) threshold THEN
            RAISE EXCEPTION 'need 0 <= threshold < target, not threshold % and target %', threshold, target
                USING ERRCODE = '22023';
        END IF;
        IF NOT EXISTS (SELECT FROM credits.kinds k WHERE k.kind = set_topup_rule.kind) THEN
            RAISE EXCEPTION 'unknown kind "%" (see credits.kinds)', kind USING ERRCODE = '22023';
        END IF;
        IF validity IS NOT NULL AND validity <= interval '0' THEN
            RAISE EXCEPTION 'validity must be positive, not %', validity USING ERRCODE = '22023';
        END IF;
        IF max_per_day < 1 THEN
            RAISE EXCEPTION 'max_per_day must be at least 1, not %', max_per_day USING ERRCODE = '22023';
        END IF;
    END IF;
    SELECT * INTO l FROM credits.lock_for_rules(account);
    UPDATE credits.alert_rules ar
    SET topup_threshold = threshold, topup_target = CASE WHEN threshold IS NOT NULL THEN target END,
        topup_kind = CASE WHEN threshold IS NOT NULL THEN kind END,
        topup_validity = CASE WHEN threshold IS NOT NULL THEN validity END,
        topup_max_per_day = CASE WHEN threshold IS NOT NULL THEN max_per_day END
    WHERE ar.account = l.account_id;
END
$$;
COMMENT ON FUNCTION credits.set_topup_rule(text, @extschema@.credit, @extschema@.credit, text, interval, int) IS 'admin: when an operation leaves the balance below threshold and no top-up is open, one topup_requested alert for target minus the balance (at most max_per_day a day; beyond, a topup_refused alert); threshold NULL removes the rule; audited';

CREATE OR REPLACE FUNCTION credits.set_overdraft_limit(account text, overdraft_limit @extschema@.credit)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF account IS NULL OR overdraft_limit IS NULL THEN
        RAISE EXCEPTION 'account and overdraft_limit must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF overdraft_limit OPERATOR(@extschema@.<) '0'::@extschema@.credit THEN
        RAISE EXCEPTION 'overdraft_limit must not be negative, not %', overdraft_limit USING ERRCODE = '22023';
    END IF;
    UPDATE credits.accounts a SET overdraft_limit = set_overdraft_limit.overdraft_limit WHERE a.key = account;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account "%" does not exist', account USING ERRCODE = 'CR002',
            HINT = 'Open it first with credits.open_account().';
    END IF;
END
$$;
COMMENT ON FUNCTION credits.set_overdraft_limit(text, @extschema@.credit) IS 'admin: the overdraft the account may take from now on (debt above a lowered limit stays until repaid); audited; open_account() retried with the original limit still returns the account';

CREATE OR REPLACE FUNCTION credits.set_expiry_warning(account text, within interval)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    l record;
BEGIN
    IF within IS NOT NULL AND within <= interval '0' THEN
        RAISE EXCEPTION 'within must be positive, not %', within USING ERRCODE = '22023';
    END IF;
    SELECT * INTO l FROM credits.lock_for_rules(account);
    UPDATE credits.alert_rules ar SET expiry_warning = within WHERE ar.account = l.account_id;
END
$$;
COMMENT ON FUNCTION credits.set_expiry_warning(text, interval) IS 'admin: the expiry sweep writes one expiring alert for the account''s grants that expire within this interval of it, each grant warned about once; NULL removes it; audited';

-- Called by credits.expire() after it swept: the expiring alerts due at as_of.
CREATE OR REPLACE FUNCTION credits.warn_expiring(as_of timestamptz)
    RETURNS bigint
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    WITH due AS (
        SELECT r.account, r.expiry_warned_until AS since,
               as_of OPERATOR(pg_catalog.+) r.expiry_warning AS until
        FROM credits.alert_rules r
        WHERE r.expiry_warning IS NOT NULL
          AND (r.expiry_warned_until IS NULL
               OR r.expiry_warned_until < as_of OPERATOR(pg_catalog.+) r.expiry_warning)
        FOR UPDATE SKIP LOCKED),
    soon AS (
        SELECT d.account, @extschema@.sum(g.remaining) AS credits, min(g.expires_at) AS first,
               jsonb_agg(g.id ORDER BY g.expires_at, g.id) AS grants
        FROM due d JOIN credits.grants g ON g.account = d.account
        WHERE g.is_open
          AND g.effective_at <= as_of AND g.expires_at > as_of
          AND (d.since IS NULL OR g.expires_at > d.since) AND g.expires_at <= d.until
        GROUP BY d.account),
    marked AS (
        UPDATE credits.alert_rules r SET expiry_warned_until = d.until
        FROM due d WHERE r.account = d.account),
    written AS (
        INSERT INTO credits.alerts (account, kind, level, balance, details, created_at)
        SELECT s.account, 'expiring', NULL, a.balance,
               jsonb_build_object('credits', s.credits::text, 'first_expiry', s.first, 'grants', s.grants),
               as_of
        FROM soon s JOIN credits.accounts a ON a.id = s.account
        RETURNING 1)
    SELECT count(*) FROM written;
$$;
COMMENT ON FUNCTION credits.warn_expiring(timestamptz) IS 'internal: the expiry sweep''s expiring alerts (accounts with an expiry warning another transaction holds are warned by a later sweep)';

CREATE OR REPLACE FUNCTION credits.claim_alerts(max int DEFAULT 100)
    RETURNS SETOF credits.alerts
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF max IS NULL OR max < 1 THEN
        RAISE EXCEPTION 'max must be at least 1, not %', max USING ERRCODE = '22023';
    END IF;
    RETURN QUERY
    UPDATE credits.alerts a SET delivered_at = pg_catalog.clock_timestamp()
    WHERE a.id IN (SELECT u.id FROM credits.alerts u WHERE u.delivered_at IS NULL
                   ORDER BY u.id LIMIT max FOR UPDATE SKIP LOCKED)
    RETURNING a.*;
END
$$;
COMMENT ON FUNCTION credits.claim_alerts(int) IS 'marks up to max undelivered alerts delivered and returns them, oldest first; alerts another transaction is claiming are skipped, so workers never get the same alert (claim, act and commit in one transaction to get each exactly once)';

CREATE OR REPLACE FUNCTION credits.fulfil_topup(alert_id bigint, cost_basis numeric DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t credits.topups;
    key text;
    g bigint;
BEGIN
    SELECT * INTO t FROM credits.topups tp WHERE tp.alert = alert_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'alert % is not a top-up request', alert_id USING ERRCODE = '22023';
    END IF;
    IF t.status = 'fulfilled' THEN
        RETURN t.grant_id;
    END IF;
    IF t.status = 'failed' THEN
        RAISE EXCEPTION 'top-up % failed: %', alert_id, t.reason USING ERRCODE = 'CR013',
            HINT = 'A failed top-up stays failed; the next operation below the threshold requests a new one.';
    END IF;
    SELECT a.key INTO key FROM credits.accounts a WHERE a.id = t.account;
    g := credits.grant_credits(key, t.amount, t.kind,
                               CASE WHEN t.validity IS NOT NULL THEN credits.clock() OPERATOR(pg_catalog.+) t.validity END,
                               cost_basis => cost_basis, idempotency_key => 'topup-' || alert_id,
                               reference => 'topup', metadata => jsonb_build_object('alert', alert_id));
    UPDATE credits.topups tp SET status = 'fulfilled', grant_id = g, resolved_at = credits.clock()
    WHERE tp.alert = alert_id;
    RETURN g;
END
$$;
COMMENT ON FUNCTION credits.fulfil_topup(bigint, numeric) IS 'grants an open top-up request''s amount (the rule''s kind and validity, cost_basis per credit) and returns the grant''s id; again for the same alert returns the same grant; a failed one is CR013';

CREATE OR REPLACE FUNCTION credits.fail_topup(alert_id bigint, reason text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t credits.topups;
BEGIN
    IF reason IS NULL THEN
        RAISE EXCEPTION 'reason must not be NULL' USING ERRCODE = '22004';
    END IF;
    SELECT * INTO t FROM credits.topups tp WHERE tp.alert = alert_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'alert % is not a top-up request', alert_id USING ERRCODE = '22023';
    END IF;
    IF t.status = 'fulfilled' THEN
        RAISE EXCEPTION 'top-up % was fulfilled', alert_id USING ERRCODE = 'CR013',
            HINT = 'Its credits were granted (grant ' || t.grant_id || '); void the grant to take them back.';
    END IF;
    IF t.status = 'open' THEN
        UPDATE credits.topups tp SET status = 'failed', reason = fail_topup.reason, resolved_at = credits.clock()
        WHERE tp.alert = alert_id;
    END IF;
END
$$;
COMMENT ON FUNCTION credits.fail_topup(bigint, text) IS 'marks an open top-up request failed (the payment did not go through) so the next operation below the threshold may request another; failing it again does nothing; a fulfilled one is CR013';

REVOKE EXECUTE ON FUNCTION
    credits.signal_account(bigint, bigint, @extschema@.credit, @extschema@.credit, timestamptz),
    credits.request_topup(credits.alert_rules, bigint, bigint, @extschema@.credit, timestamptz),
    credits.lock_for_rules(text),
    credits.warn_expiring(timestamptz),
    credits.set_expiry_warning(text, interval),
    credits.set_alert_thresholds(text, numeric[]),
    credits.set_low_balance(text, @extschema@.credit),
    credits.set_topup_rule(text, @extschema@.credit, @extschema@.credit, text, interval, int),
    credits.set_overdraft_limit(text, @extschema@.credit),
    credits.claim_alerts(int),
    credits.fulfil_topup(bigint, numeric),
    credits.fail_topup(bigint, text),
    credits.notify_alerts()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    credits.set_alert_thresholds(text, numeric[]),
    credits.set_low_balance(text, @extschema@.credit),
    credits.set_topup_rule(text, @extschema@.credit, @extschema@.credit, text, interval, int),
    credits.set_overdraft_limit(text, @extschema@.credit),
    credits.set_expiry_warning(text, interval)
TO credits_admin;
GRANT EXECUTE ON FUNCTION
    credits.claim_alerts(int),
    credits.fulfil_topup(bigint, numeric),
    credits.fail_topup(bigint, text)
TO credits_writer;
