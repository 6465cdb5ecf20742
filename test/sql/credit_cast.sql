-- casts between credit and the integer types, numeric, float8, text and varchar.

-- the cast catalogue: implicit from integers, numeric, float8, text and
-- varchar (docs/types.md) and to numeric; explicit to float8
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

-- float8 to credit by its shortest decimal form (what float8out prints)
SELECT 0.1::float8::credit AS from_float, 1e-9::float8::credit AS nano, (-2e-9)::float8::credit AS neg,
       1e20::float8::credit AS big, '0.1'::credit::float8 AS to_float, '123456.789'::credit::float8 AS to_float2;
SELECT regress.try($$SELECT (0.1::float8 + 0.2::float8)::credit::text$$) AS sum_of_doubles,
       regress.try($$SELECT 1e-10::float8::credit::text$$) AS tiny,
       regress.try($$SELECT 'NaN'::float8::credit::text$$) AS nan,
       regress.try($$SELECT 1e300::float8::credit::text$$) AS huge;
-- the hint for a double that is not a short decimal
\set VERBOSITY default
SELECT (0.1::float8 + 0.2::float8)::credit;
-- float8 arithmetic with a credit converts the double the same way
SELECT ('1'::credit + 1.5::float8)::text AS float_plus, pg_typeof('1'::credit + 1.5::float8);
-- text and varchar parse as credit literals
SELECT '12.5'::text::credit AS from_text, '12.5'::varchar::credit AS from_varchar,
       regress.try($$SELECT '1.0000000001'::varchar::credit::text$$) AS too_precise;
