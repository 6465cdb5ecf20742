-- credit arithmetic and how everyday expressions resolve.

CREATE TABLE wallet (amount credit);
INSERT INTO wallet VALUES (10), ('2.5'), ('-0.000000001');

-- the expressions people write, with the type each resolves to
SELECT amount + 1 AS plus_one, pg_typeof(amount + 1),
       amount * 2 AS times_two, pg_typeof(amount * 2),
       amount * 1.5 AS times_1_5, pg_typeof(amount * 1.5),
       amount > 0 AS positive,
       amount::numeric AS as_numeric, pg_typeof(amount::numeric)
FROM wallet;
SELECT sum(amount), pg_typeof(sum(amount)) FROM wallet;

-- binary and unary + and -, abs
SELECT amount - 1 AS minus, -amount AS negated, +amount AS plus, abs(amount) FROM wallet;

-- * and / with every integer type and numeric, on both sides of *
SELECT '1.5'::credit * 3::int2 AS c_i2, 3::int2 * '1.5'::credit AS i2_c,
       '1.5'::credit * 3::int4 AS c_i4, 3::int4 * '1.5'::credit AS i4_c,
       '1.5'::credit * 3::int8 AS c_i8, 3::int8 * '1.5'::credit AS i8_c,
       '1.5'::credit * 1.5 AS c_n, 1.5 * '1.5'::credit AS n_c;
SELECT '10'::credit / 3::int2 AS d_i2, '10'::credit / 3 AS d_i4, '-20'::credit / 3::int8 AS d_i8,
       '10'::credit / 3.0 AS d_n, '10'::credit / '4'::credit AS ratio, pg_typeof('10'::credit / '4'::credit);

-- results are rounded half-even at the 9th fractional digit
SELECT '0.000000001'::credit * 0.5 AS tie_to_even_0, '0.000000003'::credit * 0.5 AS tie_to_even_2,
       '0.000000001'::credit / 2 AS div_tie_0, '0.000000003'::credit / 2 AS div_tie_2,
       '0.000000003'::credit / 2.0 AS num_div_tie_2, '-0.000000003'::credit / 2.0 AS neg_div_tie,
       '1'::credit / 3 AS third, '2'::credit / 3 AS two_thirds, '-2'::credit / 3 AS minus_two_thirds;

-- errors: overflow 22003, division by zero 22012, NaN 22P02
SELECT regress.try($$SELECT ('170141183460469231731687303715'::credit * 2)::text$$) AS mul_overflow,
       regress.try($$SELECT ('170141183460469231731687303715'::credit * 1.1)::text$$) AS num_overflow,
       regress.try($$SELECT ('1'::credit / 0)::text$$) AS div_zero,
       regress.try($$SELECT ('1'::credit / 0.0)::text$$) AS div_zero_numeric,
       regress.try($$SELECT ('1'::credit / '0'::credit)::text$$) AS ratio_zero,
       regress.try($$SELECT ('1'::credit * 'NaN'::numeric)::text$$) AS times_nan;

-- plain numeric and integer arithmetic is unchanged by the extension
SELECT 1.5 * 2 AS n_i, 2 * 1.5 AS i_n, 3 / 1.5 AS i_div_n, 2::int8 * 1.5 AS i8_n, 1.5 * 2::int2 AS n_i2,
       pg_typeof(1.5 * 2), 7 / 2 AS int_div, 2 + 2.5 AS mixed_add;

-- comparisons
SELECT a, b, a = b AS eq, a <> b AS ne, a < b AS lt, a <= b AS le, a > b AS gt, a >= b AS ge
FROM (VALUES ('1'::credit, '1.000000001'::credit), ('-5', '-5'), ('2', '-3')) t(a, b);
SELECT amount = 10.0 AS compared_as_numeric FROM wallet ORDER BY amount;
