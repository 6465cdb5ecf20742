-- credit text input and output: canonical form, limits, errors with SQLSTATEs.

-- canonical output: no exponent, no trailing fractional zeros
SELECT v::credit AS canonical
FROM (VALUES ('10.50'), ('100'), ('-0.000000001'), ('0'), ('-0'), ('+7'), ('.5'), ('5.'),
             ('  42.000  '), ('1.5e3'), ('1.5E+3'), ('15e-1'), ('1e-9'), ('000123.4500'),
             ('170141183460469231731687303715.884105727'),
             ('-170141183460469231731687303715.884105727'), ('1.0000000000000')) AS t(v);

-- rejected input: junk is 22P02, more than 9 fractional digits is 22P02, range is 22003
SELECT v AS input, regress.try(format('SELECT %L::credit::text', v)) AS result
FROM (VALUES (''), ('   '), ('abc'), ('1.2.3'), ('NaN'), ('Infinity'), ('-inf'), ('1e'),
             ('0x10'), ('1,5'), ('0.0000000001'), ('1.5e-9'),
             ('170141183460469231731687303715.884105728'), ('1e30'), ('-1e30')) AS t(v);

-- one step past each limit
SELECT regress.try($$SELECT ('170141183460469231731687303715.884105727'::credit + '0.000000001')::text$$);
SELECT regress.try($$SELECT ('-170141183460469231731687303715.884105727'::credit - '0.000000001')::text$$);

-- the message a user sees, with its detail
\set VERBOSITY default
SELECT '0.0000000001'::credit;
SELECT '1e40'::credit;

-- binary output: 16 bytes, big-endian two's complement nano-credits
-- (binary input is tested through COPY BINARY in credit_copy)
SELECT encode(credit_send('1'::credit), 'hex') AS one, encode(credit_send('-0.000000001'::credit), 'hex') AS minus_one_nano;

-- long input is echoed cut between characters: the message stays valid UTF-8
SELECT regress.try($$SELECT ('x' || repeat('é', 150))::credit::text$$) AS cut;
