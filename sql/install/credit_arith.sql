-------------------------------------------------------------------------------
-- Arithmetic
-------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.credit_add(@extschema@.credit, @extschema@.credit) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.credit_add(@extschema@.credit, @extschema@.credit) IS 'credit + credit; out of range is 22003';

CREATE FUNCTION @extschema@.credit_sub(@extschema@.credit, @extschema@.credit) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_sub' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.credit_sub(@extschema@.credit, @extschema@.credit) IS 'credit - credit; out of range is 22003';

CREATE FUNCTION @extschema@.credit_neg(@extschema@.credit) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_neg' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.credit_neg(@extschema@.credit) IS '-credit (the range is symmetric, so never overflows)';

CREATE FUNCTION @extschema@.credit_uplus(@extschema@.credit) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_uplus' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.credit_uplus(@extschema@.credit) IS '+credit';

CREATE FUNCTION @extschema@.abs(@extschema@.credit) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_abs' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.abs(@extschema@.credit) IS 'absolute value of a credit';

CREATE OPERATOR @extschema@.+ (LEFTARG = @extschema@.credit, RIGHTARG = @extschema@.credit,
    FUNCTION = @extschema@.credit_add, COMMUTATOR = +);
CREATE OPERATOR @extschema@.- (LEFTARG = @extschema@.credit, RIGHTARG = @extschema@.credit,
    FUNCTION = @extschema@.credit_sub);
CREATE OPERATOR @extschema@.- (RIGHTARG = @extschema@.credit, FUNCTION = @extschema@.credit_neg);
CREATE OPERATOR @extschema@.+ (RIGHTARG = @extschema@.credit, FUNCTION = @extschema@.credit_uplus);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.credit, @extschema@.credit) IS 'add';
COMMENT ON OPERATOR @extschema@.- (@extschema@.credit, @extschema@.credit) IS 'subtract';
COMMENT ON OPERATOR @extschema@.- (NONE, @extschema@.credit) IS 'negate';
COMMENT ON OPERATOR @extschema@.+ (NONE, @extschema@.credit) IS 'unary plus';

-- credit times/divided by integers and numeric: a credit rounded half-even at
-- the 9th fractional digit (products by integers are exact).
CREATE FUNCTION @extschema@.credit_mul_int2(@extschema@.credit, int2) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_mul_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_mul_int4(@extschema@.credit, int4) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_mul_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_mul_int8(@extschema@.credit, int8) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_mul_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_mul_numeric(@extschema@.credit, numeric) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_mul_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.int2_mul_credit(int2, @extschema@.credit) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'int2_mul_credit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.int4_mul_credit(int4, @extschema@.credit) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'int4_mul_credit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.int8_mul_credit(int8, @extschema@.credit) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'int8_mul_credit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.numeric_mul_credit(numeric, @extschema@.credit) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'numeric_mul_credit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_div_int2(@extschema@.credit, int2) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_div_int2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_div_int4(@extschema@.credit, int4) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_div_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_div_int8(@extschema@.credit, int8) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_div_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_div_numeric(@extschema@.credit, numeric) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_div_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.credit_div_credit(@extschema@.credit, @extschema@.credit) RETURNS numeric
    AS 'MODULE_PATHNAME', 'credit_div_credit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.credit_mul_int2(@extschema@.credit, int2) IS 'credit * int2, exact';
COMMENT ON FUNCTION @extschema@.credit_mul_int4(@extschema@.credit, int4) IS 'credit * int4, exact';
COMMENT ON FUNCTION @extschema@.credit_mul_int8(@extschema@.credit, int8) IS 'credit * int8, exact';
COMMENT ON FUNCTION @extschema@.credit_mul_numeric(@extschema@.credit, numeric) IS 'credit * numeric, rounded half-even at the 9th fractional digit';
COMMENT ON FUNCTION @extschema@.int2_mul_credit(int2, @extschema@.credit) IS 'int2 * credit, exact';
COMMENT ON FUNCTION @extschema@.int4_mul_credit(int4, @extschema@.credit) IS 'int4 * credit, exact';
COMMENT ON FUNCTION @extschema@.int8_mul_credit(int8, @extschema@.credit) IS 'int8 * credit, exact';
COMMENT ON FUNCTION @extschema@.numeric_mul_credit(numeric, @extschema@.credit) IS 'numeric * credit, rounded half-even at the 9th fractional digit';
COMMENT ON FUNCTION @extschema@.credit_div_int2(@extschema@.credit, int2) IS 'credit / int2, rounded half-even at the 9th fractional digit';
COMMENT ON FUNCTION @extschema@.credit_div_int4(@extschema@.credit, int4) IS 'credit / int4, rounded half-even at the 9th fractional digit';
COMMENT ON FUNCTION @extschema@.credit_div_int8(@extschema@.credit, int8) IS 'credit / int8, rounded half-even at the 9th fractional digit';
COMMENT ON FUNCTION @extschema@.credit_div_numeric(@extschema@.credit, numeric) IS 'credit / numeric, the exact quotient rounded half-even at the 9th fractional digit';
COMMENT ON FUNCTION @extschema@.credit_div_credit(@extschema@.credit, @extschema@.credit) IS 'credit / credit: their ratio as numeric';

