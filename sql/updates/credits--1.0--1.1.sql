-- credits 1.0 -> 1.1: the changes to objects created once; the Makefile
-- appends the new pieces of sql/install/ (objects new in 1.1) and the
-- function pieces, which CREATE OR REPLACE every function with its 1.1 body
-- and search_path.
--
-- Security: functions pinned search_path to pg_catalog, @extschema@,
-- pg_temp, and @extschema@ (`public` by default) may be writable by other
-- roles, who could plant operators or functions there that run with the
-- extension owner's rights. Every function now pins pg_catalog, pg_temp.

\echo Use "ALTER EXTENSION credits UPDATE TO '1.1'" to load this file. \quit

-- trigger functions: pinned too
ALTER FUNCTION credits.entries_chain() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION credits.append_only() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION credits.audit() SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION credits.entries_chain() IS 'trigger: refuses an entry that does not continue its account''s chain (CR012) and sets its hash to SHA-256(prev_hash || encoding), the encoding covering the entry, its operation and its grant';
COMMENT ON FUNCTION credits.append_only() IS 'trigger: refuses UPDATE, DELETE and TRUNCATE (CR005) for every role; with an argument, names the immutable columns a change touched';

-- the journal's encoding v2 covers each entry's operation and grant; entries
-- written by 1.0 keep encoding 1
ALTER TABLE credits.entries
    ADD COLUMN encoding smallint NOT NULL DEFAULT 1 CHECK (encoding IN (1, 2));
ALTER TABLE credits.entries ALTER COLUMN encoding SET DEFAULT 2;
COMMENT ON COLUMN credits.entries.encoding IS 'the hash''s encoding (docs/journal.md): 2 covers the entry, its operation and its grant; 1 the entry alone (entries written before version 1.1)';

-- the lifecycle (docs/lifecycle.md): transfers skip non-transferable kinds,
-- grants name the lot their credits came from, and the journal has entry
-- types for refunds, voids, transfers and reinstated refunds
ALTER TABLE credits.kinds ADD COLUMN transferable boolean NOT NULL DEFAULT true;
COMMENT ON COLUMN credits.kinds.transferable IS 'whether credits.transfer() may move grants of this kind to another account';
ALTER TABLE credits.grants ADD COLUMN origin bigint REFERENCES credits.grants (id);
COMMENT ON COLUMN credits.grants.origin IS 'the grant this one''s credits came from: the source lot of a transfer, the expired lot of reinstated refunds, the expired lot of a rollover';
-- rollover rules (docs/signals.md): grant_credits gains rollover_max,
-- rollover_validity and rollover_limit
ALTER TABLE credits.grants
    ADD COLUMN rollover_max @extschema@.credit CHECK (rollover_max >= 0),
    ADD COLUMN rollover_validity interval,
    ADD COLUMN rollover_limit int NOT NULL DEFAULT 0 CHECK (rollover_limit >= 0),
    ADD COLUMN generation int NOT NULL DEFAULT 0 CHECK (generation >= 0),
    ADD CHECK (rollover_max IS NULL OR expires_at IS NOT NULL);
COMMENT ON COLUMN credits.grants.rollover_max IS 'how many of its credits move into a new grant when it expires (NULL: none, all expire); docs/signals.md';
COMMENT ON COLUMN credits.grants.rollover_validity IS 'how long the rolled-over grant lasts after this one''s expiry, counted in UTC (NULL: as long as this grant lasted)';
COMMENT ON COLUMN credits.grants.rollover_limit IS 'how many times credits rolled over from this grant may roll over again (the rolled-over grant gets one fewer; below 0 it gets no rule)';
COMMENT ON COLUMN credits.grants.generation IS 'how many rollovers its credits went through (0: granted as they are)';
-- the open-grant indexes no longer name remaining, so a debit's update of a
-- grant is HOT (no new index entries); is_open is what they named
ALTER TABLE credits.grants
    ADD COLUMN is_open boolean GENERATED ALWAYS AS (remaining OPERATOR(@extschema@.>) '0'::@extschema@.credit
                                                    AND voided_at IS NULL) STORED;
COMMENT ON COLUMN credits.grants.is_open IS 'whether a debit can still burn it (remaining > 0 and not voided; expiry aside): the predicate of the open-grant indexes, so that a debit''s new remaining changes no index and its update is HOT';
DROP INDEX credits.grants_open;
CREATE INDEX grants_open ON credits.grants (account) WHERE is_open;
DROP FUNCTION credits.grant_credits(text, @extschema@.credit, text, timestamptz, int, timestamptz, numeric, text, text, jsonb);
ALTER TABLE credits.entries DROP CONSTRAINT entries_type_check;
ALTER TABLE credits.entries ADD CONSTRAINT entries_type_check
    CHECK (type IN ('grant', 'burn', 'expire', 'overdraft', 'repay', 'refund', 'void',
                    'transfer', 'reinstate', 'hold', 'release', 'rollover'));
