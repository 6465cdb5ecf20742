-------------------------------------------------------------------------------
-- Comparison, btree and hash operator classes
-------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.credit_eq(@extschema@.credit, @extschema@.credit) RETURNS bool
    AS 'MODULE_PATHNAME', 'credit_eq' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_ne(@extschema@.credit, @extschema@.credit) RETURNS bool
    AS 'MODULE_PATHNAME', 'credit_ne' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_lt(@extschema@.credit, @extschema@.credit) RETURNS bool
    AS 'MODULE_PATHNAME', 'credit_lt' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_le(@extschema@.credit, @extschema@.credit) RETURNS bool
    AS 'MODULE_PATHNAME', 'credit_le' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_gt(@extschema@.credit, @extschema@.credit) RETURNS bool
    AS 'MODULE_PATHNAME', 'credit_gt' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_ge(@extschema@.credit, @extschema@.credit) RETURNS bool
    AS 'MODULE_PATHNAME', 'credit_ge' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_cmp(@extschema@.credit, @extschema@.credit) RETURNS int4
    AS 'MODULE_PATHNAME', 'credit_cmp' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME', 'credit_sortsupport' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_hash(@extschema@.credit) RETURNS int4
    AS 'MODULE_PATHNAME', 'credit_hash' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_hash_extended(@extschema@.credit, int8) RETURNS int8
    AS 'MODULE_PATHNAME', 'credit_hash_extended' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.credit_eq(@extschema@.credit, @extschema@.credit) IS 'credit = credit';
COMMENT ON FUNCTION @extschema@.credit_ne(@extschema@.credit, @extschema@.credit) IS 'credit <> credit';
COMMENT ON FUNCTION @extschema@.credit_lt(@extschema@.credit, @extschema@.credit) IS 'credit < credit';
COMMENT ON FUNCTION @extschema@.credit_le(@extschema@.credit, @extschema@.credit) IS 'credit <= credit';
COMMENT ON FUNCTION @extschema@.credit_gt(@extschema@.credit, @extschema@.credit) IS 'credit > credit';
COMMENT ON FUNCTION @extschema@.credit_ge(@extschema@.credit, @extschema@.credit) IS 'credit >= credit';
COMMENT ON FUNCTION @extschema@.credit_cmp(@extschema@.credit, @extschema@.credit) IS 'three-way comparison: btree support';
COMMENT ON FUNCTION @extschema@.credit_sortsupport(internal) IS 'sort support with 64-bit abbreviated keys: btree support';
COMMENT ON FUNCTION @extschema@.credit_hash(@extschema@.credit) IS 'hash of a credit: hash support';
COMMENT ON FUNCTION @extschema@.credit_hash_extended(@extschema@.credit, int8) IS 'seeded 64-bit hash of a credit: hash support';

CREATE OPERATOR @extschema@.= (LEFTARG = @extschema@.credit, RIGHTARG = @extschema@.credit,
    FUNCTION = @extschema@.credit_eq, COMMUTATOR = =, NEGATOR = <>,
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR @extschema@.<> (LEFTARG = @extschema@.credit, RIGHTARG = @extschema@.credit,
    FUNCTION = @extschema@.credit_ne, COMMUTATOR = <>, NEGATOR = =,
    RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR @extschema@.< (LEFTARG = @extschema@.credit, RIGHTARG = @extschema@.credit,
    FUNCTION = @extschema@.credit_lt, COMMUTATOR = >, NEGATOR = >=,
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR @extschema@.<= (LEFTARG = @extschema@.credit, RIGHTARG = @extschema@.credit,
    FUNCTION = @extschema@.credit_le, COMMUTATOR = >=, NEGATOR = >,
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR @extschema@.> (LEFTARG = @extschema@.credit, RIGHTARG = @extschema@.credit,
    FUNCTION = @extschema@.credit_gt, COMMUTATOR = <, NEGATOR = <=,
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR @extschema@.>= (LEFTARG = @extschema@.credit, RIGHTARG = @extschema@.credit,
    FUNCTION = @extschema@.credit_ge, COMMUTATOR = <=, NEGATOR = <,
    RESTRICT = scalargesel, JOIN = scalargejoinsel);
COMMENT ON OPERATOR @extschema@.= (@extschema@.credit, @extschema@.credit) IS 'equal';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.credit, @extschema@.credit) IS 'not equal';
COMMENT ON OPERATOR @extschema@.< (@extschema@.credit, @extschema@.credit) IS 'less than';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.credit, @extschema@.credit) IS 'less than or equal';
COMMENT ON OPERATOR @extschema@.> (@extschema@.credit, @extschema@.credit) IS 'greater than';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.credit, @extschema@.credit) IS 'greater than or equal';

CREATE OPERATOR CLASS @extschema@.credit_ops DEFAULT FOR TYPE @extschema@.credit USING btree AS
    OPERATOR 1 @extschema@.<,
    OPERATOR 2 @extschema@.<=,
    OPERATOR 3 @extschema@.=,
    OPERATOR 4 @extschema@.>=,
    OPERATOR 5 @extschema@.>,
    FUNCTION 1 @extschema@.credit_cmp(@extschema@.credit, @extschema@.credit),
    FUNCTION 2 @extschema@.credit_sortsupport(internal);
COMMENT ON OPERATOR CLASS @extschema@.credit_ops USING btree IS 'btree ordering of credits: indexes, ORDER BY, merge joins';
COMMENT ON OPERATOR FAMILY @extschema@.credit_ops USING btree IS 'btree ordering of credits';

CREATE OPERATOR CLASS @extschema@.credit_hash_ops DEFAULT FOR TYPE @extschema@.credit USING hash AS
    OPERATOR 1 @extschema@.=,
    FUNCTION 1 @extschema@.credit_hash(@extschema@.credit),
    FUNCTION 2 @extschema@.credit_hash_extended(@extschema@.credit, int8);
COMMENT ON OPERATOR CLASS @extschema@.credit_hash_ops USING hash IS 'hashing of credits: hash joins, hash aggregates, hash indexes and partitions';
COMMENT ON OPERATOR FAMILY @extschema@.credit_hash_ops USING hash IS 'hashing of credits';