CREATE OPERATOR @extschema@.* (LEFTARG = @extschema@.credit, RIGHTARG = int2, FUNCTION = @extschema@.credit_mul_int2, COMMUTATOR = *);
CREATE OPERATOR @extschema@.* (LEFTARG = @extschema@.credit, RIGHTARG = int4, FUNCTION = @extschema@.credit_mul_int4, COMMUTATOR = *);
CREATE OPERATOR @extschema@.* (LEFTARG = @extschema@.credit, RIGHTARG = int8, FUNCTION = @extschema@.credit_mul_int8, COMMUTATOR = *);
CREATE OPERATOR @extschema@.* (LEFTARG = @extschema@.credit, RIGHTARG = numeric, FUNCTION = @extschema@.credit_mul_numeric, COMMUTATOR = *);
CREATE OPERATOR @extschema@.* (LEFTARG = int2, RIGHTARG = @extschema@.credit, FUNCTION = @extschema@.int2_mul_credit, COMMUTATOR = *);
CREATE OPERATOR @extschema@.* (LEFTARG = int4, RIGHTARG = @extschema@.credit, FUNCTION = @extschema@.int4_mul_credit, COMMUTATOR = *);
CREATE OPERATOR @extschema@.* (LEFTARG = int8, RIGHTARG = @extschema@.credit, FUNCTION = @extschema@.int8_mul_credit, COMMUTATOR = *);
CREATE OPERATOR @extschema@.* (LEFTARG = numeric, RIGHTARG = @extschema@.credit, FUNCTION = @extschema@.numeric_mul_credit, COMMUTATOR = *);
CREATE OPERATOR @extschema@./ (LEFTARG = @extschema@.credit, RIGHTARG = int2, FUNCTION = @extschema@.credit_div_int2);
CREATE OPERATOR @extschema@./ (LEFTARG = @extschema@.credit, RIGHTARG = int4, FUNCTION = @extschema@.credit_div_int4);
CREATE OPERATOR @extschema@./ (LEFTARG = @extschema@.credit, RIGHTARG = int8, FUNCTION = @extschema@.credit_div_int8);
CREATE OPERATOR @extschema@./ (LEFTARG = @extschema@.credit, RIGHTARG = numeric, FUNCTION = @extschema@.credit_div_numeric);
CREATE OPERATOR @extschema@./ (LEFTARG = @extschema@.credit, RIGHTARG = @extschema@.credit, FUNCTION = @extschema@.credit_div_credit);
COMMENT ON OPERATOR @extschema@.* (@extschema@.credit, int2) IS 'multiply, exact';
COMMENT ON OPERATOR @extschema@.* (@extschema@.credit, int4) IS 'multiply, exact';
COMMENT ON OPERATOR @extschema@.* (@extschema@.credit, int8) IS 'multiply, exact';
COMMENT ON OPERATOR @extschema@.* (@extschema@.credit, numeric) IS 'multiply, rounded half-even';
COMMENT ON OPERATOR @extschema@.* (int2, @extschema@.credit) IS 'multiply, exact';
COMMENT ON OPERATOR @extschema@.* (int4, @extschema@.credit) IS 'multiply, exact';
COMMENT ON OPERATOR @extschema@.* (int8, @extschema@.credit) IS 'multiply, exact';
COMMENT ON OPERATOR @extschema@.* (numeric, @extschema@.credit) IS 'multiply, rounded half-even';
COMMENT ON OPERATOR @extschema@./ (@extschema@.credit, int2) IS 'divide, rounded half-even';
COMMENT ON OPERATOR @extschema@./ (@extschema@.credit, int4) IS 'divide, rounded half-even';
COMMENT ON OPERATOR @extschema@./ (@extschema@.credit, int8) IS 'divide, rounded half-even';
COMMENT ON OPERATOR @extschema@./ (@extschema@.credit, numeric) IS 'divide, rounded half-even';
COMMENT ON OPERATOR @extschema@./ (@extschema@.credit, @extschema@.credit) IS 'ratio of two credits, as numeric';

