-------------------------------------------------------------------------------
-- Analytics: views and report functions for analysts (docs/analytics.md).
-- Every figure comes from the journal (credits.entries) as booked: run the
-- expiry sweep (credits.expire) before reporting so that expiries and
-- rollovers nobody has touched are booked at their instants.
-------------------------------------------------------------------------------

CREATE OR REPLACE VIEW credits.liability_movements AS
SELECT e.id AS entry, e.effective_at AS at, e.account, a.unit, e."grant", g.kind, k.category,
       CASE e.type
           WHEN 'grant' THEN CASE WHEN g.origin IS NULL THEN 'granted' ELSE 'transferred' END
           WHEN 'burn' THEN 'consumed'
           WHEN 'repay' THEN 'consumed'
           WHEN 'refund' THEN 'refunded'
           WHEN 'expire' THEN 'expired'
           WHEN 'void' THEN 'voided'
           ELSE 'transferred' END AS flow,
       e.type AS entry_type, e.delta, e.delta::numeric * coalesce(g.cost_basis, 0) AS value
FROM credits.entries e
JOIN credits.grants g ON g.id = e."grant"
JOIN credits.kinds k ON k.kind = g.kind
JOIN credits.accounts a ON a.id = e.account
WHERE e.type NOT IN ('hold', 'release');
COMMENT ON VIEW credits.liability_movements IS 'the journal''s entries that move outstanding credits, each with its flow; outstanding credits at t are the sum of delta up to t (held credits are still owed: holds and releases are left out, and so is overdraft debt)';
COMMENT ON COLUMN credits.liability_movements.entry IS 'the entry''s id';
COMMENT ON COLUMN credits.liability_movements.at IS 'when it took effect (ledger time)';
COMMENT ON COLUMN credits.liability_movements.account IS 'the account''s id';
COMMENT ON COLUMN credits.liability_movements.unit IS 'the account''s unit';
COMMENT ON COLUMN credits.liability_movements."grant" IS 'the grant it changed';
COMMENT ON COLUMN credits.liability_movements.kind IS 'the grant''s kind';
COMMENT ON COLUMN credits.liability_movements.category IS 'the kind''s category: paid, promotional, compensation';
COMMENT ON COLUMN credits.liability_movements.flow IS 'granted (a new grant), consumed (burn, repay), refunded, expired, voided, or transferred (credits moving between grants: transfers, reinstated refunds, rollovers, and the grants they land in)';
COMMENT ON COLUMN credits.liability_movements.entry_type IS 'the entry''s type';
COMMENT ON COLUMN credits.liability_movements.delta IS 'the change of outstanding credits';
COMMENT ON COLUMN credits.liability_movements.value IS 'delta x the grant''s cost basis (0 when free)';

CREATE OR REPLACE VIEW credits.ledger AS
SELECT e.id AS entry, e.effective_at AS at, e.recorded_at, a.key AS account, e.operation,
       o.type AS operation_type, e.type AS entry_type, e."grant", g.kind, k.category,
       e.delta, e.grant_remaining_after, e.account_balance_after AS balance_after,
       o.reference, o.actor, o.actor_role
