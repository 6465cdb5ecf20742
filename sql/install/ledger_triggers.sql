-------------------------------------------------------------------------------
-- Ledger: triggers (C++)
-------------------------------------------------------------------------------

CREATE FUNCTION credits.entries_chain() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credits_entries_chain' LANGUAGE C
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.entries_chain() IS 'trigger: refuses an entry that does not continue its account''s chain (CR012) and sets its hash to SHA-256(prev_hash || encoding), the encoding covering the entry, its operation and its grant';
CREATE TRIGGER entries_chain BEFORE INSERT ON credits.entries
    FOR EACH ROW EXECUTE FUNCTION credits.entries_chain();

CREATE FUNCTION credits.append_only() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credits_append_only' LANGUAGE C
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.append_only() IS 'trigger: refuses UPDATE, DELETE and TRUNCATE (CR005) for every role; with an argument, names the immutable columns a change touched';
CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON credits.entries
    FOR EACH ROW EXECUTE FUNCTION credits.append_only();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON credits.entries
    FOR EACH STATEMENT EXECUTE FUNCTION credits.append_only();
CREATE TRIGGER operations_append_only BEFORE UPDATE OR DELETE ON credits.operations
    FOR EACH ROW EXECUTE FUNCTION credits.append_only();
CREATE TRIGGER operations_no_truncate BEFORE TRUNCATE ON credits.operations
    FOR EACH STATEMENT EXECUTE FUNCTION credits.append_only();

CREATE FUNCTION credits.audit() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credits_audit' LANGUAGE C
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.audit() IS 'trigger: writes a row change to credits.audit_log (argument: the key column)';
-- INSERTs are not logged while search_path is empty: that is how pg_dump's
-- output and pg_restore load data, and a restore must not add audit rows
-- (whose ids would collide with the restored ones). The API functions pin a
-- non-empty search_path, so everything they insert is logged.
CREATE TRIGGER kinds_audit_insert AFTER INSERT ON credits.kinds
    FOR EACH ROW WHEN (pg_catalog.current_setting('search_path') <> '')
    EXECUTE FUNCTION credits.audit('kind');
CREATE TRIGGER kinds_audit AFTER UPDATE OR DELETE ON credits.kinds
    FOR EACH ROW EXECUTE FUNCTION credits.audit('kind');
CREATE TRIGGER accounts_audit_insert AFTER INSERT ON credits.accounts
    FOR EACH ROW WHEN (pg_catalog.current_setting('search_path') <> '')
    EXECUTE FUNCTION credits.audit('key');
CREATE TRIGGER accounts_audit_delete AFTER DELETE ON credits.accounts
    FOR EACH ROW EXECUTE FUNCTION credits.audit('key');
-- the maintained balance columns change with every operation; the journal records those
CREATE TRIGGER accounts_audit_update AFTER UPDATE ON credits.accounts
    FOR EACH ROW WHEN ((OLD.key, OLD.unit, OLD.overdraft_limit, OLD.status, OLD.low_balance_threshold, OLD.metadata, OLD.created_at, OLD.parent, OLD.pool_limit)
                       IS DISTINCT FROM (NEW.key, NEW.unit, NEW.overdraft_limit, NEW.status, NEW.low_balance_threshold, NEW.metadata, NEW.created_at, NEW.parent, NEW.pool_limit))
    EXECUTE FUNCTION credits.audit('key');
CREATE INDEX grants_operation ON credits.grants (operation);

-- A grant's defining attributes never change (the journal's hashes cover
-- them); remaining, voided_at and metadata are maintained.
CREATE TRIGGER grants_immutable BEFORE UPDATE ON credits.grants
    FOR EACH ROW WHEN ((OLD.account, OLD.kind, OLD.amount, OLD.priority, OLD.effective_at,
                        OLD.expires_at, OLD.cost_basis, OLD.reference, OLD.operation, OLD.origin,
                        OLD.rollover_max, OLD.rollover_validity, OLD.rollover_limit, OLD.generation)
                       IS DISTINCT FROM (NEW.account, NEW.kind, NEW.amount, NEW.priority,
                       NEW.effective_at, NEW.expires_at, NEW.cost_basis, NEW.reference, NEW.operation,
                       NEW.origin, NEW.rollover_max, NEW.rollover_validity, NEW.rollover_limit,
                       NEW.generation))
    EXECUTE FUNCTION credits.append_only('account, kind, amount, priority, effective_at, expires_at, cost_basis, reference, operation, origin and rollover rule');