-- The implicit casts from integers to credit would otherwise make plain
-- `numeric * int`, `int * numeric` and `int / numeric` ambiguous (numeric
-- and credit operators would match equally well). These exact matches keep
-- their built-in meaning: inlinable SQL that calls pg_catalog's numeric
-- operators, so plans and results are what they were without the extension.
CREATE FUNCTION @extschema@.int2_mul_numeric(int2, numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1::pg_catalog.numeric OPERATOR(pg_catalog.*) $2';
CREATE FUNCTION @extschema@.numeric_mul_int2(numeric, int2) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1 OPERATOR(pg_catalog.*) $2::pg_catalog.numeric';
CREATE FUNCTION @extschema@.int2_div_numeric(int2, numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1::pg_catalog.numeric OPERATOR(pg_catalog./) $2';
CREATE FUNCTION @extschema@.int4_mul_numeric(int4, numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1::pg_catalog.numeric OPERATOR(pg_catalog.*) $2';
CREATE FUNCTION @extschema@.numeric_mul_int4(numeric, int4) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1 OPERATOR(pg_catalog.*) $2::pg_catalog.numeric';
CREATE FUNCTION @extschema@.int4_div_numeric(int4, numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1::pg_catalog.numeric OPERATOR(pg_catalog./) $2';
CREATE FUNCTION @extschema@.int8_mul_numeric(int8, numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1::pg_catalog.numeric OPERATOR(pg_catalog.*) $2';
CREATE FUNCTION @extschema@.numeric_mul_int8(numeric, int8) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1 OPERATOR(pg_catalog.*) $2::pg_catalog.numeric';
CREATE FUNCTION @extschema@.int8_div_numeric(int8, numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1::pg_catalog.numeric OPERATOR(pg_catalog./) $2';
COMMENT ON FUNCTION @extschema@.int2_mul_numeric(int2, numeric) IS 'int2 times numeric, as built in (keeps the expression unambiguous)';
COMMENT ON FUNCTION @extschema@.numeric_mul_int2(numeric, int2) IS 'numeric times int2, as built in (keeps the expression unambiguous)';
COMMENT ON FUNCTION @extschema@.int2_div_numeric(int2, numeric) IS 'int2 divided by numeric, as built in (keeps the expression unambiguous)';
COMMENT ON FUNCTION @extschema@.int4_mul_numeric(int4, numeric) IS 'int4 times numeric, as built in (keeps the expression unambiguous)';
COMMENT ON FUNCTION @extschema@.numeric_mul_int4(numeric, int4) IS 'numeric times int4, as built in (keeps the expression unambiguous)';
COMMENT ON FUNCTION @extschema@.int4_div_numeric(int4, numeric) IS 'int4 divided by numeric, as built in (keeps the expression unambiguous)';
COMMENT ON FUNCTION @extschema@.int8_mul_numeric(int8, numeric) IS 'int8 times numeric, as built in (keeps the expression unambiguous)';
COMMENT ON FUNCTION @extschema@.numeric_mul_int8(numeric, int8) IS 'numeric times int8, as built in (keeps the expression unambiguous)';
COMMENT ON FUNCTION @extschema@.int8_div_numeric(int8, numeric) IS 'int8 divided by numeric, as built in (keeps the expression unambiguous)';
CREATE OPERATOR @extschema@.* (LEFTARG = int2, RIGHTARG = numeric, FUNCTION = @extschema@.int2_mul_numeric, COMMUTATOR = *);
CREATE OPERATOR @extschema@.* (LEFTARG = numeric, RIGHTARG = int2, FUNCTION = @extschema@.numeric_mul_int2, COMMUTATOR = *);
CREATE OPERATOR @extschema@./ (LEFTARG = int2, RIGHTARG = numeric, FUNCTION = @extschema@.int2_div_numeric);
CREATE OPERATOR @extschema@.* (LEFTARG = int4, RIGHTARG = numeric, FUNCTION = @extschema@.int4_mul_numeric, COMMUTATOR = *);
CREATE OPERATOR @extschema@.* (LEFTARG = numeric, RIGHTARG = int4, FUNCTION = @extschema@.numeric_mul_int4, COMMUTATOR = *);
CREATE OPERATOR @extschema@./ (LEFTARG = int4, RIGHTARG = numeric, FUNCTION = @extschema@.int4_div_numeric);
CREATE OPERATOR @extschema@.* (LEFTARG = int8, RIGHTARG = numeric, FUNCTION = @extschema@.int8_mul_numeric, COMMUTATOR = *);
CREATE OPERATOR @extschema@.* (LEFTARG = numeric, RIGHTARG = int8, FUNCTION = @extschema@.numeric_mul_int8, COMMUTATOR = *);
CREATE OPERATOR @extschema@./ (LEFTARG = int8, RIGHTARG = numeric, FUNCTION = @extschema@.int8_div_numeric);
COMMENT ON OPERATOR @extschema@.* (int2, numeric) IS 'int2 times numeric, as built in';
COMMENT ON OPERATOR @extschema@.* (numeric, int2) IS 'numeric times int2, as built in';
COMMENT ON OPERATOR @extschema@./ (int2, numeric) IS 'int2 divided by numeric, as built in';
COMMENT ON OPERATOR @extschema@.* (int4, numeric) IS 'int4 times numeric, as built in';
COMMENT ON OPERATOR @extschema@.* (numeric, int4) IS 'numeric times int4, as built in';
COMMENT ON OPERATOR @extschema@./ (int4, numeric) IS 'int4 divided by numeric, as built in';
COMMENT ON OPERATOR @extschema@.* (int8, numeric) IS 'int8 times numeric, as built in';
COMMENT ON OPERATOR @extschema@.* (numeric, int8) IS 'numeric times int8, as built in';
COMMENT ON OPERATOR @extschema@./ (int8, numeric) IS 'int8 divided by numeric, as built in';