FROM credits.entries e
JOIN credits.accounts a ON a.id = e.account
JOIN credits.operations o ON o.id = e.operation
LEFT JOIN credits.grants g ON g.id = e."grant"
LEFT JOIN credits.kinds k ON k.kind = g.kind;
COMMENT ON VIEW credits.ledger IS 'the journal made readable: one row per entry with its account, operation, grant and kind';
COMMENT ON COLUMN credits.ledger.entry IS 'the entry''s id';
COMMENT ON COLUMN credits.ledger.at IS 'when the entry took effect (ledger time)';
COMMENT ON COLUMN credits.ledger.recorded_at IS 'when it was written (wall clock)';
COMMENT ON COLUMN credits.ledger.account IS 'the account''s key';
COMMENT ON COLUMN credits.ledger.operation IS 'the operation that wrote it';
COMMENT ON COLUMN credits.ledger.operation_type IS 'grant, debit, capture, hold, transfer, expire, ... (credits.operations.type)';
COMMENT ON COLUMN credits.ledger.entry_type IS 'grant, burn, expire, overdraft, repay, refund, void, transfer, reinstate, hold, release, rollover';
COMMENT ON COLUMN credits.ledger."grant" IS 'the grant it changed (NULL: the overdraft debt)';
COMMENT ON COLUMN credits.ledger.kind IS 'the grant''s kind';
COMMENT ON COLUMN credits.ledger.category IS 'the kind''s category: paid, promotional, compensation';
COMMENT ON COLUMN credits.ledger.delta IS 'the change of the grant''s remaining (of minus the debt)';
COMMENT ON COLUMN credits.ledger.grant_remaining_after IS 'the grant''s remaining after it';
COMMENT ON COLUMN credits.ledger.balance_after IS 'the account''s balance after it';
COMMENT ON COLUMN credits.ledger.reference IS 'the operation''s reference';
COMMENT ON COLUMN credits.ledger.actor IS 'who called (session_user)';
COMMENT ON COLUMN credits.ledger.actor_role IS 'as which role (current_user)';

CREATE OR REPLACE VIEW credits.grant_status AS
SELECT g.id AS grant_id, a.key AS account, g.kind, k.category, g.amount,
       f.consumed, f.held, g.remaining, f.expired, f.voided, f.transferred_out, f.rolled_over,
       CASE WHEN g.voided_at IS NOT NULL THEN 'voided'
            WHEN g.effective_at > credits.clock() THEN 'pending'
            WHEN g.expires_at <= credits.clock() THEN 'expired'
            WHEN g.remaining OPERATOR(@extschema@.=) '0'::@extschema@.credit
                 AND f.held OPERATOR(@extschema@.=) '0'::@extschema@.credit THEN 'depleted'
            ELSE 'active' END AS status,
       g.effective_at, g.expires_at, g.cost_basis, g.origin
FROM credits.grants g
JOIN credits.accounts a ON a.id = g.account
JOIN credits.kinds k ON k.kind = g.kind
CROSS JOIN LATERAL (
    SELECT coalesce(@extschema@.sum(@extschema@.credit_neg(e.delta)) FILTER (WHERE e.type IN ('burn', 'repay', 'refund')), '0') AS consumed,
           coalesce(@extschema@.sum(@extschema@.credit_neg(e.delta)) FILTER (WHERE e.type IN ('hold', 'release')), '0') AS held,
           coalesce(@extschema@.sum(@extschema@.credit_neg(e.delta)) FILTER (WHERE e.type = 'expire'), '0') AS expired,
           coalesce(@extschema@.sum(@extschema@.credit_neg(e.delta)) FILTER (WHERE e.type = 'void'), '0') AS voided,
           coalesce(@extschema@.sum(@extschema@.credit_neg(e.delta)) FILTER (WHERE e.type IN ('transfer', 'reinstate')), '0') AS transferred_out,
           coalesce(@extschema@.sum(@extschema@.credit_neg(e.delta)) FILTER (WHERE e.type = 'rollover'), '0') AS rolled_over
    FROM credits.entries e WHERE e."grant" = g.id) f;
