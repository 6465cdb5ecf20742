-------------------------------------------------------------------------------
-- Rounding and allocation (schema credits)
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION credits.round(value @extschema@.credit, digits int DEFAULT 0, mode text DEFAULT 'half_up')
    RETURNS @extschema@.credit
    AS 'MODULE_PATHNAME', 'credit_round' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credits.round(@extschema@.credit, int, text) IS 'rounds to 0..9 fractional digits; modes half_up (default), half_even, half_down, up, down, ceiling, floor';

CREATE OR REPLACE FUNCTION credits.allocate(total @extschema@.credit, weights numeric[], digits int DEFAULT 2)
    RETURNS @extschema@.credit[]
    AS 'MODULE_PATHNAME', 'credit_allocate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credits.allocate(@extschema@.credit, numeric[], int) IS 'splits a total in proportion to weights at the given precision, by largest remainder (ties to the earlier position); the parts always sum to the total';

