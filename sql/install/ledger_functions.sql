-------------------------------------------------------------------------------
-- Ledger: functions (C++). SECURITY DEFINER with a pinned search_path: the
-- roles below call them; nobody but the owner writes the tables directly.
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION credits.clock() RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'credits_clock' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION credits.clock() IS 'the ledger clock: credits.test_clock when set, else the transaction timestamp';

CREATE OR REPLACE FUNCTION credits.open_account(key text, unit text DEFAULT 'credit',
        overdraft_limit @extschema@.credit DEFAULT 0, metadata jsonb DEFAULT '{}',
        parent text DEFAULT NULL)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_open_account' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.open_account(text, text, @extschema@.credit, jsonb, text) IS 'opens an account and returns its id; with a parent, it draws on the parent''s credits (and theirs, up the chain) once its own are spent; the same key with the same unit, limit and parent returns the existing id, with other settings CR004';

CREATE OR REPLACE FUNCTION credits.grant_credits(account text, amount @extschema@.credit,
        kind text DEFAULT 'purchased', expires_at timestamptz DEFAULT NULL,
        priority int DEFAULT 50, effective_at timestamptz DEFAULT NULL,
        cost_basis numeric DEFAULT NULL, idempotency_key text DEFAULT NULL,
        reference text DEFAULT NULL, metadata jsonb DEFAULT '{}',
        rollover_max @extschema@.credit DEFAULT NULL, rollover_validity interval DEFAULT NULL,
        rollover_limit int DEFAULT 1)
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_grant_credits' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.grant_credits(text, @extschema@.credit, text, timestamptz, int, timestamptz, numeric, text, text, jsonb, @extschema@.credit, interval, int) IS 'grants credits to an account and returns the grant''s id; repays overdraft debt first; with rollover_max, up to that many credits roll into a new grant when it expires (rollover_validity long, rollover_limit times)';

CREATE OR REPLACE FUNCTION credits.debit(account text, amount @extschema@.credit,
        idempotency_key text DEFAULT NULL, reference text DEFAULT NULL,
        metadata jsonb DEFAULT '{}')
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_debit' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.debit(text, @extschema@.credit, text, text, jsonb) IS 'burns live grants in burn order, then overdraft up to the limit; CR001 beyond; returns the operation''s id';

CREATE OR REPLACE FUNCTION credits.try_debit(account text, amount @extschema@.credit,
        idempotency_key text DEFAULT NULL, reference text DEFAULT NULL,
        metadata jsonb DEFAULT '{}')
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_try_debit' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.try_debit(text, @extschema@.credit, text, text, jsonb) IS 'like debit, but returns NULL (changing nothing) instead of raising CR001';

CREATE OR REPLACE FUNCTION credits.balance(account text, as_of timestamptz DEFAULT NULL)
    RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credits_balance' LANGUAGE C STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.balance(text, timestamptz) IS 'live credits at as_of (default: the ledger clock) minus overdraft debt; exact for past instants from the journal';

CREATE OR REPLACE FUNCTION credits.grants_of(account text, as_of timestamptz DEFAULT NULL)
    RETURNS TABLE (grant_id bigint, kind text, remaining @extschema@.credit, priority int,
                   effective_at timestamptz, expires_at timestamptz, cost_basis numeric)
    AS 'MODULE_PATHNAME', 'credits_grants_of' LANGUAGE C STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.grants_of(text, timestamptz) IS 'the grants live at as_of in burn order: what the next debit burns, first row first; grant_id is NULL for credits rolled over since the account was last written (the next operation or sweep writes that grant)';

CREATE OR REPLACE FUNCTION credits.verify_chain(account text DEFAULT NULL)
    RETURNS TABLE (account text, entries bigint, ok boolean, first_bad_seq bigint)
    AS 'MODULE_PATHNAME', 'credits_verify_chain' LANGUAGE C STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.verify_chain(text) IS 'recomputes each account''s hash chain (all accounts when NULL): entry count, ok, first bad seq';

