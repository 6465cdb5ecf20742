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

-------------------------------------------------------------------------------
-- Ledger: roles
-------------------------------------------------------------------------------

-- Roles are cluster-wide: create them only when missing, so the extension
-- installs in a second database and again after DROP EXTENSION.
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'credits_reader') THEN
        CREATE ROLE credits_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'credits_writer') THEN
        CREATE ROLE credits_writer NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'credits_admin') THEN
        CREATE ROLE credits_admin NOLOGIN;
    END IF;
    IF NOT pg_catalog.pg_has_role('credits_writer', 'credits_reader', 'MEMBER') THEN
        GRANT credits_reader TO credits_writer;
    END IF;
    IF NOT pg_catalog.pg_has_role('credits_admin', 'credits_writer', 'MEMBER') THEN
        GRANT credits_writer TO credits_admin;
    END IF;
END
$roles$;

GRANT USAGE ON SCHEMA credits TO PUBLIC;

-------------------------------------------------------------------------------
-- Ledger: tables
-------------------------------------------------------------------------------

CREATE TABLE credits.kinds (
    kind text PRIMARY KEY CHECK (kind <> ''),
    category text NOT NULL CHECK (category IN ('paid', 'promotional', 'compensation')),
    burn_rank int NOT NULL,
    description text,
    shipped boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE credits.kinds IS 'kinds of credits: category and burn_rank (lower burns first among otherwise equal grants)';
INSERT INTO credits.kinds (kind, category, burn_rank, description, shipped) VALUES
    ('promotional', 'promotional', 10, 'marketing credits', true),
    ('bonus', 'promotional', 10, 'bonus credits, e.g. with a pack', true),
    ('loyalty', 'promotional', 10, 'loyalty or renewal credits', true),
    ('referral', 'promotional', 10, 'referral credits', true),
    ('sla', 'compensation', 20, 'compensation for a missed SLA', true),
    ('goodwill', 'compensation', 20, 'goodwill compensation', true),
    ('proration', 'compensation', 20, 'unused part of a plan after a change', true),
    ('correction', 'compensation', 20, 'a correction by an operator', true),
    ('purchased', 'paid', 30, 'credits the customer paid for', true);

CREATE TABLE credits.accounts (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    key text NOT NULL UNIQUE CHECK (key <> ''),
    unit text NOT NULL DEFAULT 'credit',
    overdraft_limit @extschema@.credit NOT NULL DEFAULT 0 CHECK (overdraft_limit >= 0),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'frozen', 'closed')),
    low_balance_threshold @extschema@.credit,
    metadata jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    -- maintained by the ledger functions:
    balance @extschema@.credit NOT NULL DEFAULT 0,
    debt @extschema@.credit NOT NULL DEFAULT 0 CHECK (debt >= 0),
    last_seq bigint NOT NULL DEFAULT 0,
    last_hash bytea,
    last_effective_at timestamptz,
    next_change_at timestamptz
);
COMMENT ON TABLE credits.accounts IS 'one row per customer account; balance, debt, last_seq, last_hash, last_effective_at and next_change_at are maintained by the ledger functions';
COMMENT ON COLUMN credits.accounts.balance IS 'live credits minus debt as of last_effective_at';
COMMENT ON COLUMN credits.accounts.next_change_at IS 'first instant after last_effective_at when a grant expires or becomes live; balance is recomputed from then';

CREATE TABLE credits.operations (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    account bigint NOT NULL REFERENCES credits.accounts (id),
    type text NOT NULL,
    amount @extschema@.credit,
    idempotency_key text,
    request_hash bytea,
    reference text,
    metadata jsonb NOT NULL DEFAULT '{}',
    effective_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL,
    actor text NOT NULL,
    actor_role text NOT NULL,
    UNIQUE (account, idempotency_key)
);
COMMENT ON TABLE credits.operations IS 'one row per API call that changed something (append-only)';
COMMENT ON COLUMN credits.operations.actor IS 'session_user of the caller';
COMMENT ON COLUMN credits.operations.actor_role IS 'current_user of the caller (outside SECURITY DEFINER)';
COMMENT ON COLUMN credits.operations.request_hash IS 'SHA-256 of the call''s arguments, to tell a retry from a conflicting reuse of its idempotency key';

CREATE TABLE credits.grants (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    account bigint NOT NULL REFERENCES credits.accounts (id),
    kind text NOT NULL REFERENCES credits.kinds (kind),
    amount @extschema@.credit NOT NULL CHECK (amount > 0),
    remaining @extschema@.credit NOT NULL CHECK (remaining >= 0 AND remaining <= amount),
    priority int NOT NULL DEFAULT 50 CHECK (priority BETWEEN 0 AND 100),
    effective_at timestamptz NOT NULL,
    expires_at timestamptz CHECK (expires_at > effective_at),
    cost_basis numeric CHECK (cost_basis >= 0),
    reference text,
    metadata jsonb NOT NULL DEFAULT '{}',
    voided_at timestamptz,
    operation bigint NOT NULL REFERENCES credits.operations (id)
);
COMMENT ON TABLE credits.grants IS 'grants of credits: amount, remaining, priority, validity window, cost basis';
-- the grants a debit can still burn
CREATE INDEX grants_open ON credits.grants (account) WHERE remaining > '0'::@extschema@.credit AND voided_at IS NULL;
CREATE INDEX grants_account_effective ON credits.grants (account, effective_at);

CREATE TABLE credits.entries (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    operation bigint NOT NULL REFERENCES credits.operations (id),
    account bigint NOT NULL REFERENCES credits.accounts (id),
    "grant" bigint REFERENCES credits.grants (id),
    type text NOT NULL CHECK (type IN ('grant', 'burn', 'expire', 'overdraft', 'repay')),
    delta @extschema@.credit NOT NULL,
    grant_remaining_after @extschema@.credit NOT NULL,
    account_balance_after @extschema@.credit NOT NULL,
    seq bigint NOT NULL,
    effective_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL,
    prev_hash bytea NOT NULL,
    hash bytea NOT NULL,
    UNIQUE (account, seq)
);
COMMENT ON TABLE credits.entries IS 'the journal: one row per change of one grant''s remaining ("grant" NULL: overdraft debt, whose remaining is minus the debt); append-only and hash-chained per account';
CREATE INDEX entries_grant_time ON credits.entries ("grant", effective_at, seq);
CREATE INDEX entries_debt_time ON credits.entries (account, effective_at, seq) WHERE "grant" IS NULL;

CREATE TABLE credits.audit_log (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    table_name text NOT NULL,
    row_key text NOT NULL,
    action text NOT NULL,
    old_row jsonb,
    new_row jsonb,
    actor text NOT NULL,
    actor_role text NOT NULL,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id()
);
COMMENT ON TABLE credits.audit_log IS 'changes to accounts (settings, not maintained balances) and kinds, written by trigger';

