-------------------------------------------------------------------------------
-- Amounts as drivers send them (new in 1.1; see docs/types.md)
-------------------------------------------------------------------------------

-- Text typed as text or varchar (pgJDBC's setString binds varchar) reaches
-- credit parameters through credit's own input function: the same errors as
-- a literal.
CREATE CAST (text AS @extschema@.credit) WITH INOUT AS IMPLICIT;
CREATE CAST (varchar AS @extschema@.credit) WITH INOUT AS IMPLICIT;
COMMENT ON CAST (text AS @extschema@.credit) IS 'implicit; parsed as a credit literal';
COMMENT ON CAST (varchar AS @extschema@.credit) IS 'implicit; parsed as a credit literal';

-- credit is the preferred type of the numeric category and numeric and
-- float8 cast to it implicitly, so where a built-in numeric or float8
-- operator and a credit operator needing one conversion each would match
-- equally well, the credit one would now win. These exact matches keep the
-- built-in meaning of such expressions (`numeric / int`, `float8 * int`,
-- `int * float8`, `float8 * numeric`, ...): inlinable SQL calling
-- pg_catalog's operators, so plans and results are as without the extension.

CREATE FUNCTION @extschema@.numeric_div_int2(numeric, int2) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1 OPERATOR(pg_catalog./) $2::pg_catalog.numeric';
COMMENT ON FUNCTION @extschema@.numeric_div_int2(numeric, int2) IS 'numeric divided by int2, as built in (keeps the expression unambiguous)';
CREATE OPERATOR @extschema@./ (LEFTARG = numeric, RIGHTARG = int2, FUNCTION = @extschema@.numeric_div_int2);
COMMENT ON OPERATOR @extschema@./ (numeric, int2) IS 'numeric divided by int2, as built in';
CREATE FUNCTION @extschema@.numeric_div_int4(numeric, int4) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1 OPERATOR(pg_catalog./) $2::pg_catalog.numeric';
COMMENT ON FUNCTION @extschema@.numeric_div_int4(numeric, int4) IS 'numeric divided by int4, as built in (keeps the expression unambiguous)';
CREATE OPERATOR @extschema@./ (LEFTARG = numeric, RIGHTARG = int4, FUNCTION = @extschema@.numeric_div_int4);
COMMENT ON OPERATOR @extschema@./ (numeric, int4) IS 'numeric divided by int4, as built in';
CREATE FUNCTION @extschema@.numeric_div_int8(numeric, int8) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1 OPERATOR(pg_catalog./) $2::pg_catalog.numeric';
COMMENT ON FUNCTION @extschema@.numeric_div_int8(numeric, int8) IS 'numeric divided by int8, as built in (keeps the expression unambiguous)';
CREATE OPERATOR @extschema@./ (LEFTARG = numeric, RIGHTARG = int8, FUNCTION = @extschema@.numeric_div_int8);
COMMENT ON OPERATOR @extschema@./ (numeric, int8) IS 'numeric divided by int8, as built in';
CREATE FUNCTION @extschema@.float8_mul_int2(float8, int2) RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1 OPERATOR(pg_catalog.*) $2::pg_catalog.float8';
COMMENT ON FUNCTION @extschema@.float8_mul_int2(float8, int2) IS 'float8 times int2, as built in (keeps the expression unambiguous)';
CREATE OPERATOR @extschema@.* (LEFTARG = float8, RIGHTARG = int2, FUNCTION = @extschema@.float8_mul_int2, COMMUTATOR = *);
COMMENT ON OPERATOR @extschema@.* (float8, int2) IS 'float8 times int2, as built in';
CREATE FUNCTION @extschema@.int2_mul_float8(int2, float8) RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1::pg_catalog.float8 OPERATOR(pg_catalog.*) $2';
COMMENT ON FUNCTION @extschema@.int2_mul_float8(int2, float8) IS 'int2 times float8, as built in (keeps the expression unambiguous)';
CREATE OPERATOR @extschema@.* (LEFTARG = int2, RIGHTARG = float8, FUNCTION = @extschema@.int2_mul_float8, COMMUTATOR = *);
COMMENT ON OPERATOR @extschema@.* (int2, float8) IS 'int2 times float8, as built in';
CREATE FUNCTION @extschema@.float8_div_int2(float8, int2) RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1 OPERATOR(pg_catalog./) $2::pg_catalog.float8';
COMMENT ON FUNCTION @extschema@.float8_div_int2(float8, int2) IS 'float8 divided by int2, as built in (keeps the expression unambiguous)';
CREATE OPERATOR @extschema@./ (LEFTARG = float8, RIGHTARG = int2, FUNCTION = @extschema@.float8_div_int2);
COMMENT ON OPERATOR @extschema@./ (float8, int2) IS 'float8 divided by int2, as built in';
CREATE FUNCTION @extschema@.float8_mul_int4(float8, int4) RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1 OPERATOR(pg_catalog.*) $2::pg_catalog.float8';
COMMENT ON FUNCTION @extschema@.float8_mul_int4(float8, int4) IS 'float8 times int4, as built in (keeps the expression unambiguous)';
CREATE OPERATOR @extschema@.* (LEFTARG = float8, RIGHTARG = int4, FUNCTION = @extschema@.float8_mul_int4, COMMUTATOR = *);
COMMENT ON OPERATOR @extschema@.* (float8, int4) IS 'float8 times int4, as built in';
CREATE FUNCTION @extschema@.int4_mul_float8(int4, float8) RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1::pg_catalog.float8 OPERATOR(pg_catalog.*) $2';
COMMENT ON FUNCTION @extschema@.int4_mul_float8(int4, float8) IS 'int4 times float8, as built in (keeps the expression unambiguous)';
CREATE OPERATOR @extschema@.* (LEFTARG = int4, RIGHTARG = float8, FUNCTION = @extschema@.int4_mul_float8, COMMUTATOR = *);
COMMENT ON OPERATOR @extschema@.* (int4, float8) IS 'int4 times float8, as built in';
CREATE FUNCTION @extschema@.float8_div_int4(float8, int4) RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1 OPERATOR(pg_catalog./) $2::pg_catalog.float8';
COMMENT ON FUNCTION @extschema@.float8_div_int4(float8, int4) IS 'float8 divided by int4, as built in (keeps the expression unambiguous)';
CREATE OPERATOR @extschema@./ (LEFTARG = float8, RIGHTARG = int4, FUNCTION = @extschema@.float8_div_int4);
COMMENT ON OPERATOR @extschema@./ (float8, int4) IS 'float8 divided by int4, as built in';
CREATE FUNCTION @extschema@.float8_mul_int8(float8, int8) RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1 OPERATOR(pg_catalog.*) $2::pg_catalog.float8';
COMMENT ON FUNCTION @extschema@.float8_mul_int8(float8, int8) IS 'float8 times int8, as built in (keeps the expression unambiguous)';
CREATE OPERATOR @extschema@.* (LEFTARG = float8, RIGHTARG = int8, FUNCTION = @extschema@.float8_mul_int8, COMMUTATOR = *);
COMMENT ON OPERATOR @extschema@.* (float8, int8) IS 'float8 times int8, as built in';
CREATE FUNCTION @extschema@.int8_mul_float8(int8, float8) RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1::pg_catalog.float8 OPERATOR(pg_catalog.*) $2';
COMMENT ON FUNCTION @extschema@.int8_mul_float8(int8, float8) IS 'int8 times float8, as built in (keeps the expression unambiguous)';
CREATE OPERATOR @extschema@.* (LEFTARG = int8, RIGHTARG = float8, FUNCTION = @extschema@.int8_mul_float8, COMMUTATOR = *);
COMMENT ON OPERATOR @extschema@.* (int8, float8) IS 'int8 times float8, as built in';
CREATE FUNCTION @extschema@.float8_div_int8(float8, int8) RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1 OPERATOR(pg_catalog./) $2::pg_catalog.float8';
COMMENT ON FUNCTION @extschema@.float8_div_int8(float8, int8) IS 'float8 divided by int8, as built in (keeps the expression unambiguous)';
CREATE OPERATOR @extschema@./ (LEFTARG = float8, RIGHTARG = int8, FUNCTION = @extschema@.float8_div_int8);
COMMENT ON OPERATOR @extschema@./ (float8, int8) IS 'float8 divided by int8, as built in';
CREATE FUNCTION @extschema@.float8_mul_numeric(float8, numeric) RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1 OPERATOR(pg_catalog.*) $2::pg_catalog.float8';
COMMENT ON FUNCTION @extschema@.float8_mul_numeric(float8, numeric) IS 'float8 times numeric, as built in (keeps the expression unambiguous)';
CREATE OPERATOR @extschema@.* (LEFTARG = float8, RIGHTARG = numeric, FUNCTION = @extschema@.float8_mul_numeric, COMMUTATOR = *);
COMMENT ON OPERATOR @extschema@.* (float8, numeric) IS 'float8 times numeric, as built in';
CREATE FUNCTION @extschema@.numeric_mul_float8(numeric, float8) RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1::pg_catalog.float8 OPERATOR(pg_catalog.*) $2';
COMMENT ON FUNCTION @extschema@.numeric_mul_float8(numeric, float8) IS 'numeric times float8, as built in (keeps the expression unambiguous)';
CREATE OPERATOR @extschema@.* (LEFTARG = numeric, RIGHTARG = float8, FUNCTION = @extschema@.numeric_mul_float8, COMMUTATOR = *);
COMMENT ON OPERATOR @extschema@.* (numeric, float8) IS 'numeric times float8, as built in';
CREATE FUNCTION @extschema@.float8_div_numeric(float8, numeric) RETURNS float8
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1 OPERATOR(pg_catalog./) $2::pg_catalog.float8';
COMMENT ON FUNCTION @extschema@.float8_div_numeric(float8, numeric) IS 'float8 divided by numeric, as built in (keeps the expression unambiguous)';
CREATE OPERATOR @extschema@./ (LEFTARG = float8, RIGHTARG = numeric, FUNCTION = @extschema@.float8_div_numeric);
COMMENT ON OPERATOR @extschema@./ (float8, numeric) IS 'float8 divided by numeric, as built in';