COMMENT ON VIEW credits.grant_status IS 'per grant, from its entries: where its credits went; amount = consumed + held + remaining + expired + voided + transferred_out + rolled_over';
COMMENT ON COLUMN credits.grant_status.grant_id IS 'the grant''s id';
COMMENT ON COLUMN credits.grant_status.account IS 'the account''s key';
COMMENT ON COLUMN credits.grant_status.kind IS 'the grant''s kind';
COMMENT ON COLUMN credits.grant_status.category IS 'the kind''s category: paid, promotional, compensation';
COMMENT ON COLUMN credits.grant_status.amount IS 'what was granted';
COMMENT ON COLUMN credits.grant_status.consumed IS 'burned by debits and captures or repaying debt, less what reversals gave back';
COMMENT ON COLUMN credits.grant_status.held IS 'pinned to holds now (as booked: a hold past its expiry counts until an operation or the sweep returns it)';
COMMENT ON COLUMN credits.grant_status.remaining IS 'what it has left, not held';
COMMENT ON COLUMN credits.grant_status.expired IS 'expired unused (breakage)';
COMMENT ON COLUMN credits.grant_status.voided IS 'removed by void_grant';
COMMENT ON COLUMN credits.grant_status.transferred_out IS 'moved to grants elsewhere: transfers, and refunds of it reinstated into a new grant';
COMMENT ON COLUMN credits.grant_status.rolled_over IS 'moved into its rollover grant at expiry';
COMMENT ON COLUMN credits.grant_status.status IS 'voided, pending (not effective yet), expired, depleted (nothing left or held), or active, at the ledger clock';
COMMENT ON COLUMN credits.grant_status.effective_at IS 'when its credits became spendable';
COMMENT ON COLUMN credits.grant_status.expires_at IS 'when they expire (NULL: never)';
COMMENT ON COLUMN credits.grant_status.cost_basis IS 'the price paid per credit (NULL: free)';
COMMENT ON COLUMN credits.grant_status.origin IS 'the grant its credits came from (transfer, reinstated refund, rollover)';

CREATE OR REPLACE VIEW credits.account_balances AS
SELECT a.key AS account, a.unit, a.status, p.key AS parent,
       credits.balance(a.key) AS balance, credits.held(a.key) AS held, a.debt AS overdraft_debt,
       l.live_lots, l.next_expiry, l.expiring_30d, a.last_effective_at AS last_activity
FROM credits.accounts a
LEFT JOIN credits.accounts p ON p.id = a.parent
CROSS JOIN LATERAL (
    SELECT count(*) AS live_lots, min(g.expires_at) AS next_expiry,
           coalesce(@extschema@.sum(g.remaining) FILTER (
               WHERE g.expires_at <= credits.clock() OPERATOR(pg_catalog.+) interval '30 days'), '0') AS expiring_30d
    FROM credits.grants g
    WHERE g.account = a.id AND g.is_open
      AND g.effective_at <= credits.clock()
      AND (g.expires_at IS NULL OR g.expires_at > credits.clock())) l;
COMMENT ON VIEW credits.account_balances IS 'per account at the ledger clock: balance, held, debt, live lots and what expires soon';
COMMENT ON COLUMN credits.account_balances.account IS 'the account''s key';
COMMENT ON COLUMN credits.account_balances.unit IS 'what it counts';
COMMENT ON COLUMN credits.account_balances.status IS 'active, frozen or closed';
COMMENT ON COLUMN credits.account_balances.parent IS 'the account whose pool it draws on';
COMMENT ON COLUMN credits.account_balances.balance IS 'credits.balance(): live credits neither held nor expired, minus debt';
COMMENT ON COLUMN credits.account_balances.held IS 'credits.held(): what active holds pin';
COMMENT ON COLUMN credits.account_balances.overdraft_debt IS 'overdraft debt as of its last entry';
COMMENT ON COLUMN credits.account_balances.live_lots IS 'grants with credits left, live now (a rollover not booked yet appears after the next operation or sweep)';
COMMENT ON COLUMN credits.account_balances.next_expiry IS 'the soonest expiry among them';
COMMENT ON COLUMN credits.account_balances.expiring_30d IS 'their credits that expire within 30 days';
COMMENT ON COLUMN credits.account_balances.last_activity IS 'the ledger time of its latest entry';

