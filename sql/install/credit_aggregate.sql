-------------------------------------------------------------------------------
-- Aggregates
-------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.credit_acc_add(internal, @extschema@.credit) RETURNS internal
    AS 'MODULE_PATHNAME', 'credit_acc_add' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_acc_remove(internal, @extschema@.credit) RETURNS internal
    AS 'MODULE_PATHNAME', 'credit_acc_remove' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_acc_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'credit_acc_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_acc_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'credit_acc_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_acc_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'credit_acc_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_sum_final(internal) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_sum_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_avg_final(internal) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_avg_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_larger(@extschema@.credit, @extschema@.credit) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_larger' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_smaller(@extschema@.credit, @extschema@.credit) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_smaller' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.credit_acc_add(internal, @extschema@.credit) IS 'sum/avg transition: adds to a 192-bit total';
COMMENT ON FUNCTION @extschema@.credit_acc_remove(internal, @extschema@.credit) IS 'sum/avg inverse transition for moving windows';
COMMENT ON FUNCTION @extschema@.credit_acc_combine(internal, internal) IS 'sum/avg combine of parallel partial states';
COMMENT ON FUNCTION @extschema@.credit_acc_serialize(internal) IS 'sum/avg state serialization for parallel workers';
COMMENT ON FUNCTION @extschema@.credit_acc_deserialize(bytea, internal) IS 'sum/avg state deserialization for parallel workers';
COMMENT ON FUNCTION @extschema@.credit_sum_final(internal) IS 'sum final: the total; 22003 if it does not fit';
COMMENT ON FUNCTION @extschema@.credit_avg_final(internal) IS 'avg final: the mean rounded half-even at the 9th fractional digit';
COMMENT ON FUNCTION @extschema@.credit_larger(@extschema@.credit, @extschema@.credit) IS 'the larger of two credits';
COMMENT ON FUNCTION @extschema@.credit_smaller(@extschema@.credit, @extschema@.credit) IS 'the smaller of two credits';

CREATE AGGREGATE @extschema@.sum(@extschema@.credit) (
    SFUNC = @extschema@.credit_acc_add, STYPE = internal, SSPACE = 48,
    FINALFUNC = @extschema@.credit_sum_final,
    COMBINEFUNC = @extschema@.credit_acc_combine,
    SERIALFUNC = @extschema@.credit_acc_serialize,
    DESERIALFUNC = @extschema@.credit_acc_deserialize,
    MSFUNC = @extschema@.credit_acc_add, MINVFUNC = @extschema@.credit_acc_remove,
    MSTYPE = internal, MSSPACE = 48, MFINALFUNC = @extschema@.credit_sum_final,
    PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.avg(@extschema@.credit) (
    SFUNC = @extschema@.credit_acc_add, STYPE = internal, SSPACE = 48,
    FINALFUNC = @extschema@.credit_avg_final,
    COMBINEFUNC = @extschema@.credit_acc_combine,
    SERIALFUNC = @extschema@.credit_acc_serialize,
    DESERIALFUNC = @extschema@.credit_acc_deserialize,
    MSFUNC = @extschema@.credit_acc_add, MINVFUNC = @extschema@.credit_acc_remove,
    MSTYPE = internal, MSSPACE = 48, MFINALFUNC = @extschema@.credit_avg_final,
    PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.min(@extschema@.credit) (
    SFUNC = @extschema@.credit_smaller, STYPE = @extschema@.credit,
    COMBINEFUNC = @extschema@.credit_smaller, SORTOP = OPERATOR(@extschema@.<), PARALLEL = SAFE);
CREATE AGGREGATE @extschema@.max(@extschema@.credit) (
    SFUNC = @extschema@.credit_larger, STYPE = @extschema@.credit,
    COMBINEFUNC = @extschema@.credit_larger, SORTOP = OPERATOR(@extschema@.>), PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.sum(@extschema@.credit) IS 'exact total of credits; partial sums never overflow, a final total out of range is 22003';
COMMENT ON AGGREGATE @extschema@.avg(@extschema@.credit) IS 'mean of credits, rounded half-even at the 9th fractional digit';
COMMENT ON AGGREGATE @extschema@.min(@extschema@.credit) IS 'smallest credit';
COMMENT ON AGGREGATE @extschema@.max(@extschema@.credit) IS 'largest credit';

