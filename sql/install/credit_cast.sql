-------------------------------------------------------------------------------
-- Casts
-------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.credit_from_int2(int2) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_from_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_from_int4(int4) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_from_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_from_int8(int8) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_from_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_from_numeric(numeric) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_from_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_to_numeric(@extschema@.credit) RETURNS numeric
    AS 'MODULE_PATHNAME', 'credit_to_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_from_float8(float8) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_from_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_to_float8(@extschema@.credit) RETURNS float8
    AS 'MODULE_PATHNAME', 'credit_to_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.credit_from_int2(int2) IS 'int2 to credit (implicit cast), exact';
COMMENT ON FUNCTION @extschema@.credit_from_int4(int4) IS 'int4 to credit (implicit cast), exact';
COMMENT ON FUNCTION @extschema@.credit_from_int8(int8) IS 'int8 to credit (implicit cast), exact';
COMMENT ON FUNCTION @extschema@.credit_from_numeric(numeric) IS 'numeric to credit (implicit cast): exact, or an error (22P02, 22003) rather than lost digits';
COMMENT ON FUNCTION @extschema@.credit_to_numeric(@extschema@.credit) IS 'credit to numeric (implicit cast), exact';
COMMENT ON FUNCTION @extschema@.credit_from_float8(float8) IS 'float8 to credit (implicit cast): its shortest decimal form, exact; more than 9 fractional digits is 22P02';
COMMENT ON FUNCTION @extschema@.credit_to_float8(@extschema@.credit) IS 'credit to float8 (explicit cast): the nearest double';

CREATE CAST (int2 AS @extschema@.credit) WITH FUNCTION @extschema@.credit_from_int2(int2) AS IMPLICIT;
CREATE CAST (int4 AS @extschema@.credit) WITH FUNCTION @extschema@.credit_from_int4(int4) AS IMPLICIT;
CREATE CAST (int8 AS @extschema@.credit) WITH FUNCTION @extschema@.credit_from_int8(int8) AS IMPLICIT;
CREATE CAST (numeric AS @extschema@.credit) WITH FUNCTION @extschema@.credit_from_numeric(numeric) AS IMPLICIT;
CREATE CAST (@extschema@.credit AS numeric) WITH FUNCTION @extschema@.credit_to_numeric(@extschema@.credit) AS IMPLICIT;
CREATE CAST (float8 AS @extschema@.credit) WITH FUNCTION @extschema@.credit_from_float8(float8) AS IMPLICIT;
CREATE CAST (@extschema@.credit AS float8) WITH FUNCTION @extschema@.credit_to_float8(@extschema@.credit);
COMMENT ON CAST (int2 AS @extschema@.credit) IS 'implicit, exact';
COMMENT ON CAST (int4 AS @extschema@.credit) IS 'implicit, exact';
COMMENT ON CAST (int8 AS @extschema@.credit) IS 'implicit, exact';
COMMENT ON CAST (numeric AS @extschema@.credit) IS 'implicit; errors rather than losing digits';
COMMENT ON CAST (@extschema@.credit AS numeric) IS 'implicit, exact';
COMMENT ON CAST (float8 AS @extschema@.credit) IS 'implicit; the shortest decimal form, errors rather than losing digits';
COMMENT ON CAST (@extschema@.credit AS float8) IS 'explicit, nearest double';

