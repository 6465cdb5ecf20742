-- pgTAP: the credit type's API, its properties and its errors.
BEGIN;
SELECT plan(60);

-- the objects exist where the design says
SELECT has_type('public', 'credit', 'credit lives in the install schema');
SELECT has_schema('credits', 'schema credits exists');
SELECT has_function('credits', 'round', ARRAY['credit', 'integer', 'text'], 'credits.round exists');
SELECT has_function('credits', 'allocate', ARRAY['credit', 'numeric[]', 'integer'], 'credits.allocate exists');
SELECT has_function('public', 'abs', ARRAY['credit'], 'abs(credit) exists');
SELECT has_cast('integer', 'credit', 'int4 -> credit');
SELECT has_cast('bigint', 'credit', 'int8 -> credit');
SELECT has_cast('smallint', 'credit', 'int2 -> credit');
SELECT has_cast('numeric', 'credit', 'numeric -> credit');
SELECT has_cast('credit', 'numeric', 'credit -> numeric');
SELECT has_cast('double precision', 'credit', 'float8 -> credit');
SELECT has_cast('credit', 'double precision', 'credit -> float8');
SELECT has_opclass('public', 'credit_ops', 'btree opclass');
SELECT has_opclass('public', 'credit_hash_ops', 'hash opclass');
SELECT is((SELECT typlen FROM pg_type WHERE typname = 'credit'), 16::int2, 'fixed length 16 bytes');
SELECT is((SELECT extrelocatable FROM pg_extension WHERE extname = 'credits'), false, 'not relocatable');

-- every object of the extension carries a COMMENT
SELECT is_empty($$
    SELECT pg_describe_object(d.classid, d.objid, 0)
    FROM pg_depend d
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'credits'
    WHERE d.deptype = 'e'
      AND d.classid <> 'pg_amop'::regclass AND d.classid <> 'pg_amproc'::regclass
      AND obj_description(d.objid, d.classid::regclass::text) IS NULL
$$, 'every extension object has a COMMENT');

-- volatility and parallel safety of the type's functions
SELECT is_empty($$
    SELECT p.oid::regprocedure FROM pg_proc p
    JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'credits'
    WHERE (p.pronamespace <> 'credits'::regnamespace OR p.proname IN ('round', 'allocate'))
      AND (p.provolatile <> 'i' OR p.proparallel <> 's')
$$, 'every function of the type is IMMUTABLE and PARALLEL SAFE');

-- values and round trips
SELECT is('10.50'::credit::text, '10.5', 'no trailing zeros');
SELECT is('1.5e3'::credit::text, '1500', 'exponent accepted, printed without one');
SELECT is('-0.000000001'::credit::text, '-0.000000001', 'smallest negative step');
SELECT is(' 7 '::credit::text, '7', 'surrounding spaces');
SELECT is('170141183460469231731687303715.884105727'::credit::text,
          '170141183460469231731687303715.884105727', 'largest value');
SELECT is(('-170141183460469231731687303715.884105727'::credit)::numeric,
          -170141183460469231731687303715.884105727, 'smallest value, as numeric');
SELECT ok('1e29'::credit > 0, 'range covers 10^29');

-- input errors
SELECT throws_ok($$SELECT ''::credit$$, '22P02', NULL, 'empty string is 22P02');
SELECT throws_ok($$SELECT 'abc'::credit$$, '22P02', 'invalid input syntax for type credit: "abc"', 'junk is 22P02, naming the input');
SELECT throws_ok($$SELECT 'NaN'::credit$$, '22P02', NULL, 'NaN is 22P02');
SELECT throws_ok($$SELECT 'Infinity'::credit$$, '22P02', NULL, 'Infinity is 22P02');
SELECT throws_ok($$SELECT '0.0000000001'::credit$$, '22P02', NULL, 'a 10th fractional digit is 22P02');
SELECT throws_ok($$SELECT '1e30'::credit$$, '22003', NULL, 'out of range is 22003');
SELECT throws_ok($$SELECT '170141183460469231731687303715.884105728'::credit$$, '22003', NULL, 'one step past the maximum');

-- arithmetic and its errors
SELECT is(('0.1'::credit + '0.2')::text, '0.3', 'exact decimal addition');
SELECT is(('1'::credit - '1.000000001')::text, '-0.000000001', 'subtraction below zero');
SELECT is(('1.5'::credit * 3)::text, '4.5', 'times int4');
SELECT is((3::int8 * '1.5'::credit)::text, '4.5', 'int8 times');
SELECT is(('0.000000003'::credit * 0.5)::text, '0.000000002', 'times numeric: half-even tie');
SELECT is(('10'::credit / 3)::text, '3.333333333', 'divide by int');
SELECT is(('10'::credit / 3.0)::text, '3.333333333', 'divide by numeric');
SELECT is('10'::credit / '4'::credit, 2.5::numeric, 'credit / credit is numeric');
SELECT is(abs('-2'::credit)::text, '2', 'abs');
SELECT throws_ok($$SELECT '170141183460469231731687303715'::credit * 2$$, '22003', NULL, 'multiply overflow is 22003');
SELECT throws_ok($$SELECT '170141183460469231731687303715'::credit + '170141183460469231731687303715'$$, '22003', NULL, 'add overflow is 22003');
SELECT throws_ok($$SELECT '1'::credit / 0$$, '22012', NULL, 'division by zero is 22012');
SELECT throws_ok($$SELECT 1.0000000001::numeric::credit$$, '22P02', NULL, 'numeric with lost digits is 22P02');
SELECT throws_ok($$SELECT 1e31::numeric::credit$$, '22003', NULL, 'numeric out of range is 22003');
SELECT is(1.5 * 2, 3.0, 'numeric * int is still numeric and unambiguous');

-- rounding and allocation
SELECT is(credits.round('2.5')::text, '3', 'round defaults to half_up, 0 digits');
SELECT is(credits.round('2.5', 0, 'half_even')::text, '2', 'half_even');
SELECT is(credits.round('-2.5', 0, 'floor')::text, '-3', 'floor');
SELECT throws_ok($$SELECT credits.round('1', 0, 'nope')$$, '22023', NULL, 'unknown mode is 22023');
SELECT throws_ok($$SELECT credits.round('1', 10)$$, '22023', NULL, 'digits above 9 is 22023');
SELECT is(credits.allocate(100, '{1,1,1}')::text, '{33.34,33.33,33.33}', 'allocate by largest remainder');
SELECT throws_ok($$SELECT credits.allocate(1, '{}')$$, '22023', NULL, 'empty weights is 22023');
SELECT throws_ok($$SELECT credits.allocate(1, '{-1,2}')$$, '22023', NULL, 'negative weight is 22023');
SELECT throws_ok($$SELECT credits.allocate(1, '{0,0}')$$, '22023', NULL, 'all-zero weights is 22023');

-- aggregates
SELECT is((SELECT sum(v)::text FROM (VALUES ('0.1'::credit), ('0.2'), (NULL)) t(v)), '0.3', 'sum skips NULL');
SELECT is((SELECT avg(v)::text FROM (VALUES ('1'::credit), ('2')) t(v)), '1.5', 'avg');
SELECT is((SELECT min(v)::text || ' ' || max(v)::text FROM (VALUES ('1'::credit), ('-2'), ('3')) t(v)), '-2 3', 'min and max');
SELECT throws_ok($$SELECT sum(v) FROM (VALUES ('170141183460469231731687303715'::credit), ('170141183460469231731687303715')) t(v)$$,
                 '22003', NULL, 'a final sum out of range is 22003');

SELECT * FROM finish();
ROLLBACK;
