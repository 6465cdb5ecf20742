-------------------------------------------------------------------------------
-- Analytics: the flows the period reports sum (roll-forward, breakage,
-- revenue), summed ahead of time per 15-minute bucket (credits.flow_totals)
-- so that a year of a large journal is not read entry by entry.
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION credits.flow_bucket(at timestamptz)
    RETURNS timestamptz
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
    -- UTC-aligned quarter hours: every time zone's days and months start on one
    SELECT (date_trunc('hour', at AT TIME ZONE 'UTC')
            + floor(extract(minute FROM at AT TIME ZONE 'UTC') / 15) * interval '15 minutes') AT TIME ZONE 'UTC'
$$;
COMMENT ON FUNCTION credits.flow_bucket(timestamptz) IS 'internal: the start of the 15 minutes (UTC-aligned) that hold at: the buckets of credits.flow_totals';

CREATE OR REPLACE FUNCTION credits.bucket_sums(after bigint, through bigint)
    RETURNS TABLE (bucket timestamptz, unit text, kind text, flow text, credits @extschema@.credit,
                   value numeric, entries bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT credits.flow_bucket(m.at), m.unit, m.kind, m.flow,
           @extschema@.sum(m.delta), sum(m.value), count(*)
    FROM credits.liability_movements m
    WHERE m.entry > after AND m.entry <= through
    GROUP BY 1, 2, 3, 4;
END
$$;
COMMENT ON FUNCTION credits.bucket_sums(bigint, bigint) IS 'internal: the movements of the entries with ids in (after, through] summed as credits.flow_totals sums them: what summarize_flows adds and check_invariants compares';

CREATE OR REPLACE FUNCTION credits.summarize_flows(through bigint)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    after bigint;
    summed bigint;
BEGIN
    SELECT s.summarized_to INTO STRICT after FROM credits.flow_totals_state s FOR UPDATE;
    IF through <= after THEN
        RETURN 0;
    END IF;
    WITH sums AS (SELECT * FROM credits.bucket_sums(after, through)),
    added AS (
        INSERT INTO credits.flow_totals AS t (bucket, unit, kind, flow, credits, value, entries)
        SELECT * FROM sums
        ON CONFLICT (bucket, unit, kind, flow) DO UPDATE
        SET credits = t.credits OPERATOR(@extschema@.+) excluded.credits,
            value = t.value + excluded.value, entries = t.entries + excluded.entries)
    SELECT coalesce(sum(s.entries), 0) INTO summed FROM sums s;
    UPDATE credits.flow_totals_state
    SET summarized_to = through,
        pending_to = CASE WHEN pending_to > through THEN pending_to END,
        pending_xmax = CASE WHEN pending_to > through THEN pending_xmax END;
    RETURN summed;
END
$$;
COMMENT ON FUNCTION credits.summarize_flows(bigint) IS 'internal: adds the movements of the entries after flow_totals_state.summarized_to up to id through to credits.flow_totals and moves summarized_to there; only for ids no transaction can still commit below (credits.refresh_flow_totals() decides)';

CREATE OR REPLACE FUNCTION credits.refresh_flow_totals()
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    s credits.flow_totals_state;
    summed bigint := 0;
    seen bigint;
    horizon xid8;
BEGIN
    SELECT * INTO STRICT s FROM credits.flow_totals_state FOR UPDATE; -- one refresh at a time
    -- cached sequence values are handed out of order across sessions
    IF (SELECT q.seqcache FROM pg_sequence q WHERE q.seqrelid = 'credits.entries_id_seq'::regclass) > 1 THEN
        RAISE EXCEPTION 'credits.entries_id_seq has CACHE > 1: entry ids are then not taken in order, and the summed flows could skip an entry'
            USING ERRCODE = '55000', HINT = 'ALTER SEQUENCE credits.entries_id_seq CACHE 1';
    END IF;
    -- Entry ids are taken in order but commit out of order. Every writer
    -- locks its accounts (and so has a transaction id) before it takes entry
    -- ids, so an entry below the largest id seen last time can only come
    -- from a transaction that was in progress then: once all of those have
    -- ended, every entry up to that id is final.
    IF s.pending_to IS NOT NULL AND pg_snapshot_xmin(pg_current_snapshot()) >= s.pending_xmax THEN
        summed := credits.summarize_flows(s.pending_to);
        s.summarized_to := greatest(s.summarized_to, s.pending_to);
    END IF;
    -- the largest id and the horizon from one snapshot
    SELECT coalesce(max(e.id), 0), pg_snapshot_xmax(pg_current_snapshot()) INTO seen, horizon
    FROM credits.entries e;
    UPDATE credits.flow_totals_state
    SET pending_to = CASE WHEN seen > s.summarized_to THEN seen END,
        pending_xmax = CASE WHEN seen > s.summarized_to THEN horizon END,
        refreshed_at = clock_timestamp();
    RETURN summed;
END
$$;
COMMENT ON FUNCTION credits.refresh_flow_totals() IS 'admin: brings credits.flow_totals up to the entries that were committed when it last ran (and every transaction then in progress has ended); returns how many entries it added. Schedule it with the expiry sweep: the period reports read the entries it has not summed yet one by one';

CREATE OR REPLACE FUNCTION credits.report_flows(from_ts timestamptz, to_ts timestamptz, grain text,
        opening boolean)
    RETURNS TABLE (period timestamptz, unit text, category text, kind text, flow text,
                   credits @extschema@.credit, value numeric, entries bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    summed bigint;
    cut timestamptz[];
BEGIN
    -- buckets that from_ts, to_ts or a period's start cuts in two: their
    -- entries are read one by one (the periods' checks raise here)
    cut := ARRAY(SELECT DISTINCT credits.flow_bucket(x.at)
                 FROM (SELECT p.period FROM credits.report_periods(from_ts, to_ts, grain) p
                       UNION ALL SELECT from_ts UNION ALL SELECT to_ts) x (at)
                 WHERE credits.flow_bucket(x.at) <> x.at);
    SELECT s.summarized_to INTO STRICT summed FROM credits.flow_totals_state s;
    RETURN QUERY
    SELECT CASE WHEN f.at < from_ts THEN '-infinity'::timestamptz
                ELSE greatest(date_trunc(grain, f.at), from_ts) END,
           f.unit, k.category, f.kind, f.flow, @extschema@.sum(f.credits), sum(f.value), sum(f.entries)::bigint
    FROM (
        -- whole buckets, summed
        SELECT t.bucket AS at, t.unit, t.kind, t.flow, t.credits, t.value, t.entries
        FROM credits.flow_totals t
        WHERE t.bucket < to_ts AND (opening OR t.bucket >= from_ts) AND t.bucket <> ALL (cut)
        UNION ALL
        -- the summed entries of cut buckets, bucket by bucket (OFFSET 0 keeps
        -- the planner from turning this into one pass over the journal)
        SELECT m.at, m.unit, m.kind, m.flow, m.delta, m.value, 1
        FROM unnest(cut) c (bucket)
        CROSS JOIN LATERAL (
            SELECT m.* FROM credits.liability_movements m
            WHERE m.at >= c.bucket AND m.at < c.bucket + interval '15 minutes' OFFSET 0) m
        WHERE m.entry <= summed AND m.at < to_ts AND (opening OR m.at >= from_ts)
        UNION ALL
        -- the entries not summed yet
        SELECT m.at, m.unit, m.kind, m.flow, m.delta, m.value, 1
        FROM credits.liability_movements m
        WHERE m.entry > summed AND m.at < to_ts AND (opening OR m.at >= from_ts)) f
    JOIN credits.kinds k ON k.kind = f.kind
    GROUP BY 1, 2, 3, 4, 5;
END
$$;
COMMENT ON FUNCTION credits.report_flows(timestamptz, timestamptz, text, boolean) IS 'internal: the movements of [from_ts, to_ts) summed by period (as credits.report_periods cuts it), unit, category, kind and flow, from credits.flow_totals and the entries it does not cover; with opening, everything before from_ts too, as period -infinity';

REVOKE EXECUTE ON FUNCTION
    credits.flow_bucket(timestamptz),
    credits.bucket_sums(bigint, bigint),
    credits.summarize_flows(bigint),
    credits.refresh_flow_totals(),
    credits.report_flows(timestamptz, timestamptz, text, boolean)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credits.refresh_flow_totals() TO credits_admin;