COMMENT ON COLUMN credits.entries.type IS 'grant, burn (a debit), expire, overdraft (debt taken), repay (debt repaid), refund (a reversal gave credits back or cancelled debt), void (void_grant), transfer (credits left for a grant on another account), reinstate (refunded credits of an expired lot left for a new grant), hold (credits pinned to a hold), release (pinned credits back in their lot), rollover (credits of an expiring lot left for a new grant)';
-- define_kind gains a defaulted parameter (transferable): a new signature
DROP FUNCTION credits.define_kind(text, text, int, text);
-- pooled accounts: open_account gains parent
ALTER TABLE credits.accounts ADD COLUMN parent bigint REFERENCES credits.accounts (id);
ALTER TABLE credits.accounts ADD COLUMN pool_limit @extschema@.credit CHECK (pool_limit >= 0);
ALTER TABLE credits.accounts ADD COLUMN pool_drawn @extschema@.credit NOT NULL DEFAULT 0 CHECK (pool_drawn >= 0);
COMMENT ON COLUMN credits.accounts.parent IS 'the account whose credits this one draws on once its own are spent (a pool); set when it is opened';
COMMENT ON COLUMN credits.accounts.pool_limit IS 'what this account may draw from its ancestors in total (NULL: no cap); set by credits.set_pool_limit()';
ALTER TABLE credits.accounts ADD COLUMN alerting boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN credits.accounts.alerting IS 'whether alert rules were ever set for it (operations then check them); set by the alert setters';
COMMENT ON COLUMN credits.accounts.pool_drawn IS 'credits of its ancestors this account has consumed (debits and captures, less reversals), maintained by the ledger functions';
DROP TRIGGER accounts_audit_update ON credits.accounts;
CREATE TRIGGER accounts_audit_update AFTER UPDATE ON credits.accounts
    FOR EACH ROW WHEN ((OLD.key, OLD.unit, OLD.overdraft_limit, OLD.status, OLD.low_balance_threshold, OLD.metadata, OLD.created_at, OLD.parent, OLD.pool_limit)
                       IS DISTINCT FROM (NEW.key, NEW.unit, NEW.overdraft_limit, NEW.status, NEW.low_balance_threshold, NEW.metadata, NEW.created_at, NEW.parent, NEW.pool_limit))
    EXECUTE FUNCTION credits.audit('key');
DROP FUNCTION credits.open_account(text, text, @extschema@.credit, jsonb);
-- the expiry sweep and credits.expiring
CREATE INDEX grants_expiring ON credits.grants (expires_at) WHERE is_open;
CREATE INDEX accounts_next_change ON credits.accounts (next_change_at) WHERE next_change_at IS NOT NULL;
-- reports by period (docs/analytics.md)
CREATE INDEX entries_effective_brin ON credits.entries USING brin (effective_at);
-- operations another operation records on the accounts it changes
ALTER TABLE credits.operations ADD COLUMN on_behalf_of bigint REFERENCES credits.operations (id);
COMMENT ON COLUMN credits.operations.on_behalf_of IS 'for the record an operation leaves on another account it changes (a transfer''s destination, a pool''s ancestor): that operation';
CREATE INDEX operations_on_behalf_of ON credits.operations (on_behalf_of) WHERE on_behalf_of IS NOT NULL;

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

-- the billing writers are operations of the pipeline: their rows name the
-- operation (rows written by 1.0 have none)
ALTER TABLE credits.plan_changes ADD COLUMN operation bigint REFERENCES credits.operations (id);
COMMENT ON COLUMN credits.plan_changes.operation IS 'the operation that applied the change (NULL for changes applied before version 1.1)';
ALTER TABLE credits.sla_credits ADD COLUMN operation bigint REFERENCES credits.operations (id);
COMMENT ON COLUMN credits.sla_credits.operation IS 'the operation that issued the credit (NULL for credits issued before version 1.1)';
ALTER TABLE credits.rewards ADD COLUMN operation bigint REFERENCES credits.operations (id);
COMMENT ON COLUMN credits.rewards.operation IS 'the operation that granted the reward (NULL for rewards granted before version 1.1)';

-- the shipped RDS policy names its public source
UPDATE credits.sla_policies
SET description = 'AWS RDS Multi-AZ, 99.95% monthly: below 99.95 and at least 99.0: 10%; below 99.0 and at least 95.0: 25%; below 95.0: 100% (source: the public Amazon RDS Service Level Agreement, aws.amazon.com/rds/sla)'
WHERE name = 'aws-rds-multi-az' AND shipped;


-- Amounts as drivers send them (docs/types.md): credit becomes the preferred
-- type of the numeric category (CREATE TYPE has no ALTER for it), and numeric
-- and float8 cast to it implicitly; float8 by its shortest decimal form.
UPDATE pg_catalog.pg_type SET typispreferred = true WHERE oid = '@extschema@.credit'::pg_catalog.regtype;
DROP CAST (numeric AS @extschema@.credit);
CREATE CAST (numeric AS @extschema@.credit) WITH FUNCTION @extschema@.credit_from_numeric(numeric) AS IMPLICIT;
COMMENT ON CAST (numeric AS @extschema@.credit) IS 'implicit; errors rather than losing digits';
COMMENT ON FUNCTION @extschema@.credit_from_numeric(numeric) IS 'numeric to credit (implicit cast): exact, or an error (22P02, 22003) rather than lost digits';
DROP CAST (float8 AS @extschema@.credit);
CREATE CAST (float8 AS @extschema@.credit) WITH FUNCTION @extschema@.credit_from_float8(float8) AS IMPLICIT;
COMMENT ON CAST (float8 AS @extschema@.credit) IS 'implicit; the shortest decimal form, errors rather than losing digits';
COMMENT ON FUNCTION @extschema@.credit_from_float8(float8) IS 'float8 to credit (implicit cast): its shortest decimal form, exact; more than 9 fractional digits is 22P02';