CREATE OR REPLACE FUNCTION credits.statement(account text, from_ts timestamptz, to_ts timestamptz)
    RETURNS TABLE (line int, at timestamptz, operation bigint, operation_type text, entry_type text,
                   "grant" bigint, kind text, amount @extschema@.credit, balance @extschema@.credit,
                   reference text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    acct bigint;
    running @extschema@.credit;
    closing @extschema@.credit;
    n int := 1;
    r record;
BEGIN
    IF account IS NULL OR from_ts IS NULL OR to_ts IS NULL THEN
        RAISE EXCEPTION 'account, from_ts and to_ts must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF to_ts < from_ts THEN
        RAISE EXCEPTION 'to_ts (%) must not be before from_ts (%)', to_ts, from_ts USING ERRCODE = '22023';
    END IF;
    SELECT a.id INTO acct FROM credits.accounts a WHERE a.key = account;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account "%" does not exist', account USING ERRCODE = 'CR002',
            HINT = 'Open it first with credits.open_account().';
    END IF;
    -- the period is [from_ts, to_ts): entries at from_ts are its movements
    running := credits.balance(account, from_ts OPERATOR(pg_catalog.-) interval '1 microsecond');
    line := n; at := from_ts; entry_type := 'opening'; balance := running; amount := NULL;
    RETURN NEXT;
    FOR r IN SELECT e.effective_at, e.operation, o.type AS op_type, e.type, e."grant", g.kind,
                    e.account_balance_after, o.reference
             FROM credits.entries e JOIN credits.operations o ON o.id = e.operation
             LEFT JOIN credits.grants g ON g.id = e."grant"
             WHERE e.account = acct AND e.effective_at >= from_ts AND e.effective_at < to_ts
             ORDER BY e.seq
    LOOP
        n := n + 1;
        line := n; at := r.effective_at; operation := r.operation; operation_type := r.op_type;
        entry_type := r.type; "grant" := r."grant"; kind := r.kind; reference := r.reference;
        amount := r.account_balance_after OPERATOR(@extschema@.-) running;
        running := r.account_balance_after;
        balance := running;
        RETURN NEXT;
    END LOOP;
    closing := credits.balance(account, to_ts OPERATOR(pg_catalog.-) interval '1 microsecond');
    operation := NULL; operation_type := NULL; "grant" := NULL; kind := NULL; reference := NULL;
    IF closing OPERATOR(@extschema@.<>) running THEN
        -- what no entry of the period books: grants becoming live, expiries not booked yet
        n := n + 1;
        line := n; at := to_ts; entry_type := 'unbooked';
        amount := closing OPERATOR(@extschema@.-) running; balance := closing;
        RETURN NEXT;
    END IF;
    line := n + 1; at := to_ts; entry_type := 'closing'; amount := NULL; balance := closing;
    RETURN NEXT;
END
$$;
COMMENT ON FUNCTION credits.statement(text, timestamptz, timestamptz) IS 'an account''s statement for [from_ts, to_ts): the opening balance (just before from_ts), every entry in order with the change it made to the balance and the running balance, an unbooked line for changes no entry books yet (a grant becoming live, an expiry before the next operation), and the closing balance; opening plus the amounts is the closing balance';

CREATE OR REPLACE FUNCTION credits.liability(as_of timestamptz DEFAULT NULL)
    RETURNS TABLE (unit text, category text, kind text, credits @extschema@.credit, value numeric)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET max_parallel_workers_per_gather = 0 -- as liability_rollforward
AS $$
    -- a grant's outstanding credits at as_of are its booked credits now
    -- (remaining plus what holds pin) less what entries after as_of moved:
    -- one pass over the grants and the few entries after as_of
    WITH t AS (SELECT coalesce(as_of, credits.clock()) AS t),
    later AS (
        SELECT e."grant", @extschema@.sum(e.delta) AS delta
        FROM credits.entries e, t
        WHERE e.effective_at > t.t AND e."grant" IS NOT NULL AND e.type NOT IN ('hold', 'release')
        GROUP BY 1),
    pinned AS (
        SELECT hl."grant", @extschema@.sum(hl.amount) AS amount
        FROM credits.hold_lots hl WHERE hl.returned_by IS NULL GROUP BY 1),
    outstanding AS (
        SELECT g.account, g.kind, g.cost_basis,
               g.remaining OPERATOR(@extschema@.+) coalesce(p.amount, '0')
                   OPERATOR(@extschema@.-) coalesce(l.delta, '0') AS credits
        FROM credits.grants g
        LEFT JOIN pinned p ON p."grant" = g.id
        LEFT JOIN later l ON l."grant" = g.id)
    SELECT a.unit, k.category, o.kind, @extschema@.sum(o.credits),
           sum(o.credits::numeric * coalesce(o.cost_basis, 0))
    FROM outstanding o
    JOIN credits.kinds k ON k.kind = o.kind
    JOIN credits.accounts a ON a.id = o.account
    WHERE o.credits OPERATOR(@extschema@.<>) '0'::@extschema@.credit
    GROUP BY a.unit, k.category, o.kind
    ORDER BY 1, 2, 3
$$;
COMMENT ON FUNCTION credits.liability(timestamptz) IS 'credits outstanding at as_of (default: the ledger clock) by unit, category and kind, as booked by then (held credits count: they are still owed), and their value: remaining x cost basis';

CREATE OR REPLACE FUNCTION credits.report_periods(from_ts timestamptz, to_ts timestamptz, grain text)
    RETURNS TABLE (period timestamptz, period_end timestamptz)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF from_ts IS NULL OR to_ts IS NULL OR grain IS NULL THEN
        RAISE EXCEPTION 'from_ts, to_ts and grain must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF grain NOT IN ('day', 'week', 'month', 'quarter', 'year') THEN
        RAISE EXCEPTION 'grain must be day, week, month, quarter or year, not "%"', grain USING ERRCODE = '22023';
    END IF;
    IF to_ts < from_ts THEN
        RAISE EXCEPTION 'to_ts (%) must not be before from_ts (%)', to_ts, from_ts USING ERRCODE = '22023';
    END IF;
    RETURN QUERY
    SELECT greatest(p, from_ts), least(p OPERATOR(pg_catalog.+) ('1 ' || grain)::interval, to_ts)
    FROM generate_series(date_trunc(grain, from_ts), to_ts OPERATOR(pg_catalog.-) interval '1 microsecond',
                         ('1 ' || grain)::interval) p
    WHERE from_ts < to_ts;
END
$$;
COMMENT ON FUNCTION credits.report_periods(timestamptz, timestamptz, text) IS 'internal: the periods of a report: [from_ts, to_ts) cut at grain boundaries (day, week, month, quarter, year) in the session''s time zone';

CREATE OR REPLACE FUNCTION credits.liability_rollforward(from_ts timestamptz, to_ts timestamptz,
        grain text DEFAULT 'month')
    RETURNS TABLE (period timestamptz, unit text, category text, opening @extschema@.credit,
                   granted @extschema@.credit, consumed @extschema@.credit, refunded @extschema@.credit,
                   expired @extschema@.credit, voided @extschema@.credit, transferred @extschema@.credit,
                   closing @extschema@.credit, opening_value numeric, closing_value numeric)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    -- no parallel workers: a parallel worker of this query crashed once
    -- (signal 11) in a test run and the cause is not found yet
    SET max_parallel_workers_per_gather = 0
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH periods AS (
        -- '-infinity' stands for everything before from_ts: the opening balances
        SELECT '-infinity'::timestamptz AS period
        UNION ALL SELECT p.period FROM credits.report_periods(from_ts, to_ts, grain) p),
    flows AS (SELECT * FROM credits.report_flows(from_ts, to_ts, grain, true)),
    classes AS (SELECT DISTINCT f.unit, f.category FROM flows f),
    grid AS (
        SELECT x.period, c.unit, c.category,
               coalesce(@extschema@.sum(f.credits) FILTER (WHERE f.flow = 'granted'), '0') AS granted,
               coalesce(@extschema@.credit_neg(@extschema@.sum(f.credits) FILTER (WHERE f.flow = 'consumed')), '0') AS consumed,
               coalesce(@extschema@.sum(f.credits) FILTER (WHERE f.flow = 'refunded'), '0') AS refunded,
               coalesce(@extschema@.credit_neg(@extschema@.sum(f.credits) FILTER (WHERE f.flow = 'expired')), '0') AS expired,
               coalesce(@extschema@.credit_neg(@extschema@.sum(f.credits) FILTER (WHERE f.flow = 'voided')), '0') AS voided,
               coalesce(@extschema@.sum(f.credits) FILTER (WHERE f.flow = 'transferred'), '0') AS transferred,
               coalesce(@extschema@.sum(f.credits), '0') AS moved,
               coalesce(sum(f.value), 0) AS moved_value,
               coalesce(sum(f.entries), 0) AS movements
        FROM periods x CROSS JOIN classes c
        LEFT JOIN flows f ON f.unit = c.unit AND f.category = c.category AND f.period = x.period
        GROUP BY 1, 2, 3),
    rolled AS (
        SELECT g.*, @extschema@.sum(g.moved) OVER w AS closing, sum(g.moved_value) OVER w AS closing_value,
               sum(g.movements) OVER (PARTITION BY g.unit, g.category) AS class_movements
        FROM grid g
        WINDOW w AS (PARTITION BY g.unit, g.category ORDER BY g.period))
    SELECT r.period, r.unit, r.category, r.closing OPERATOR(@extschema@.-) r.moved, r.granted,
           r.consumed, r.refunded, r.expired, r.voided, r.transferred, r.closing,
           r.closing_value - r.moved_value, r.closing_value
    FROM rolled r
    WHERE r.period <> '-infinity' AND r.class_movements > 0
    ORDER BY 1, 2, 3;
END
$$;
COMMENT ON FUNCTION credits.liability_rollforward(timestamptz, timestamptz, text) IS 'the deferred-revenue roll-forward of [from_ts, to_ts) by period (grain: day, week, month, quarter, year), unit and category: opening + granted - consumed + refunded - expired - voided + transferred = closing, and each closing is the next opening; values at cost basis';

CREATE OR REPLACE FUNCTION credits.breakage(from_ts timestamptz, to_ts timestamptz, grain text DEFAULT 'month')
    RETURNS TABLE (period timestamptz, unit text, category text, kind text, credits @extschema@.credit,
                   value numeric)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT f.period, f.unit, f.category, f.kind, @extschema@.sum(@extschema@.credit_neg(f.credits)), sum(-f.value)
    FROM credits.report_flows(from_ts, to_ts, grain, false) f
    WHERE f.flow = 'expired'
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4
$$;
COMMENT ON FUNCTION credits.breakage(timestamptz, timestamptz, text) IS 'credits that expired unused in [from_ts, to_ts), by period, unit, category and kind, and their value at cost basis (as booked: run the expiry sweep first)';

CREATE OR REPLACE FUNCTION credits.revenue_recognition(from_ts timestamptz, to_ts timestamptz,
        grain text DEFAULT 'month')
    RETURNS TABLE (period timestamptz, unit text, recognized numeric, breakage numeric, refunds numeric,
                   promotional_consumed @extschema@.credit, compensation_consumed @extschema@.credit)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    WITH flows AS (
        SELECT f.period, f.unit, f.category, f.flow, f.credits AS delta, f.value
        FROM credits.report_flows(from_ts, to_ts, grain, false) f
        WHERE f.flow IN ('consumed', 'refunded', 'expired'))
    SELECT f.period, f.unit,
           coalesce(sum(-f.value) FILTER (WHERE f.category = 'paid' AND f.flow <> 'expired'), 0),
           coalesce(sum(-f.value) FILTER (WHERE f.category = 'paid' AND f.flow = 'expired'), 0),
           coalesce(sum(f.value) FILTER (WHERE f.category = 'paid' AND f.flow = 'refunded'), 0),
           coalesce(@extschema@.sum(@extschema@.credit_neg(f.delta)) FILTER (WHERE f.category = 'promotional' AND f.flow <> 'expired'), '0'),
           coalesce(@extschema@.sum(@extschema@.credit_neg(f.delta)) FILTER (WHERE f.category = 'compensation' AND f.flow <> 'expired'), '0')
    FROM flows f
    GROUP BY 1, 2
    ORDER BY 1, 2
$$;
COMMENT ON FUNCTION credits.revenue_recognition(timestamptz, timestamptz, text) IS 'per period and unit: revenue recognised from paid credits consumed (x cost basis, net of refunds, which are shown too), breakage of paid credits recognised at expiry, and promotional and compensation credits consumed (net of refunds); docs/analytics.md states the policy';

CREATE OR REPLACE VIEW credits.burn_rate AS
WITH usage AS (
    SELECT a.id, a.key, a.unit,
           coalesce(sum(-e.delta::numeric) FILTER (WHERE e.effective_at > credits.clock() OPERATOR(pg_catalog.-) interval '7 days'), 0) AS consumed_7d,
           coalesce(sum(-e.delta::numeric), 0) AS consumed_30d
    FROM credits.accounts a
    LEFT JOIN credits.entries e ON e.account = a.id AND e."grant" IS NOT NULL
         AND e.type IN ('burn', 'repay', 'refund')
         AND e.effective_at > credits.clock() OPERATOR(pg_catalog.-) interval '30 days'
         AND e.effective_at <= credits.clock()
    GROUP BY a.id, a.key, a.unit),
rated AS (
    SELECT u.*, u.consumed_30d / 30 AS daily, avg(u.consumed_30d / 30) FILTER (WHERE u.consumed_30d > 0)
               OVER (PARTITION BY u.unit) AS unit_daily
    FROM usage u)
SELECT r.key AS account, r.unit, r.consumed_7d::@extschema@.credit AS consumed_7d,
       r.consumed_30d::@extschema@.credit AS consumed_30d, round(r.daily, 9) AS daily_average,
       CASE WHEN r.daily > 0 THEN credits.clock() OPERATOR(pg_catalog.+)
            make_interval(secs => least(greatest(b.balance::numeric, 0) / r.daily * 86400, 3e9)::float8) END AS projected_depletion,
       (SELECT extract(epoch FROM min(g.expires_at) OPERATOR(pg_catalog.-) credits.clock()) / 86400
        FROM credits.grants g WHERE g.account = r.id AND g.is_open
          AND g.expires_at > credits.clock())::numeric(12, 2) AS days_to_next_expiry,
       round(r.daily / nullif(r.unit_daily, 0), 2) AS velocity,
       coalesce(r.daily >= 1.3 * r.unit_daily, false) AS upsell_candidate,
       coalesce((SELECT bool_or(g.remaining::numeric > r.daily * extract(epoch FROM g.expires_at OPERATOR(pg_catalog.-) credits.clock()) / 86400)
                 FROM credits.grants g WHERE g.account = r.id AND g.is_open
                   AND g.expires_at > credits.clock() AND g.effective_at <= credits.clock()), false) AS breakage_at_risk
FROM rated r CROSS JOIN LATERAL (SELECT credits.balance(r.key) AS balance) b;
COMMENT ON VIEW credits.burn_rate IS 'per account at the ledger clock: consumption over 7 and 30 days, the daily average, when the balance runs out at that rate, the next expiry, and velocity against accounts of the same unit (upsell candidates burn at least 30% faster; breakage at risk: a lot holds more than the rate uses before it expires)';
COMMENT ON COLUMN credits.burn_rate.account IS 'the account''s key';
COMMENT ON COLUMN credits.burn_rate.unit IS 'what it counts';
COMMENT ON COLUMN credits.burn_rate.consumed_7d IS 'consumed in the last 7 days (debits, captures, repaid debt, less reversals)';
COMMENT ON COLUMN credits.burn_rate.consumed_30d IS 'consumed in the last 30 days';
COMMENT ON COLUMN credits.burn_rate.daily_average IS 'consumed_30d / 30';
COMMENT ON COLUMN credits.burn_rate.projected_depletion IS 'when the balance runs out at the daily average (NULL: no consumption)';
COMMENT ON COLUMN credits.burn_rate.days_to_next_expiry IS 'days until its soonest expiring lot expires (NULL: none expires)';
COMMENT ON COLUMN credits.burn_rate.velocity IS 'its daily average over the average of the unit''s accounts that consume';
COMMENT ON COLUMN credits.burn_rate.upsell_candidate IS 'velocity >= 1.3: burns at least 30% faster than its peers';
COMMENT ON COLUMN credits.burn_rate.breakage_at_risk IS 'some live lot holds more than the daily average uses before that lot expires';

CREATE OR REPLACE VIEW credits.churn_signals AS
WITH comp AS (
    SELECT g.id, g.account, g.amount, g.effective_at, g.reference,
           lag(g.effective_at) OVER w AS prev_at, lag(g.amount, 1) OVER w AS prev1, lag(g.amount, 2) OVER w AS prev2,
           count(*) OVER (PARTITION BY g.account, g.reference ORDER BY g.effective_at, g.id) AS same_reason
    FROM credits.grants g JOIN credits.kinds k ON k.kind = g.kind
    WHERE k.category = 'compensation'
    WINDOW w AS (PARTITION BY g.account ORDER BY g.effective_at, g.id)),
monthly AS (
    SELECT e.account, date_trunc('month', e.effective_at) AS month, sum(-e.delta::numeric) AS used
    FROM credits.entries e
    WHERE e."grant" IS NOT NULL AND e.type IN ('burn', 'repay', 'refund') AND e.effective_at < date_trunc('month', credits.clock())
    GROUP BY 1, 2),
signals AS (
    SELECT c.account, 'repeated_compensation' AS signal, c.effective_at AS fired_at,
           jsonb_build_object('grant', c.id, 'previous_at', c.prev_at) AS details
    FROM comp c WHERE c.prev_at > c.effective_at OPERATOR(pg_catalog.-) interval '30 days'
    UNION ALL
    SELECT c.account, 'escalating_compensation', c.effective_at,
           jsonb_build_object('grant', c.id, 'amounts', jsonb_build_array(c.prev2::text, c.prev1::text, c.amount::text))
    FROM comp c WHERE c.prev2 OPERATOR(@extschema@.<) c.prev1 AND c.prev1 OPERATOR(@extschema@.<) c.amount
    UNION ALL
    SELECT c.account, 'repeated_reason', c.effective_at, jsonb_build_object('grant', c.id, 'reason', c.reference)
    FROM comp c WHERE c.reference IS NOT NULL AND c.same_reason = 2
    UNION ALL
    SELECT m.account, 'usage_halved', m.month, jsonb_build_object('used', m.used, 'month_before', b.used)
    FROM monthly m JOIN monthly b ON b.account = m.account AND b.month = m.month OPERATOR(pg_catalog.-) interval '1 month'
    WHERE m.used * 2 <= b.used AND b.used > 0
    UNION ALL
    SELECT t.account, 'failed_topup', t.resolved_at, jsonb_build_object('alert', t.alert, 'reason', t.reason)
    FROM credits.topups t WHERE t.status = 'failed')
SELECT a.key AS account, s.signal, s.fired_at, s.details
FROM signals s JOIN credits.accounts a ON a.id = s.account;
COMMENT ON VIEW credits.churn_signals IS 'churn risk, one row per signal that fired: repeated_compensation (two compensation grants within 30 days), escalating_compensation (three in a row, each larger), repeated_reason (a second compensation with the same reference), usage_halved (a month''s consumption at most half the month before), failed_topup';
COMMENT ON COLUMN credits.churn_signals.account IS 'the account''s key';
COMMENT ON COLUMN credits.churn_signals.signal IS 'which signal fired';
COMMENT ON COLUMN credits.churn_signals.fired_at IS 'when: the grant''s effective_at, the month''s start, or the failed top-up''s resolution';
COMMENT ON COLUMN credits.churn_signals.details IS 'what made it fire';

REVOKE EXECUTE ON FUNCTION
    credits.statement(text, timestamptz, timestamptz),
    credits.liability(timestamptz),
    credits.liability_rollforward(timestamptz, timestamptz, text),
    credits.breakage(timestamptz, timestamptz, text),
    credits.revenue_recognition(timestamptz, timestamptz, text),
    credits.report_periods(timestamptz, timestamptz, text)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    credits.statement(text, timestamptz, timestamptz),
    credits.liability(timestamptz),
    credits.liability_rollforward(timestamptz, timestamptz, text),
    credits.breakage(timestamptz, timestamptz, text),
    credits.revenue_recognition(timestamptz, timestamptz, text)
TO credits_reader;
REVOKE ALL ON credits.liability_movements, credits.ledger, credits.grant_status, credits.account_balances, credits.burn_rate,
    credits.churn_signals FROM PUBLIC;
GRANT SELECT ON credits.liability_movements, credits.ledger, credits.grant_status, credits.account_balances, credits.burn_rate,
    credits.churn_signals TO credits_reader;