CREATE OR REPLACE FUNCTION credits.check_invariants()
    RETURNS TABLE (account text, problem text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT a.key, p.problem
    FROM credits.accounts a
    CROSS JOIN LATERAL (
        SELECT format('grant %s: remaining %s is outside 0..%s', g.id, g.remaining, g.amount)
        FROM credits.grants g
        WHERE g.account = a.id
          AND (g.remaining OPERATOR(@extschema@.<) '0'::@extschema@.credit
               OR g.remaining OPERATOR(@extschema@.>) g.amount)
        UNION ALL
        SELECT format('grant %s: remaining %s, but its entries add up to %s', g.id, g.remaining, s.total)
        FROM credits.grants g
        CROSS JOIN LATERAL (SELECT COALESCE(@extschema@.sum(e.delta), '0'::@extschema@.credit) AS total
                            FROM credits.entries e WHERE e."grant" = g.id) s
        WHERE g.account = a.id AND g.remaining OPERATOR(@extschema@.<>) s.total
        UNION ALL
        SELECT format('debt %s, but the overdraft entries add up to %s', a.debt, OPERATOR(@extschema@.-) s.total)
        FROM (SELECT COALESCE(@extschema@.sum(e.delta), '0'::@extschema@.credit) AS total
              FROM credits.entries e WHERE e.account = a.id AND e."grant" IS NULL) s
        WHERE a.debt OPERATOR(@extschema@.<>) OPERATOR(@extschema@.-) s.total
        UNION ALL
        SELECT format('grant %s: voided, but %s remaining', g.id, g.remaining)
        FROM credits.grants g
        WHERE g.account = a.id AND g.voided_at IS NOT NULL
          AND g.remaining OPERATOR(@extschema@.<>) '0'::@extschema@.credit
        UNION ALL
        SELECT format('hold %s: amount %s, but its lots add up to %s', h.id, h.amount, l.total)
        FROM credits.holds h
        CROSS JOIN LATERAL (SELECT COALESCE(@extschema@.sum(hl.amount), '0'::@extschema@.credit) AS total
                            FROM credits.hold_lots hl WHERE hl.hold = h.id) l
        WHERE h.account = a.id AND h.amount OPERATOR(@extschema@.<>) l.total
        UNION ALL
        SELECT format('operation %s: reversed %s, more than the %s it took', r.original, r.total, t.taken)
        FROM (SELECT r.original, @extschema@.sum(r.amount) AS total
              FROM credits.reversals r JOIN credits.operations o ON o.id = r.original
              WHERE o.account = a.id GROUP BY r.original) r
        CROSS JOIN LATERAL (SELECT COALESCE(@extschema@.sum(OPERATOR(@extschema@.-) e.delta), '0'::@extschema@.credit) AS taken
                            FROM credits.entries e
                            WHERE e.type IN ('burn', 'overdraft')
                              AND (e.operation = r.original
                                   OR e.operation IN (SELECT p.id FROM credits.operations p
                                                      WHERE p.on_behalf_of = r.original))) t
        WHERE r.total OPERATOR(@extschema@.>) t.taken
        UNION ALL
        SELECT format('balance %s, but the last entry says %s', a.balance, l.account_balance_after)
        FROM (SELECT e.account_balance_after FROM credits.entries e
              WHERE e.account = a.id ORDER BY e.seq DESC LIMIT 1) l
        WHERE l.account_balance_after OPERATOR(@extschema@.<>) a.balance
        UNION ALL
        SELECT format('seq runs %s..%s over %s entries; last_seq is %s', s.lo, s.hi, s.n, a.last_seq)
        FROM (SELECT min(e.seq) AS lo, max(e.seq) AS hi, count(*) AS n
              FROM credits.entries e WHERE e.account = a.id) s
        WHERE s.n > 0 AND (s.lo <> 1 OR s.hi <> s.n OR a.last_seq <> s.n)
           OR s.n = 0 AND a.last_seq <> 0
        UNION ALL
        SELECT 'last_hash is not the last entry''s hash'
        FROM (SELECT e.hash FROM credits.entries e
              WHERE e.account = a.id ORDER BY e.seq DESC LIMIT 1) l
        WHERE l.hash IS DISTINCT FROM a.last_hash
        UNION ALL
        SELECT format('hash chain broken at seq %s: %s', v.first_bad_seq,
                      CASE WHEN e.id IS NULL THEN 'no such entry; the anchor (last_seq, last_hash) expects one'
                           WHEN e."grant" IS NOT NULL
                           THEN format('entry %s (operation %s, grant %s) no longer matches its hash, or its operation or grant row was changed', e.id, e.operation, e."grant")
                           ELSE format('entry %s (operation %s) no longer matches its hash, or its operation row was changed', e.id, e.operation) END)
        FROM credits.verify_chain(a.key) v
        LEFT JOIN credits.entries e ON e.account = a.id AND e.seq = v.first_bad_seq
        WHERE NOT v.ok
    ) p(problem)
    UNION ALL
    -- the summed flows (analytics_totals.sql) against the journal they cover
    SELECT NULL, format('flow_totals: %s %s %s at %s sums %s over %s entries, but the journal up to entry %s says %s over %s',
                        coalesce(t.unit, j.unit), coalesce(t.kind, j.kind), coalesce(t.flow, j.flow),
                        coalesce(t.bucket, j.bucket), coalesce(t.credits, '0'), coalesce(t.entries, 0),
                        (SELECT s.summarized_to FROM credits.flow_totals_state s),
                        coalesce(j.credits, '0'), coalesce(j.entries, 0))
    FROM credits.flow_totals t
    FULL JOIN credits.bucket_sums(0, (SELECT s.summarized_to FROM credits.flow_totals_state s)) j
        ON j.bucket = t.bucket AND j.unit = t.unit AND j.kind = t.kind AND j.flow = t.flow
    WHERE t.credits IS DISTINCT FROM j.credits OR t.entries IS DISTINCT FROM j.entries
    ORDER BY 1, 2
$$;
COMMENT ON FUNCTION credits.check_invariants() IS 'lists every account whose maintained figures disagree with the journal, whose grants are out of bounds or voided with credits left, whose holds disagree with their lots, whose reversals exceed what they reverse, whose seq has gaps, or whose chain does not verify, and (account NULL) where credits.flow_totals disagrees with the journal it covers; empty when all is well';

CREATE OR REPLACE FUNCTION credits.set_account_status(account text, status text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF account IS NULL OR status IS NULL THEN
        RAISE EXCEPTION 'account and status must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF status NOT IN ('active', 'frozen', 'closed') THEN
        RAISE EXCEPTION 'unknown account status "%"', status
            USING ERRCODE = '22023', HINT = 'Use active, frozen or closed.';
    END IF;
    UPDATE credits.accounts a SET status = set_account_status.status WHERE a.key = account;
    IF NOT FOUND THEN
        -- the same message and hint as every C++ function's (read_account)
        RAISE EXCEPTION 'account "%" does not exist', account
            USING ERRCODE = 'CR002', HINT = 'Open it first with credits.open_account().';
    END IF;
END
$$;
COMMENT ON FUNCTION credits.set_account_status(text, text) IS 'sets an account active, frozen or closed (frozen and closed accounts take no grants or debits: CR003)';

CREATE OR REPLACE FUNCTION credits.define_kind(kind text, category text, burn_rank int DEFAULT NULL,
        description text DEFAULT NULL, transferable boolean DEFAULT true) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF kind IS NULL OR category IS NULL OR transferable IS NULL THEN
        RAISE EXCEPTION 'kind, category and transferable must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF kind = '' THEN
        RAISE EXCEPTION 'kind must not be empty' USING ERRCODE = '22023';
    END IF;
    IF category NOT IN ('paid', 'promotional', 'compensation') THEN
        RAISE EXCEPTION 'unknown category "%"', category
            USING ERRCODE = '22023', HINT = 'Use paid, promotional or compensation.';
    END IF;
    INSERT INTO credits.kinds AS k (kind, category, burn_rank, description, transferable)
    VALUES (kind, category,
            COALESCE(burn_rank, CASE category WHEN 'promotional' THEN 10
                                              WHEN 'compensation' THEN 20 ELSE 30 END),
            description, transferable)
    ON CONFLICT ON CONSTRAINT kinds_pkey DO UPDATE
        SET category = EXCLUDED.category, burn_rank = EXCLUDED.burn_rank,
            description = EXCLUDED.description, transferable = EXCLUDED.transferable
        WHERE NOT k.shipped;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'kind "%" is shipped with the extension and cannot be redefined', kind
            USING ERRCODE = '22023';
    END IF;
END
$$;
COMMENT ON FUNCTION credits.define_kind(text, text, int, text, boolean) IS 'adds or redefines a user kind of credits (burn_rank defaults by category: promotional 10, compensation 20, paid 30; transferable: whether credits.transfer() may move its grants)';

REVOKE EXECUTE ON FUNCTION
    credits.open_account(text, text, @extschema@.credit, jsonb, text),
    credits.grant_credits(text, @extschema@.credit, text, timestamptz, int, timestamptz, numeric, text, text, jsonb, @extschema@.credit, interval, int),
    credits.debit(text, @extschema@.credit, text, text, jsonb),
    credits.try_debit(text, @extschema@.credit, text, text, jsonb),
    credits.balance(text, timestamptz),
    credits.grants_of(text, timestamptz),
    credits.verify_chain(text),
    credits.check_invariants(),
    credits.set_account_status(text, text),
    credits.define_kind(text, text, int, text, boolean),
    credits.entries_chain(), credits.append_only(), credits.audit()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    credits.balance(text, timestamptz),
    credits.grants_of(text, timestamptz)
TO credits_reader;
GRANT EXECUTE ON FUNCTION
    credits.open_account(text, text, @extschema@.credit, jsonb, text),
    credits.grant_credits(text, @extschema@.credit, text, timestamptz, int, timestamptz, numeric, text, text, jsonb, @extschema@.credit, interval, int),
    credits.debit(text, @extschema@.credit, text, text, jsonb),
    credits.try_debit(text, @extschema@.credit, text, text, jsonb)
TO credits_writer;
GRANT EXECUTE ON FUNCTION
    credits.verify_chain(text),
    credits.check_invariants(),
    credits.set_account_status(text, text),
    credits.define_kind(text, text, int, text, boolean)
TO credits_admin;

