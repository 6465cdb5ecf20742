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
    CATEGORY = 'N',
    -- preferred in the numeric category: with the implicit casts from
    -- numeric and float8 (credit_cast.sql), credit-with-numeric expressions
    -- resolve to the credit operators; see docs/types.md
    PREFERRED = true
);
COMMENT ON TYPE @extschema@.credit IS 'exact fixed-point amount: 9 fractional digits in a signed 128-bit integer, range +-170141183460469231731687303715.884105727';

