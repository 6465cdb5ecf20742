-- credits 1.0: the whole SQL API of the extension, in one script.
--
-- Where things live:
--   * the type `credit`, its operators, casts, operator classes and
--     aggregates go into the schema CREATE EXTENSION installs into
--     (@extschema@, `public` by default), so `amount > 0`, `amount * 1.5`
--     and `sum(amount)` work with an ordinary search_path;
--   * everything else lives in schema `credits`, which the extension owns.
-- C functions that run no SQL need no pinned search_path; every function
-- that runs SQL pins it.

\echo Use "CREATE EXTENSION credits" to load this file. \quit

CREATE SCHEMA credits;
COMMENT ON SCHEMA credits IS 'Ledger tables and functions of the credits extension';

-------------------------------------------------------------------------------
-- The credit type
-------------------------------------------------------------------------------

CREATE TYPE @extschema@.credit;

CREATE FUNCTION @extschema@.credit_in(cstring) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.credit_in(cstring) IS 'credit text input: sign, digits, fraction, exponent; at most 9 fractional digits';

CREATE FUNCTION @extschema@.credit_out(@extschema@.credit) RETURNS cstring
    AS 'MODULE_PATHNAME', 'credit_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.credit_out(@extschema@.credit) IS 'credit text output: canonical, no exponent, no trailing fractional zeros';

CREATE FUNCTION @extschema@.credit_recv(internal) RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.credit_recv(internal) IS 'credit binary input: 16 bytes, big-endian two''s complement nano-credits, validated';

CREATE FUNCTION @extschema@.credit_send(@extschema@.credit) RETURNS bytea
    AS 'MODULE_PATHNAME', 'credit_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.credit_send(@extschema@.credit) IS 'credit binary output: 16 bytes, big-endian two''s complement nano-credits';

CREATE TYPE @extschema@.credit (
    INPUT = @extschema@.credit_in,
    OUTPUT = @extschema@.credit_out,
    RECEIVE = @extschema@.credit_recv,
    SEND = @extschema@.credit_send,
    INTERNALLENGTH = 16,
    ALIGNMENT = double,
    STORAGE = plain,
    CATEGORY = 'N'
);
COMMENT ON TYPE @extschema@.credit IS 'exact fixed-point amount: 9 fractional digits in a signed 128-bit integer, range +-170141183460469231731687303715.884105727';

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
COMMENT ON FUNCTION @extschema@.credit_from_numeric(numeric) IS 'numeric to credit (assignment cast): an error (22P02, 22003) rather than lost digits';
COMMENT ON FUNCTION @extschema@.credit_to_numeric(@extschema@.credit) IS 'credit to numeric (implicit cast), exact';
COMMENT ON FUNCTION @extschema@.credit_from_float8(float8) IS 'float8 to credit (explicit cast): the binary value rounded half-even';
COMMENT ON FUNCTION @extschema@.credit_to_float8(@extschema@.credit) IS 'credit to float8 (explicit cast): the nearest double';

CREATE CAST (int2 AS @extschema@.credit) WITH FUNCTION @extschema@.credit_from_int2(int2) AS IMPLICIT;
CREATE CAST (int4 AS @extschema@.credit) WITH FUNCTION @extschema@.credit_from_int4(int4) AS IMPLICIT;
CREATE CAST (int8 AS @extschema@.credit) WITH FUNCTION @extschema@.credit_from_int8(int8) AS IMPLICIT;
CREATE CAST (numeric AS @extschema@.credit) WITH FUNCTION @extschema@.credit_from_numeric(numeric) AS ASSIGNMENT;
CREATE CAST (@extschema@.credit AS numeric) WITH FUNCTION @extschema@.credit_to_numeric(@extschema@.credit) AS IMPLICIT;
CREATE CAST (float8 AS @extschema@.credit) WITH FUNCTION @extschema@.credit_from_float8(float8);
CREATE CAST (@extschema@.credit AS float8) WITH FUNCTION @extschema@.credit_to_float8(@extschema@.credit);
COMMENT ON CAST (int2 AS @extschema@.credit) IS 'implicit, exact';
COMMENT ON CAST (int4 AS @extschema@.credit) IS 'implicit, exact';
COMMENT ON CAST (int8 AS @extschema@.credit) IS 'implicit, exact';
COMMENT ON CAST (numeric AS @extschema@.credit) IS 'assignment; errors rather than losing digits';
COMMENT ON CAST (@extschema@.credit AS numeric) IS 'implicit, exact';
COMMENT ON CAST (float8 AS @extschema@.credit) IS 'explicit, rounded half-even';
COMMENT ON CAST (@extschema@.credit AS float8) IS 'explicit, nearest double';

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

-------------------------------------------------------------------------------
-- Rounding and allocation (schema credits)
-------------------------------------------------------------------------------

CREATE FUNCTION credits.round(value @extschema@.credit, digits int DEFAULT 0, mode text DEFAULT 'half_up')
    RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_round' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credits.round(@extschema@.credit, int, text) IS 'rounds to 0..9 fractional digits; modes half_up (default), half_even, half_down, up, down, ceiling, floor';

CREATE FUNCTION credits.allocate(total @extschema@.credit, weights numeric[], digits int DEFAULT 2)
    RETURNS @extschema@.credit[]
    AS 'MODULE_PATHNAME', 'credit_allocate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credits.allocate(@extschema@.credit, numeric[], int) IS 'splits a total in proportion to weights at the given precision, by largest remainder (ties to the earlier position); the parts always sum to the total';
