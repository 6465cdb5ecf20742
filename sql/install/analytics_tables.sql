-------------------------------------------------------------------------------
-- Analytics: the journal's flows summed ahead of time (docs/analytics.md,
-- "Summed flows"). Derived from credits.entries alone: not dumped (a restored
-- database sums them again), refreshed by credits.refresh_flow_totals().
-------------------------------------------------------------------------------

CREATE TABLE credits.flow_totals (
    bucket timestamptz NOT NULL,
    unit text NOT NULL,
    kind text NOT NULL,
    flow text NOT NULL,
    credits @extschema@.credit NOT NULL,
    value numeric NOT NULL,
    entries bigint NOT NULL,
    PRIMARY KEY (bucket, unit, kind, flow)
);
COMMENT ON TABLE credits.flow_totals IS 'the flows of credits.liability_movements summed per 15-minute bucket of ledger time, unit, kind and flow, for every entry up to flow_totals_state.summarized_to; the roll-forward, breakage and revenue reports add the entries after it';
COMMENT ON COLUMN credits.flow_totals.bucket IS 'the start of the 15 minutes (UTC-aligned: every time zone''s day starts on one) the entries took effect in';
COMMENT ON COLUMN credits.flow_totals.unit IS 'the accounts'' unit';
COMMENT ON COLUMN credits.flow_totals.kind IS 'the grants'' kind';
COMMENT ON COLUMN credits.flow_totals.flow IS 'granted, consumed, refunded, expired, voided or transferred (as credits.liability_movements.flow)';
COMMENT ON COLUMN credits.flow_totals.credits IS 'the sum of the entries'' delta';
COMMENT ON COLUMN credits.flow_totals.value IS 'the sum of delta x cost basis';
COMMENT ON COLUMN credits.flow_totals.entries IS 'how many entries';

CREATE TABLE credits.flow_totals_state (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    summarized_to bigint NOT NULL DEFAULT 0,
    pending_to bigint,
    pending_xmax xid8,
    refreshed_at timestamptz,
    CHECK ((pending_to IS NULL) = (pending_xmax IS NULL))
);
COMMENT ON TABLE credits.flow_totals_state IS 'how far credits.flow_totals goes (one row): entries are summed once no transaction can still commit one with a smaller id';
COMMENT ON COLUMN credits.flow_totals_state.only_row IS 'true: the table has one row';
COMMENT ON COLUMN credits.flow_totals_state.summarized_to IS 'every entry with an id up to this one is in credits.flow_totals';
COMMENT ON COLUMN credits.flow_totals_state.pending_to IS 'the largest entry id a refresh saw; entries up to it are summed by the first refresh after every transaction then in progress has ended';
COMMENT ON COLUMN credits.flow_totals_state.pending_xmax IS 'the transaction id no transaction in progress when pending_to was read had reached (pg_snapshot_xmax)';
COMMENT ON COLUMN credits.flow_totals_state.refreshed_at IS 'when credits.refresh_flow_totals() last ran (wall clock)';
INSERT INTO credits.flow_totals_state DEFAULT VALUES;
REVOKE ALL ON credits.flow_totals, credits.flow_totals_state FROM PUBLIC;
GRANT SELECT ON credits.flow_totals, credits.flow_totals_state TO credits_reader;