-- pg_dump keeps the ledger's data; shipped kinds come back with the extension.
SELECT pg_catalog.pg_extension_config_dump('credits.kinds', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('credits.accounts', '');
SELECT pg_catalog.pg_extension_config_dump('credits.operations', '');
SELECT pg_catalog.pg_extension_config_dump('credits.grants', '');
SELECT pg_catalog.pg_extension_config_dump('credits.entries', '');
SELECT pg_catalog.pg_extension_config_dump('credits.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('credits.accounts_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('credits.operations_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('credits.grants_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('credits.entries_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('credits.audit_log_id_seq', '');

COMMENT ON SEQUENCE credits.accounts_id_seq IS 'ids of credits.accounts';
COMMENT ON SEQUENCE credits.operations_id_seq IS 'ids of credits.operations';
COMMENT ON SEQUENCE credits.grants_id_seq IS 'ids of credits.grants';
COMMENT ON SEQUENCE credits.entries_id_seq IS 'ids of credits.entries';
COMMENT ON SEQUENCE credits.audit_log_id_seq IS 'ids of credits.audit_log';

REVOKE ALL ON ALL TABLES IN SCHEMA credits FROM PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA credits TO credits_reader;

-------------------------------------------------------------------------------
-- Ledger: triggers (C++)
-------------------------------------------------------------------------------

CREATE FUNCTION credits.entries_chain() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credits_entries_chain' LANGUAGE C;
COMMENT ON FUNCTION credits.entries_chain() IS 'trigger: sets an entry''s hash to SHA-256(prev_hash || canonical encoding)';
CREATE TRIGGER entries_chain BEFORE INSERT ON credits.entries
    FOR EACH ROW EXECUTE FUNCTION credits.entries_chain();

CREATE FUNCTION credits.append_only() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credits_append_only' LANGUAGE C;
COMMENT ON FUNCTION credits.append_only() IS 'trigger: refuses UPDATE, DELETE and TRUNCATE (CR005) for every role';
CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON credits.entries
    FOR EACH ROW EXECUTE FUNCTION credits.append_only();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON credits.entries
    FOR EACH STATEMENT EXECUTE FUNCTION credits.append_only();
CREATE TRIGGER operations_append_only BEFORE UPDATE OR DELETE ON credits.operations
    FOR EACH ROW EXECUTE FUNCTION credits.append_only();
CREATE TRIGGER operations_no_truncate BEFORE TRUNCATE ON credits.operations
    FOR EACH STATEMENT EXECUTE FUNCTION credits.append_only();

CREATE FUNCTION credits.audit() RETURNS trigger
    AS 'MODULE_PATHNAME', 'credits_audit' LANGUAGE C;
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
    FOR EACH ROW WHEN ((OLD.key, OLD.unit, OLD.overdraft_limit, OLD.status, OLD.low_balance_threshold, OLD.metadata, OLD.created_at)
                       IS DISTINCT FROM (NEW.key, NEW.unit, NEW.overdraft_limit, NEW.status, NEW.low_balance_threshold, NEW.metadata, NEW.created_at))
    EXECUTE FUNCTION credits.audit('key');
CREATE INDEX grants_operation ON credits.grants (operation);

-------------------------------------------------------------------------------
-- Ledger: functions (C++). SECURITY DEFINER with a pinned search_path: the
-- roles below call them; nobody but the owner writes the tables directly.
-------------------------------------------------------------------------------

CREATE FUNCTION credits.clock() RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'credits_clock' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION credits.clock() IS 'the ledger clock: credits.test_clock when set, else the transaction timestamp';

CREATE FUNCTION credits.open_account(key text, unit text DEFAULT 'credit',
        overdraft_limit @extschema@.credit DEFAULT 0, metadata jsonb DEFAULT '{}')
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_open_account' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp;
COMMENT ON FUNCTION credits.open_account(text, text, @extschema@.credit, jsonb) IS 'opens an account and returns its id; the same key with the same unit and limit returns the existing id, with other settings CR004';

CREATE FUNCTION credits.grant_credits(account text, amount @extschema@.credit,
        kind text DEFAULT 'purchased', expires_at timestamptz DEFAULT NULL,
        priority int DEFAULT 50, effective_at timestamptz DEFAULT NULL,
        cost_basis numeric DEFAULT NULL, idempotency_key text DEFAULT NULL,
        reference text DEFAULT NULL, metadata jsonb DEFAULT '{}')
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_grant_credits' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp;
COMMENT ON FUNCTION credits.grant_credits(text, @extschema@.credit, text, timestamptz, int, timestamptz, numeric, text, text, jsonb) IS 'grants credits to an account and returns the grant''s id; repays overdraft debt first';

CREATE FUNCTION credits.debit(account text, amount @extschema@.credit,
        idempotency_key text DEFAULT NULL, reference text DEFAULT NULL,
        metadata jsonb DEFAULT '{}')
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_debit' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp;
COMMENT ON FUNCTION credits.debit(text, @extschema@.credit, text, text, jsonb) IS 'burns live grants in burn order, then overdraft up to the limit; CR001 beyond; returns the operation''s id';

CREATE FUNCTION credits.try_debit(account text, amount @extschema@.credit,
        idempotency_key text DEFAULT NULL, reference text DEFAULT NULL,
        metadata jsonb DEFAULT '{}')
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'credits_try_debit' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp;
COMMENT ON FUNCTION credits.try_debit(text, @extschema@.credit, text, text, jsonb) IS 'like debit, but returns NULL (changing nothing) instead of raising CR001';

CREATE FUNCTION credits.balance(account text, as_of timestamptz DEFAULT NULL)
    RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credits_balance' LANGUAGE C STABLE SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp;
COMMENT ON FUNCTION credits.balance(text, timestamptz) IS 'live credits at as_of (default: the ledger clock) minus overdraft debt; exact for past instants from the journal';

CREATE FUNCTION credits.grants_of(account text, as_of timestamptz DEFAULT NULL)
    RETURNS TABLE (grant_id bigint, kind text, remaining @extschema@.credit, priority int,
                   effective_at timestamptz, expires_at timestamptz, cost_basis numeric)
    AS 'MODULE_PATHNAME', 'credits_grants_of' LANGUAGE C STABLE SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp;
COMMENT ON FUNCTION credits.grants_of(text, timestamptz) IS 'the grants live at as_of in burn order: what the next debit burns, first row first';

CREATE FUNCTION credits.verify_chain(account text DEFAULT NULL)
    RETURNS TABLE (account text, entries bigint, ok boolean, first_bad_seq bigint)
    AS 'MODULE_PATHNAME', 'credits_verify_chain' LANGUAGE C STABLE SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp;
COMMENT ON FUNCTION credits.verify_chain(text) IS 'recomputes each account''s hash chain (all accounts when NULL): entry count, ok, first bad seq';

CREATE FUNCTION credits.check_invariants()
    RETURNS TABLE (account text, problem text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
    SELECT a.key, p.problem
    FROM credits.accounts a
    CROSS JOIN LATERAL (
        SELECT format('grant %s: remaining %s is outside 0..%s', g.id, g.remaining, g.amount)
        FROM credits.grants g
        WHERE g.account = a.id AND (g.remaining < 0 OR g.remaining > g.amount)
        UNION ALL
        SELECT format('grant %s: remaining %s, but its entries add up to %s', g.id, g.remaining, s.total)
        FROM credits.grants g
        CROSS JOIN LATERAL (SELECT COALESCE(sum(e.delta), 0) AS total
                            FROM credits.entries e WHERE e."grant" = g.id) s
        WHERE g.account = a.id AND g.remaining <> s.total
        UNION ALL
        SELECT format('debt %s, but the overdraft entries add up to %s', a.debt, -s.total)
        FROM (SELECT COALESCE(sum(e.delta), 0) AS total FROM credits.entries e
              WHERE e.account = a.id AND e."grant" IS NULL) s
        WHERE a.debt <> -s.total
        UNION ALL
        SELECT format('balance %s, but the last entry says %s', a.balance, l.account_balance_after)
        FROM (SELECT e.account_balance_after FROM credits.entries e
              WHERE e.account = a.id ORDER BY e.seq DESC LIMIT 1) l
        WHERE l.account_balance_after <> a.balance
        UNION ALL
        SELECT format('seq runs %s..%s over %s entries; last_seq is %s', s.lo, s.hi, s.n, a.last_seq)
        FROM (SELECT min(e.seq) AS lo, max(e.seq) AS hi, count(*) AS n
              FROM credits.entries e WHERE e.account = a.id) s
        WHERE s.n > 0 AND (s.lo <> 1 OR s.hi <> s.n OR a.last_seq <> s.n)
           OR s.n = 0 AND a.last_seq <> 0
        UNION ALL
        SELECT 'last_hash is not the last entry''s hash'
        FROM (SELECT e.hash FROM credits.entries e
              WHERE e.account = a.id ORDER BY e.seq DESC LIMIT 1) l
        WHERE l.hash IS DISTINCT FROM a.last_hash
        UNION ALL
        SELECT format('hash chain broken at seq %s', v.first_bad_seq)
        FROM credits.verify_chain(a.key) v WHERE NOT v.ok
    ) p(problem)
    ORDER BY 1, 2
$$;
COMMENT ON FUNCTION credits.check_invariants() IS 'lists every account whose maintained figures disagree with the journal, whose grants are out of bounds, whose seq has gaps, or whose chain does not verify; empty when all is well';

CREATE FUNCTION credits.set_account_status(account text, status text) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
BEGIN
    IF account IS NULL OR status IS NULL THEN
        RAISE EXCEPTION 'account and status must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF status NOT IN ('active', 'frozen', 'closed') THEN
        RAISE EXCEPTION 'unknown account status "%"', status
            USING ERRCODE = '22023', HINT = 'Use active, frozen or closed.';
    END IF;
    UPDATE credits.accounts a SET status = set_account_status.status WHERE a.key = account;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account "%" does not exist', account USING ERRCODE = 'CR002';
    END IF;
END
$$;
COMMENT ON FUNCTION credits.set_account_status(text, text) IS 'sets an account active, frozen or closed (frozen and closed accounts take no grants or debits: CR003)';

CREATE FUNCTION credits.define_kind(kind text, category text, burn_rank int DEFAULT NULL,
        description text DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
BEGIN
    IF kind IS NULL OR category IS NULL THEN
        RAISE EXCEPTION 'kind and category must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF category NOT IN ('paid', 'promotional', 'compensation') THEN
        RAISE EXCEPTION 'unknown category "%"', category
            USING ERRCODE = '22023', HINT = 'Use paid, promotional or compensation.';
    END IF;
    INSERT INTO credits.kinds AS k (kind, category, burn_rank, description)
    VALUES (kind, category,
            COALESCE(burn_rank, CASE category WHEN 'promotional' THEN 10
                                              WHEN 'compensation' THEN 20 ELSE 30 END),
            description)
    ON CONFLICT ON CONSTRAINT kinds_pkey DO UPDATE
        SET category = EXCLUDED.category, burn_rank = EXCLUDED.burn_rank,
            description = EXCLUDED.description
        WHERE NOT k.shipped;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'kind "%" is shipped with the extension and cannot be redefined', kind
            USING ERRCODE = '22023';
    END IF;
END
$$;
COMMENT ON FUNCTION credits.define_kind(text, text, int, text) IS 'adds or redefines a user kind of credits (burn_rank defaults by category: promotional 10, compensation 20, paid 30)';

REVOKE EXECUTE ON FUNCTION
    credits.open_account(text, text, @extschema@.credit, jsonb),
    credits.grant_credits(text, @extschema@.credit, text, timestamptz, int, timestamptz, numeric, text, text, jsonb),
    credits.debit(text, @extschema@.credit, text, text, jsonb),
    credits.try_debit(text, @extschema@.credit, text, text, jsonb),
    credits.balance(text, timestamptz),
    credits.grants_of(text, timestamptz),
    credits.verify_chain(text),
    credits.check_invariants(),
    credits.set_account_status(text, text),
    credits.define_kind(text, text, int, text),
    credits.entries_chain(), credits.append_only(), credits.audit()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    credits.balance(text, timestamptz),
    credits.grants_of(text, timestamptz)
TO credits_reader;
GRANT EXECUTE ON FUNCTION
    credits.open_account(text, text, @extschema@.credit, jsonb),
    credits.grant_credits(text, @extschema@.credit, text, timestamptz, int, timestamptz, numeric, text, text, jsonb),
    credits.debit(text, @extschema@.credit, text, text, jsonb),
    credits.try_debit(text, @extschema@.credit, text, text, jsonb)
TO credits_writer;
GRANT EXECUTE ON FUNCTION
    credits.verify_chain(text),
    credits.check_invariants(),
    credits.set_account_status(text, text),
    credits.define_kind(text, text, int, text)
TO credits_admin;

-------------------------------------------------------------------------------
-- Billing math: proration and plan changes
-------------------------------------------------------------------------------

CREATE FUNCTION credits.prorate(amount @extschema@.credit, period_start timestamptz,
        period_end timestamptz, change_at timestamptz, basis text DEFAULT 'second',
        digits int DEFAULT 2, rounding text DEFAULT 'half_up', tz text DEFAULT 'UTC')
    RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credits_prorate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credits.prorate(@extschema@.credit, timestamptz, timestamptz, timestamptz, text, int, text, text) IS 'amount x the unused fraction of [period_start, period_end) at change_at, rounded to digits with a credits.round mode; bases second, day, actual_360, 30_360 (days counted in tz)';

CREATE FUNCTION credits.unused_fraction(period_start timestamptz, period_end timestamptz,
        change_at timestamptz, basis text DEFAULT 'second', tz text DEFAULT 'UTC')
    RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'credits_unused_fraction' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credits.unused_fraction(timestamptz, timestamptz, timestamptz, text, text) IS 'the exact unused fraction of a period at change_at as {numerator, denominator} (microseconds for basis second, days otherwise)';

CREATE FUNCTION credits.cumulative_net(old_amounts @extschema@.credit[], new_amounts @extschema@.credit[],
        fractions bigint[], digits int DEFAULT 2, rounding text DEFAULT 'half_up')
    RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credits_cumulative_net' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credits.cumulative_net(@extschema@.credit[], @extschema@.credit[], bigint[], int, text) IS 'the exact net of several plan changes of one period, sum((new - old) x unused fraction), rounded once; fractions holds {numerator, denominator} per change';

CREATE FUNCTION credits.plan_change(old_amount @extschema@.credit, new_amount @extschema@.credit,
        period_start timestamptz, period_end timestamptz, change_at timestamptz,
        basis text DEFAULT 'second', digits int DEFAULT 2, rounding text DEFAULT 'half_up',
        tz text DEFAULT 'UTC')
    RETURNS TABLE (unused_credit @extschema@.credit, remaining_charge @extschema@.credit, net @extschema@.credit)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
    SELECT u, c, c - u
    FROM (SELECT credits.prorate(old_amount, period_start, period_end, change_at, basis, digits, rounding, tz) AS u,
                 credits.prorate(new_amount, period_start, period_end, change_at, basis, digits, rounding, tz) AS c) lines
$$;
COMMENT ON FUNCTION credits.plan_change(@extschema@.credit, @extschema@.credit, timestamptz, timestamptz, timestamptz, text, int, text, text) IS 'the lines of a plan change: unused_credit = prorate(old), remaining_charge = prorate(new), each rounded on its own; net = remaining_charge - unused_credit (negative: the customer is owed)';

CREATE TABLE credits.plan_changes (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    account bigint NOT NULL REFERENCES credits.accounts (id),
    period_start timestamptz NOT NULL,
    period_end timestamptz NOT NULL,
    change_at timestamptz NOT NULL,
    old_amount @extschema@.credit NOT NULL,
    new_amount @extschema@.credit NOT NULL,
    basis text NOT NULL,
    digits int NOT NULL,
    rounding text NOT NULL,
    tz text NOT NULL,
    unused_num bigint NOT NULL,
    unused_den bigint NOT NULL,
    net @extschema@.credit NOT NULL,
    grant_id bigint REFERENCES credits.grants (id),
    idempotency_key text,
    expires_at timestamptz,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (account, idempotency_key)
);
COMMENT ON TABLE credits.plan_changes IS 'plan changes applied with credits.apply_plan_change: the chain of changes per account and period, their fractions and net lines';
CREATE INDEX plan_changes_period ON credits.plan_changes (account, period_start, period_end, id);
COMMENT ON SEQUENCE credits.plan_changes_id_seq IS 'ids of credits.plan_changes';
SELECT pg_catalog.pg_extension_config_dump('credits.plan_changes', '');
SELECT pg_catalog.pg_extension_config_dump('credits.plan_changes_id_seq', '');
REVOKE ALL ON credits.plan_changes FROM PUBLIC;
GRANT SELECT ON credits.plan_changes TO credits_reader;

CREATE FUNCTION credits.apply_plan_change(account text, old_amount @extschema@.credit,
        new_amount @extschema@.credit, period_start timestamptz, period_end timestamptz,
        change_at timestamptz, basis text DEFAULT 'second', digits int DEFAULT 2,
        rounding text DEFAULT 'half_up', tz text DEFAULT 'UTC',
        expires_at timestamptz DEFAULT NULL, idempotency_key text DEFAULT NULL)
    RETURNS TABLE (net @extschema@.credit, grant_id bigint)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
    acct credits.accounts;
    prior credits.plan_changes;
    fraction bigint[];
    olds @extschema@.credit[];
    news @extschema@.credit[];
    fractions bigint[];
    issued @extschema@.credit;
    paid @extschema@.credit;
    credited @extschema@.credit;
    line @extschema@.credit;
    new_grant bigint;
BEGIN
    IF account IS NULL OR old_amount IS NULL OR new_amount IS NULL OR period_start IS NULL
       OR period_end IS NULL OR change_at IS NULL OR basis IS NULL OR digits IS NULL
       OR rounding IS NULL OR tz IS NULL THEN
        RAISE EXCEPTION 'only expires_at and idempotency_key may be NULL' USING ERRCODE = '22004';
    END IF;
    IF old_amount < 0 OR new_amount < 0 THEN
        RAISE EXCEPTION 'plan amounts must not be negative' USING ERRCODE = '22023';
    END IF;
    -- validates the period, change_at, basis, tz, digits and rounding (22023)
    fraction := credits.unused_fraction(period_start, period_end, change_at, basis, tz);
    PERFORM credits.round(0, digits, rounding);

    SELECT * INTO acct FROM credits.accounts a WHERE a.key = account FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account "%" does not exist', account USING ERRCODE = 'CR002';
    END IF;
    IF idempotency_key IS NOT NULL THEN
        SELECT * INTO prior FROM credits.plan_changes p
        WHERE p.account = acct.id AND p.idempotency_key = apply_plan_change.idempotency_key;
        IF FOUND THEN
            IF (prior.old_amount, prior.new_amount, prior.period_start, prior.period_end,
                prior.change_at, prior.basis, prior.digits, prior.rounding, prior.tz, prior.expires_at)
               IS DISTINCT FROM (old_amount, new_amount, period_start, period_end, change_at,
                                 basis, digits, rounding, tz, expires_at) THEN
                RAISE EXCEPTION 'idempotency key "%" was already used on account "%" with different arguments',
                    idempotency_key, account USING ERRCODE = 'CR004';
            END IF;
            RETURN QUERY SELECT prior.net, prior.grant_id;
            RETURN;
        END IF;
    END IF;
    IF acct.status <> 'active' THEN
        RAISE EXCEPTION 'account "%" is %', account, acct.status USING ERRCODE = 'CR003';
    END IF;

    -- the chain of this period: earlier changes, then this one
    SELECT array_agg(p.old_amount ORDER BY p.id), array_agg(p.new_amount ORDER BY p.id),
           COALESCE(sum(p.net), 0),
           COALESCE((array_agg(p.old_amount ORDER BY p.id))[1], apply_plan_change.old_amount),
           COALESCE(sum(p.net) FILTER (WHERE p.net > 0), 0),
           COALESCE(-sum(p.net) FILTER (WHERE p.net < 0), 0)
    INTO olds, news, issued, paid, credited
    FROM credits.plan_changes p
    WHERE p.account = acct.id AND p.period_start = apply_plan_change.period_start
      AND p.period_end = apply_plan_change.period_end;
    SELECT COALESCE(array_agg(v ORDER BY p.id, o), '{}') INTO fractions
    FROM credits.plan_changes p
    CROSS JOIN LATERAL unnest(ARRAY[p.unused_num, p.unused_den]) WITH ORDINALITY u(v, o)
    WHERE p.account = acct.id AND p.period_start = apply_plan_change.period_start
      AND p.period_end = apply_plan_change.period_end;
    olds := COALESCE(olds, '{}') || old_amount;
    news := COALESCE(news, '{}') || new_amount;
    fractions := fractions || fraction;

    -- this line: the rounded cumulative net minus what earlier lines issued
    line := credits.cumulative_net(olds, news, fractions, digits, rounding) - issued;
    -- credits never add up to more than was paid for the period: the plan
    -- paid up front plus what later changes charged
    paid := paid + GREATEST(line, 0);
    IF line < 0 AND credited - line > paid THEN
        line := LEAST(0, credited - paid);
    END IF;
    IF line < 0 THEN
        new_grant := credits.grant_credits(account, -line, 'proration', expires_at,
            reference => format('plan change %s -> %s at %s in [%s, %s)', old_amount, new_amount,
                                change_at, period_start, period_end));
    END IF;
    INSERT INTO credits.plan_changes (account, period_start, period_end, change_at, old_amount,
        new_amount, basis, digits, rounding, tz, unused_num, unused_den, net, grant_id,
        idempotency_key, expires_at)
    VALUES (acct.id, period_start, period_end, change_at, old_amount, new_amount, basis, digits,
        rounding, tz, fraction[1], fraction[2], line, new_grant, idempotency_key, expires_at);
    RETURN QUERY SELECT line, new_grant;
END
$$;
COMMENT ON FUNCTION credits.apply_plan_change(text, @extschema@.credit, @extschema@.credit, timestamptz, timestamptz, timestamptz, text, int, text, text, timestamptz, text) IS 'applies a plan change: when its net is negative, grants |net| as kind proration (a credit, not a refund); several changes in one period take their lines from the rounded cumulative total so rounding never drifts, and never credit more than was paid for the period';
REVOKE EXECUTE ON FUNCTION credits.apply_plan_change(text, @extschema@.credit, @extschema@.credit, timestamptz, timestamptz, timestamptz, text, int, text, text, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credits.apply_plan_change(text, @extschema@.credit, @extschema@.credit, timestamptz, timestamptz, timestamptz, text, int, text, text, timestamptz, text) TO credits_writer;

-------------------------------------------------------------------------------
-- Billing math: SLA uptime and credits
-------------------------------------------------------------------------------

CREATE FUNCTION credits.uptime(period tstzrange, outages tstzmultirange,
        excluded tstzmultirange DEFAULT '{}', min_outage interval DEFAULT '0')
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'credits_uptime' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credits.uptime(tstzrange, tstzmultirange, tstzmultirange, interval) IS 'percent of the period available: outages merged, clipped to the period, excluded windows removed, outages shorter than min_outage ignored; exact to 20 fractional digits (half up), trailing zeros removed';

CREATE TABLE credits.sla_policies (
    name text PRIMARY KEY CHECK (name <> ''),
    cap_percent numeric NOT NULL DEFAULT 100 CHECK (cap_percent >= 0),
    min_credit @extschema@.credit NOT NULL DEFAULT 0 CHECK (min_credit >= 0),
    description text,
    shipped boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE credits.sla_policies IS 'SLA credit schedules: the cap (percent of the fee) and the smallest credit worth issuing; tiers in credits.sla_tiers';

CREATE TABLE credits.sla_tiers (
    policy text NOT NULL REFERENCES credits.sla_policies (name) ON DELETE CASCADE,
    position int NOT NULL,
    lower numeric,
    lower_inclusive boolean NOT NULL DEFAULT true,
    upper numeric,
    upper_inclusive boolean NOT NULL DEFAULT false,
    credit_percent numeric NOT NULL CHECK (credit_percent >= 0),
    shipped boolean NOT NULL DEFAULT false,
    PRIMARY KEY (policy, position)
);
COMMENT ON TABLE credits.sla_tiers IS 'one tier of an SLA schedule: uptimes between lower and upper (NULL: unbounded; inclusivity per bound) earn credit_percent of the fee';

CREATE TABLE credits.sla_credits (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    account bigint NOT NULL REFERENCES credits.accounts (id),
    policy text NOT NULL REFERENCES credits.sla_policies (name),
    period tstzrange NOT NULL,
    fee @extschema@.credit NOT NULL,
    uptime numeric NOT NULL,
    credit @extschema@.credit NOT NULL,
    grant_id bigint REFERENCES credits.grants (id),
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (account, policy, period)
);
COMMENT ON TABLE credits.sla_credits IS 'SLA credits decided by credits.issue_sla_credit: at most one per account, policy and period';
COMMENT ON SEQUENCE credits.sla_credits_id_seq IS 'ids of credits.sla_credits';

INSERT INTO credits.sla_policies (name, cap_percent, description, shipped) VALUES
    ('aws-rds-multi-az', 100, 'AWS RDS Multi-AZ, 99.95% monthly: below 99.95 and at least 99.0: 10%; below 99.0 and at least 95.0: 25%; below 95.0: 100% (source: public AWS RDS SLA, see shared reference sla-credits.md)', true),
    ('aws-s3-standard', 100, 'AWS S3 Standard, 99.9% monthly: below 99.9 and at least 99.0: 10%; below 99.0 and at least 95.0: 25%; below 95.0: 100% (source: public AWS S3 SLA)', true),
    ('azure-vm-zones', 100, 'Azure Virtual Machines across availability zones, 99.99% monthly: below 99.99: 10%; below 99: 25%; below 95: 100% (source: public Azure SLA for Virtual Machines)', true),
    ('github-enterprise-cloud-legacy', 100, 'GitHub Enterprise Cloud (older terms), 99.9% quarterly: at most 99.9 and above 99.0: 10%; below 99.0: 25%; exactly 99.0 falls in no tier and is reported as an error (source: public GitHub Enterprise SLA, older terms)', true);
INSERT INTO credits.sla_tiers (policy, position, lower, lower_inclusive, upper, upper_inclusive, credit_percent, shipped) VALUES
    ('aws-rds-multi-az', 1, 99.0, true, 99.95, false, 10, true),
    ('aws-rds-multi-az', 2, 95.0, true, 99.0, false, 25, true),
    ('aws-rds-multi-az', 3, NULL, true, 95.0, false, 100, true),
    ('aws-s3-standard', 1, 99.0, true, 99.9, false, 10, true),
    ('aws-s3-standard', 2, 95.0, true, 99.0, false, 25, true),
    ('aws-s3-standard', 3, NULL, true, 95.0, false, 100, true),
    ('azure-vm-zones', 1, 99.0, true, 99.99, false, 10, true),
    ('azure-vm-zones', 2, 95.0, true, 99.0, false, 25, true),
    ('azure-vm-zones', 3, NULL, true, 95.0, false, 100, true),
    ('github-enterprise-cloud-legacy', 1, 99.0, false, 99.9, true, 10, true),
    ('github-enterprise-cloud-legacy', 2, NULL, true, 99.0, false, 25, true);

SELECT pg_catalog.pg_extension_config_dump('credits.sla_policies', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('credits.sla_tiers', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('credits.sla_credits', '');
SELECT pg_catalog.pg_extension_config_dump('credits.sla_credits_id_seq', '');
REVOKE ALL ON credits.sla_policies, credits.sla_tiers, credits.sla_credits FROM PUBLIC;
GRANT SELECT ON credits.sla_policies, credits.sla_tiers, credits.sla_credits TO credits_reader;

CREATE FUNCTION credits.sla_credit(fee @extschema@.credit, uptime numeric, policy text,
        digits int DEFAULT 2, rounding text DEFAULT 'half_up')
    RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credits_sla_credit' LANGUAGE C STABLE STRICT PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp;
COMMENT ON FUNCTION credits.sla_credit(@extschema@.credit, numeric, text, int, text) IS 'fee x the matching tier''s percent, capped at the policy''s cap_percent, rounded; 0 below min_credit or when uptime meets the commitment; an uptime in a gap between tiers or an unknown policy is 22023';

CREATE FUNCTION credits.check_sla_policy(name text) RETURNS void
    AS 'MODULE_PATHNAME', 'credits_check_sla_policy' LANGUAGE C STABLE STRICT SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp;
COMMENT ON FUNCTION credits.check_sla_policy(text) IS '22023 unless the policy has tiers, each with ordered bounds and a percent >= 0, and no two tiers overlap';

CREATE FUNCTION credits.define_sla_policy(name text, tiers jsonb, cap_percent numeric DEFAULT 100,
        min_credit @extschema@.credit DEFAULT 0, description text DEFAULT NULL)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
    tier jsonb;
    n int := 0;
BEGIN
    IF name IS NULL OR tiers IS NULL OR cap_percent IS NULL OR min_credit IS NULL THEN
        RAISE EXCEPTION 'name, tiers, cap_percent and min_credit must not be NULL' USING ERRCODE = '22004';
    END IF;
    IF jsonb_typeof(tiers) <> 'array' THEN
        RAISE EXCEPTION 'tiers must be a JSON array of objects' USING ERRCODE = '22023',
            HINT = 'Each tier: {"lower": 99.0, "lower_inclusive": true, "upper": 99.95, "upper_inclusive": false, "credit_percent": 10}; a missing bound is unbounded.';
    END IF;
    IF cap_percent < 0 OR min_credit < 0 THEN
        RAISE EXCEPTION 'cap_percent and min_credit must not be negative' USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT FROM credits.sla_policies p WHERE p.name = define_sla_policy.name AND p.shipped) THEN
        RAISE EXCEPTION 'SLA policy "%" is shipped with the extension and cannot be redefined', name
            USING ERRCODE = '22023', HINT = 'Define a policy under another name.';
    END IF;
    INSERT INTO credits.sla_policies AS p (name, cap_percent, min_credit, description)
    VALUES (name, cap_percent, min_credit, description)
    ON CONFLICT ON CONSTRAINT sla_policies_pkey DO UPDATE
        SET cap_percent = EXCLUDED.cap_percent, min_credit = EXCLUDED.min_credit,
            description = EXCLUDED.description;
    DELETE FROM credits.sla_tiers t WHERE t.policy = define_sla_policy.name;
    FOR tier IN SELECT value FROM jsonb_array_elements(tiers) LOOP
        n := n + 1;
        IF jsonb_typeof(tier) <> 'object' OR NOT tier ? 'credit_percent'
           OR EXISTS (SELECT FROM jsonb_object_keys(tier) k
                      WHERE k NOT IN ('lower', 'lower_inclusive', 'upper', 'upper_inclusive', 'credit_percent')) THEN
            RAISE EXCEPTION 'tier %: expected an object with credit_percent and optional lower, lower_inclusive, upper, upper_inclusive', n
                USING ERRCODE = '22023';
        END IF;
        BEGIN
            INSERT INTO credits.sla_tiers (policy, position, lower, lower_inclusive, upper, upper_inclusive, credit_percent)
            VALUES (name, n, (tier->>'lower')::numeric, COALESCE((tier->>'lower_inclusive')::boolean, true),
                    (tier->>'upper')::numeric, COALESCE((tier->>'upper_inclusive')::boolean, false),
                    (tier->>'credit_percent')::numeric);
        EXCEPTION WHEN invalid_text_representation OR check_violation OR not_null_violation THEN
            RAISE EXCEPTION 'tier %: %', n, SQLERRM USING ERRCODE = '22023';
        END;
    END LOOP;
    PERFORM credits.check_sla_policy(name);
END
$$;
COMMENT ON FUNCTION credits.define_sla_policy(text, jsonb, numeric, @extschema@.credit, text) IS 'defines or replaces an SLA policy from tiers as a JSON array of {lower, lower_inclusive, upper, upper_inclusive, credit_percent}; 22023 when tiers overlap or are malformed';

CREATE FUNCTION credits.issue_sla_credit(account text, policy text, fee @extschema@.credit,
        period tstzrange, outages tstzmultirange, excluded tstzmultirange DEFAULT '{}',
        expires_at timestamptz DEFAULT NULL, idempotency_key text DEFAULT NULL,
        min_outage interval DEFAULT '0')
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
    acct credits.accounts;
    earlier credits.sla_credits;
    measured numeric;
    owed @extschema@.credit;
    new_grant bigint;
BEGIN
    IF account IS NULL OR policy IS NULL OR fee IS NULL OR period IS NULL OR outages IS NULL
       OR excluded IS NULL OR min_outage IS NULL THEN
        RAISE EXCEPTION 'only expires_at and idempotency_key may be NULL' USING ERRCODE = '22004';
    END IF;
    IF fee < 0 THEN
        RAISE EXCEPTION 'fee must not be negative' USING ERRCODE = '22023';
    END IF;
    measured := credits.uptime(period, outages, excluded, min_outage);
    owed := credits.sla_credit(fee, measured, policy);
    SELECT * INTO acct FROM credits.accounts a WHERE a.key = account FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account "%" does not exist', account USING ERRCODE = 'CR002';
    END IF;
    SELECT * INTO earlier FROM credits.sla_credits s
    WHERE s.account = acct.id AND s.policy = issue_sla_credit.policy AND s.period = issue_sla_credit.period;
    IF FOUND THEN
        RETURN earlier.grant_id; -- at most one per account, policy and period
    END IF;
    IF owed > 0 THEN
        new_grant := credits.grant_credits(account, owed, 'sla', expires_at,
            idempotency_key => idempotency_key,
            reference => format('SLA %s for %s: uptime %s%%', policy, period, measured));
    END IF;
    INSERT INTO credits.sla_credits (account, policy, period, fee, uptime, credit, grant_id)
    VALUES (acct.id, policy, period, fee, measured, owed, new_grant);
    RETURN new_grant;
END
$$;
COMMENT ON FUNCTION credits.issue_sla_credit(text, text, @extschema@.credit, tstzrange, tstzmultirange, tstzmultirange, timestamptz, text, interval) IS 'measures uptime from outages, computes the policy''s credit and grants it as kind sla; at most one per account, policy and period (a repeat returns the first grant''s id); NULL when the credit is 0';

REVOKE EXECUTE ON FUNCTION credits.check_sla_policy(text),
    credits.define_sla_policy(text, jsonb, numeric, @extschema@.credit, text),
    credits.issue_sla_credit(text, text, @extschema@.credit, tstzrange, tstzmultirange, tstzmultirange, timestamptz, text, interval),
    credits.sla_credit(@extschema@.credit, numeric, text, int, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credits.sla_credit(@extschema@.credit, numeric, text, int, text) TO credits_reader;
GRANT EXECUTE ON FUNCTION credits.issue_sla_credit(text, text, @extschema@.credit, tstzrange, tstzmultirange, tstzmultirange, timestamptz, text, interval) TO credits_writer;
GRANT EXECUTE ON FUNCTION credits.check_sla_policy(text),
    credits.define_sla_policy(text, jsonb, numeric, @extschema@.credit, text) TO credits_admin;

-------------------------------------------------------------------------------
-- Credit packs
-------------------------------------------------------------------------------

CREATE TABLE credits.packs (
    code text PRIMARY KEY CHECK (code <> ''),
    credits @extschema@.credit NOT NULL CHECK (credits > 0),
    price numeric NOT NULL CHECK (price >= 0),
    currency text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    validity interval,
    bonus_credits @extschema@.credit NOT NULL DEFAULT 0 CHECK (bonus_credits >= 0),
    bonus_validity interval,
    active boolean NOT NULL DEFAULT true,
    description text
);
COMMENT ON TABLE credits.packs IS 'credit packs for sale: credits for a price (cost basis price / credits), valid for validity (NULL: never expire), with optional bonus credits of their own validity';
SELECT pg_catalog.pg_extension_config_dump('credits.packs', '');
REVOKE ALL ON credits.packs FROM PUBLIC;
GRANT SELECT ON credits.packs TO credits_reader;

CREATE FUNCTION credits.define_pack(code text, credits @extschema@.credit, price numeric,
        currency text DEFAULT 'USD', validity interval DEFAULT '12 months',
        bonus_credits @extschema@.credit DEFAULT 0, bonus_validity interval DEFAULT NULL,
        active boolean DEFAULT true, description text DEFAULT NULL)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
BEGIN
    IF code IS NULL OR credits IS NULL OR price IS NULL OR currency IS NULL
       OR bonus_credits IS NULL OR active IS NULL THEN
        RAISE EXCEPTION 'code, credits, price, currency, bonus_credits and active must not be NULL'
            USING ERRCODE = '22004';
    END IF;
    BEGIN
        INSERT INTO credits.packs AS p VALUES (code, credits, price, currency, validity,
            bonus_credits, bonus_validity, active, description)
        ON CONFLICT ON CONSTRAINT packs_pkey DO UPDATE SET credits = EXCLUDED.credits,
            price = EXCLUDED.price, currency = EXCLUDED.currency, validity = EXCLUDED.validity,
            bonus_credits = EXCLUDED.bonus_credits, bonus_validity = EXCLUDED.bonus_validity,
            active = EXCLUDED.active, description = EXCLUDED.description;
    EXCEPTION WHEN check_violation THEN
        RAISE EXCEPTION 'invalid pack "%": %', code, SQLERRM USING ERRCODE = '22023',
            HINT = 'credits > 0, price >= 0, bonus_credits >= 0, currency a three-letter code.';
    END;
END
$$;
COMMENT ON FUNCTION credits.define_pack(text, @extschema@.credit, numeric, text, interval, @extschema@.credit, interval, boolean, text) IS 'adds or changes a credit pack (22023 for invalid values)';

CREATE FUNCTION credits.purchase_pack(account text, pack_code text,
        idempotency_key text DEFAULT NULL, reference text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
    pack credits.packs;
    now_ timestamptz := credits.clock();
    purchased bigint;
BEGIN
    IF account IS NULL OR pack_code IS NULL THEN
        RAISE EXCEPTION 'account and pack_code must not be NULL' USING ERRCODE = '22004';
    END IF;
    SELECT * INTO pack FROM credits.packs p WHERE p.code = pack_code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown pack "%"', pack_code USING ERRCODE = '22023';
    END IF;
    IF NOT pack.active THEN
        RAISE EXCEPTION 'pack "%" is not for sale', pack_code USING ERRCODE = '22023';
    END IF;
    purchased := credits.grant_credits(account, pack.credits, 'purchased', now_ + pack.validity,
        cost_basis => trim_scale(pack.price / pack.credits::numeric),
        idempotency_key => idempotency_key,
        reference => COALESCE(reference, format('pack %s (%s %s)', pack.code, pack.price, pack.currency)));
    IF pack.bonus_credits > 0 THEN
        PERFORM credits.grant_credits(account, pack.bonus_credits, 'bonus',
            now_ + COALESCE(pack.bonus_validity, pack.validity), cost_basis => 0,
            idempotency_key => idempotency_key || ':bonus',
            reference => COALESCE(reference, format('pack %s bonus', pack.code)));
    END IF;
    RETURN purchased;
END
$$;
COMMENT ON FUNCTION credits.purchase_pack(text, text, text, text) IS 'sells a pack: a purchased grant with cost_basis = price / credits expiring after the pack''s validity, plus a bonus grant (cost basis 0) when the pack has bonus credits; returns the purchased grant''s id; an unknown or inactive pack is 22023';

-------------------------------------------------------------------------------
-- Reward rules (loyalty, referral, renewal, autopay bonuses)
-------------------------------------------------------------------------------

CREATE TABLE credits.reward_rules (
    code text PRIMARY KEY CHECK (code <> ''),
    kind text NOT NULL REFERENCES credits.kinds (kind),
    percent numeric NOT NULL DEFAULT 0 CHECK (percent >= 0),
    fixed_credits @extschema@.credit NOT NULL DEFAULT 0 CHECK (fixed_credits >= 0),
    validity interval,
    priority int NOT NULL DEFAULT 50 CHECK (priority BETWEEN 0 AND 100),
    cap_per_account @extschema@.credit CHECK (cap_per_account > 0),
    period interval,
    digits int NOT NULL DEFAULT 2 CHECK (digits BETWEEN 0 AND 9),
    active boolean NOT NULL DEFAULT true,
    description text,
    CHECK (percent > 0 OR fixed_credits > 0)
);
COMMENT ON TABLE credits.reward_rules IS 'reward rules: percent of a base amount plus fixed credits, granted as kind with validity and priority; at most cap_per_account per account within any window of length period (NULL period: ever)';

CREATE TABLE credits.rewards (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    account bigint NOT NULL REFERENCES credits.accounts (id),
    rule text NOT NULL REFERENCES credits.reward_rules (code),
    base_amount @extschema@.credit,
    amount @extschema@.credit NOT NULL,
    grant_id bigint NOT NULL REFERENCES credits.grants (id),
    idempotency_key text,
    effective_at timestamptz NOT NULL,
    UNIQUE (account, idempotency_key)
);
COMMENT ON TABLE credits.rewards IS 'rewards granted by credits.reward: what each rule gave each account, for the caps';
COMMENT ON SEQUENCE credits.rewards_id_seq IS 'ids of credits.rewards';
CREATE INDEX rewards_cap ON credits.rewards (account, rule, effective_at);
SELECT pg_catalog.pg_extension_config_dump('credits.reward_rules', '');
SELECT pg_catalog.pg_extension_config_dump('credits.rewards', '');
SELECT pg_catalog.pg_extension_config_dump('credits.rewards_id_seq', '');
REVOKE ALL ON credits.reward_rules, credits.rewards FROM PUBLIC;
GRANT SELECT ON credits.reward_rules, credits.rewards TO credits_reader;

CREATE FUNCTION credits.define_reward_rule(code text, kind text, percent numeric DEFAULT 0,
        fixed_credits @extschema@.credit DEFAULT 0, validity interval DEFAULT NULL,
        priority int DEFAULT 50, cap_per_account @extschema@.credit DEFAULT NULL,
        period interval DEFAULT NULL, active boolean DEFAULT true, description text DEFAULT NULL,
        digits int DEFAULT 2)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
BEGIN
    IF code IS NULL OR kind IS NULL OR percent IS NULL OR fixed_credits IS NULL
       OR priority IS NULL OR active IS NULL OR digits IS NULL THEN
        RAISE EXCEPTION 'only validity, cap_per_account, period and description may be NULL'
            USING ERRCODE = '22004';
    END IF;
    BEGIN
        INSERT INTO credits.reward_rules AS r VALUES (code, kind, percent, fixed_credits, validity,
            priority, cap_per_account, period, digits, active, description)
        ON CONFLICT ON CONSTRAINT reward_rules_pkey DO UPDATE SET kind = EXCLUDED.kind,
            percent = EXCLUDED.percent, fixed_credits = EXCLUDED.fixed_credits,
            validity = EXCLUDED.validity, priority = EXCLUDED.priority,
            cap_per_account = EXCLUDED.cap_per_account, period = EXCLUDED.period,
            digits = EXCLUDED.digits, active = EXCLUDED.active, description = EXCLUDED.description;
    EXCEPTION WHEN check_violation OR foreign_key_violation THEN
        RAISE EXCEPTION 'invalid reward rule "%": %', code, SQLERRM USING ERRCODE = '22023',
            HINT = 'A known kind, percent >= 0 and fixed_credits >= 0 (one of them > 0), priority 0..100, cap > 0, digits 0..9.';
    END;
END
$$;
COMMENT ON FUNCTION credits.define_reward_rule(text, text, numeric, @extschema@.credit, interval, int, @extschema@.credit, interval, boolean, text, int) IS 'adds or changes a reward rule (22023 for invalid values)';

CREATE FUNCTION credits.reward(account text, rule_code text, base_amount @extschema@.credit DEFAULT NULL,
        idempotency_key text DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, @extschema@, pg_temp
AS $$
DECLARE
    rule credits.reward_rules;
    acct credits.accounts;
    earlier credits.rewards;
    now_ timestamptz := credits.clock();
    owed @extschema@.credit;
    given @extschema@.credit;
    new_grant bigint;
BEGIN
    IF account IS NULL OR rule_code IS NULL THEN
        RAISE EXCEPTION 'account and rule_code must not be NULL' USING ERRCODE = '22004';
    END IF;
    SELECT * INTO rule FROM credits.reward_rules r WHERE r.code = rule_code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown reward rule "%"', rule_code USING ERRCODE = '22023';
    END IF;
    IF NOT rule.active THEN
        RAISE EXCEPTION 'reward rule "%" is not active', rule_code USING ERRCODE = '22023';
    END IF;
    IF rule.percent > 0 AND base_amount IS NULL THEN
        RAISE EXCEPTION 'reward rule "%" needs a base_amount', rule_code USING ERRCODE = '22004';
    END IF;
    IF base_amount < 0 THEN
        RAISE EXCEPTION 'base_amount must not be negative' USING ERRCODE = '22023';
    END IF;
    SELECT * INTO acct FROM credits.accounts a WHERE a.key = account FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account "%" does not exist', account USING ERRCODE = 'CR002';
    END IF;
    IF idempotency_key IS NOT NULL THEN
        SELECT * INTO earlier FROM credits.rewards r
        WHERE r.account = acct.id AND r.idempotency_key = reward.idempotency_key;
        IF FOUND THEN
            IF (earlier.rule, earlier.base_amount) IS DISTINCT FROM (rule_code, base_amount) THEN
                RAISE EXCEPTION 'idempotency key "%" was already used on account "%" with different arguments',
                    idempotency_key, account USING ERRCODE = 'CR004';
            END IF;
            RETURN earlier.grant_id;
        END IF;
    END IF;
    owed := credits.round(COALESCE(base_amount, 0) * rule.percent / 100, rule.digits, 'half_up')
            + rule.fixed_credits;
    IF rule.cap_per_account IS NOT NULL THEN
        SELECT COALESCE(sum(r.amount), 0) INTO given FROM credits.rewards r
        WHERE r.account = acct.id AND r.rule = rule_code
          AND (rule.period IS NULL OR r.effective_at > now_ - rule.period);
        owed := LEAST(owed, rule.cap_per_account - given);
    END IF;
    IF owed <= 0 THEN
        RETURN NULL; -- the cap is used up
    END IF;
    new_grant := credits.grant_credits(account, owed, rule.kind, now_ + rule.validity,
        priority => rule.priority, idempotency_key => idempotency_key,
        reference => format('reward %s', rule_code));
    INSERT INTO credits.rewards (account, rule, base_amount, amount, grant_id, idempotency_key, effective_at)
    VALUES (acct.id, rule_code, base_amount, owed, new_grant, idempotency_key, now_);
    RETURN new_grant;
END
$$;
COMMENT ON FUNCTION credits.reward(text, text, @extschema@.credit, text) IS 'grants percent x base_amount (rounded to the rule''s digits) + fixed credits as the rule''s kind; over the cap the grant is reduced to what the cap allows, and NULL is returned when nothing is left';

REVOKE EXECUTE ON FUNCTION
    credits.define_pack(text, @extschema@.credit, numeric, text, interval, @extschema@.credit, interval, boolean, text),
    credits.purchase_pack(text, text, text, text),
    credits.define_reward_rule(text, text, numeric, @extschema@.credit, interval, int, @extschema@.credit, interval, boolean, text, int),
    credits.reward(text, text, @extschema@.credit, text)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION credits.purchase_pack(text, text, text, text),
    credits.reward(text, text, @extschema@.credit, text) TO credits_writer;
GRANT EXECUTE ON FUNCTION
    credits.define_pack(text, @extschema@.credit, numeric, text, interval, @extschema@.credit, interval, boolean, text),
    credits.define_reward_rule(text, text, numeric, @extschema@.credit, interval, int, @extschema@.credit, interval, boolean, text, int)
TO credits_admin;
