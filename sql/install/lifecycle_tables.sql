-------------------------------------------------------------------------------
-- Lifecycle: tables new in 1.1 (docs/lifecycle.md)
-------------------------------------------------------------------------------

CREATE TABLE credits.reversals (
    operation bigint PRIMARY KEY REFERENCES credits.operations (id),
    original bigint NOT NULL REFERENCES credits.operations (id),
    amount @extschema@.credit NOT NULL CHECK (amount > 0)
);
COMMENT ON TABLE credits.reversals IS 'one row per credits.reverse() call: the reversing operation, the debit or capture it reverses, and how much (append-only); its refund entries say which lots got what';
CREATE INDEX reversals_original ON credits.reversals (original);
CREATE TRIGGER reversals_append_only BEFORE UPDATE OR DELETE ON credits.reversals
    FOR EACH ROW EXECUTE FUNCTION credits.append_only();
CREATE TRIGGER reversals_no_truncate BEFORE TRUNCATE ON credits.reversals
    FOR EACH STATEMENT EXECUTE FUNCTION credits.append_only();
SELECT pg_catalog.pg_extension_config_dump('credits.reversals', '');
REVOKE ALL ON credits.reversals FROM PUBLIC;
GRANT SELECT ON credits.reversals TO credits_reader;
