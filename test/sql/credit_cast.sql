-- casts between credit and the integer types, numeric and float8.

-- the cast catalogue: implicit from integers, assignment from numeric,
-- implicit to numeric, explicit to and from float8
SELECT format_type(castsource, NULL) AS source, format_type(casttarget, NULL) AS target,
       CASE castcontext WHEN 'i' THEN 'implicit' WHEN 'a' THEN 'assignment' ELSE 'explicit' END AS context
FROM pg_cast WHERE castsource = 'credit'::regtype OR casttarget = 'credit'::regtype
ORDER BY 1, 2;

SELECT 32767::int2::credit AS i2, 2147483647::credit AS i4, 9223372036854775807::int8::credit AS i8,
       (-9223372036854775808)::int8::credit AS i8_min;

-- numeric -> credit: by assignment, an error rather than lost digits
CREATE TEMP TABLE t (amount credit);
INSERT INTO t VALUES (1.25::numeric);
SELECT * FROM t;
SELECT regress.try($$SELECT 1.0000000001::numeric::credit::text$$) AS too_precise,
       regress.try($$SELECT 1e40::numeric::credit::text$$) AS too_large,
       regress.try($$SELECT 'NaN'::numeric::credit::text$$) AS nan,
       regress.try($$SELECT 'Infinity'::numeric::credit::text$$) AS inf;
SELECT 1.500000000000::numeric::credit AS trailing_zeros_are_fine;

-- credit -> numeric is exact
SELECT '170141183460469231731687303715.884105727'::credit::numeric AS max_as_numeric;

-- float8 both ways, explicitly, rounded half-even
SELECT 0.1::float8::credit AS from_float, 1e-10::float8::credit AS tiny, (-2.5e-9)::float8::credit AS tie,
       '0.1'::credit::float8 AS to_float, '123456.789'::credit::float8 AS to_float2;
SELECT regress.try($$SELECT 'NaN'::float8::credit::text$$) AS nan,
       regress.try($$SELECT 1e300::float8::credit::text$$) AS huge;
-- no implicit float8 cast: this needs an explicit one
SELECT regress.try($$SELECT ('1'::credit + 1.5::float8)::text$$) AS float_plus;
