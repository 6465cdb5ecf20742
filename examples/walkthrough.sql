-- A short tour of credits, run by `make demo`.
\pset footer off
\set ECHO queries

\echo
\echo '== 1. credit: an exact amount with 9 fractional digits =='
\echo 'Text in, canonical text out: no exponent, no trailing zeros.'
SELECT '10.50'::credit AS a, '1.5e3'::credit AS b, '-0.000000001'::credit AS c, '100.000'::credit AS d;

\echo
\echo '== 2. Decimal arithmetic that is exact (float8 is not) =='
SELECT '0.1'::credit + '0.2' AS credit_sum, 0.1::float8 + 0.2::float8 AS float_sum;

\echo
\echo '== 3. Everyday expressions resolve without casts =='
CREATE TEMP TABLE wallet (customer text, amount credit);
INSERT INTO wallet VALUES ('acme', 120), ('globex', '45.25'), ('initech', '0.000000001');
SELECT customer, amount, amount + 1 AS plus_one, amount * 2 AS doubled, amount * 1.5 AS times_1_5,
       amount > 100 AS big, amount::numeric AS as_numeric
FROM wallet ORDER BY amount DESC;
SELECT sum(amount), avg(amount), min(amount), max(amount) FROM wallet;

\echo
\echo '== 4. Products and quotients round half-even at the 9th digit =='
SELECT '10'::credit / 3 AS third, '0.000000001'::credit / 2 AS tie_to_even, '0.000000003'::credit / 2 AS tie_up_to_even;

\echo
\echo '== 5. Overflow and bad input are errors, never silent =='
\set ON_ERROR_STOP off
SELECT '170141183460469231731687303715.884105727'::credit + 1;
SELECT '0.0000000001'::credit;
SELECT 'NaN'::credit;
\set ON_ERROR_STOP on

\echo
\echo '== 6. Rounding modes, chosen by the caller =='
SELECT m AS mode, credits.round('2.345', 2, m) AS "2.345", credits.round('-2.345', 2, m) AS "-2.345"
FROM unnest(ARRAY['half_up', 'half_even', 'half_down', 'up', 'down', 'ceiling', 'floor']) m;

\echo
\echo '== 7. Splitting a total exactly: the parts always add up =='
SELECT credits.allocate(100, '{1,1,1}') AS three_ways,
       credits.allocate('99.99', '{50,30,20}') AS by_percent;
