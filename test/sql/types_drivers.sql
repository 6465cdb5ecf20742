-- Amounts as drivers bind them (docs/types.md): every credit parameter of
-- the API accepts credit, integers, numeric, float8, text, varchar and
-- untyped literals, with the same errors whichever way the value came; and
-- credit mixes with numeric in expressions without ambiguity.

-- Every function of schema credits with a credit (or credit[]) parameter
-- resolves when that parameter is bound as each driver type: PREPARE binds
-- the credit parameters with the given type, the others with their own.
CREATE FUNCTION regress.resolves_with(bound text) RETURNS TABLE (fn text, ok bool)
LANGUAGE plpgsql AS $$
DECLARE
    f record;
    types text[];
    args text[];
BEGIN
    FOR f IN
        SELECT p.oid, p.proname, p.proargtypes::oid[] AS argtypes
        FROM pg_proc p
        WHERE p.pronamespace = 'credits'::regnamespace
          AND ('credit'::regtype = ANY (p.proargtypes::oid[])
               OR 'credit[]'::regtype = ANY (p.proargtypes::oid[]))
        ORDER BY p.proname
    LOOP
        SELECT array_agg(CASE WHEN t = 'credit'::regtype THEN bound
                              WHEN t = 'credit[]'::regtype AND bound = 'unknown' THEN bound
                              WHEN t = 'credit[]'::regtype THEN bound || '[]'
                              ELSE format_type(t, NULL) END ORDER BY i),
               array_agg('$' || i ORDER BY i)
        INTO types, args
        FROM unnest(f.argtypes) WITH ORDINALITY AS a(t, i);
        fn := f.proname;
        BEGIN
            EXECUTE format('PREPARE regress_probe(%s) AS SELECT credits.%I(%s)',
                           array_to_string(types, ', '), f.proname, array_to_string(args, ', '));
            DEALLOCATE regress_probe;
            ok := true;
        EXCEPTION WHEN OTHERS THEN
            ok := false;
            RAISE NOTICE '%(%): %', f.proname, array_to_string(types, ', '), SQLERRM;
        END;
        RETURN NEXT;
    END LOOP;
END $$;

SELECT bound, count(*) AS functions, count(*) FILTER (WHERE ok) AS resolved
FROM unnest(ARRAY['credit', 'smallint', 'integer', 'bigint', 'numeric', 'double precision',
                  'text', 'character varying', 'unknown']) AS bound,
     regress.resolves_with(bound)
GROUP BY bound ORDER BY bound;

-- A ledger driven with each binding; the errors are the same whichever way.
SELECT credits.open_account('drivers') > 0 AS opened;
PREPARE grant_as_numeric(text, numeric) AS SELECT credits.grant_credits($1, $2) > 0 AS written;
PREPARE grant_as_float(text, float8) AS SELECT credits.grant_credits($1, $2) > 0 AS written;
PREPARE grant_as_varchar(text, varchar) AS SELECT credits.grant_credits($1, $2) > 0 AS written;
PREPARE grant_as_text(text, text) AS SELECT credits.grant_credits($1, $2) > 0 AS written;
PREPARE grant_as_bigint(text, bigint) AS SELECT credits.grant_credits($1, $2) > 0 AS written;
PREPARE debit_as_float(text, float8) AS SELECT credits.debit($1, $2) > 0 AS written;
EXECUTE grant_as_numeric('drivers', 12.5);
EXECUTE grant_as_float('drivers', 0.1);
EXECUTE grant_as_varchar('drivers', '2.25');
EXECUTE grant_as_text('drivers', '1e3');
EXECUTE grant_as_bigint('drivers', 7);
SELECT credits.grant_credits('drivers', 1.5) > 0 AS numeric_literal, credits.grant_credits('drivers', '0.65') > 0 AS untyped_literal;
EXECUTE debit_as_float('drivers', 2.5);
SELECT credits.balance('drivers');

CREATE FUNCTION regress.grant_error(bound text, value text) RETURNS text LANGUAGE sql AS $$
    SELECT regress.try(format('SELECT credits.grant_credits(%L, %L::%s)::text', 'drivers', value, bound))
$$;
SELECT bound, regress.grant_error(bound, '1.0000000001') AS ten_digits,
       regress.grant_error(bound, '1e40') AS too_large
FROM unnest(ARRAY['numeric', 'text', 'character varying', 'unknown']) AS bound;
SELECT regress.try($$SELECT credits.grant_credits('drivers', 0.1::float8 + 0.2::float8)::text$$) AS double_sum,
       regress.try($$SELECT credits.grant_credits('drivers', 1e40::float8)::text$$) AS double_large,
       regress.try($$SELECT credits.grant_credits('drivers', 'NaN'::float8)::text$$) AS double_nan;
SELECT bound, regress.try(format('SELECT credits.grant_credits(%L, NULL::%s)::text', 'drivers', bound)) AS null_amount
FROM unnest(ARRAY['credit', 'numeric', 'double precision', 'text', 'character varying', 'bigint']) AS bound;
-- nothing of the failed calls was written
SELECT credits.balance('drivers'), count(*) AS grants FROM credits.grants
WHERE account = (SELECT id FROM credits.accounts WHERE key = 'drivers');

-- The billing functions take the same bindings.
SELECT credits.prorate(99.99, '2026-01-01', '2026-02-01', '2026-01-16') AS numeric_literal,
       credits.prorate(99.99::float8, '2026-01-01', '2026-02-01', '2026-01-16') AS from_float,
       credits.sla_credit(100.5, 99.5, 'aws-rds-multi-az') AS sla_numeric,
       credits.sla_credit(100.5::float8, 99.5, 'aws-rds-multi-az') AS sla_float;

-- Expressions mixing credit and numeric.
CREATE TABLE regress.amounts (amount credit, n numeric, f float8, i int, b bigint);
INSERT INTO regress.amounts VALUES (1.5, 2.25, 0.5, 3, 4), (2.5, 0.125, 0.25, 2, 8);
SELECT (amount + 1.5)::text AS plus, pg_typeof(amount + 1.5) AS plus_type,
       (1.5 + amount)::text AS plus_rev, pg_typeof(1.5 + amount) AS plus_rev_type,
       (amount - n)::text AS minus_col, pg_typeof(amount - n) AS minus_type,
       (n - amount)::text AS minus_rev, pg_typeof(n - amount) AS minus_rev_type
FROM regress.amounts ORDER BY amount;
SELECT regress.try($$SELECT ('1'::credit + 0.0000000001)::text$$) AS ten_digits;
SELECT round(avg(amount), 2) AS round_avg, pg_typeof(round(avg(amount), 2)),
       sum(n) AS sum_numeric, pg_typeof(sum(n)), sum(amount)::text AS sum_credit
FROM regress.amounts;
SELECT amount::numeric AS as_numeric, pg_typeof(amount::numeric), sqrt(amount) > 1 AS sqrt,
       trunc(amount) AS trunc, pg_typeof(trunc(amount)), mod(amount, 2) AS mod
FROM regress.amounts ORDER BY amount;
SELECT n * 2 AS n_times_int, pg_typeof(n * 2), 2 * n AS int_times_n, pg_typeof(2 * n),
       n / 2 AS n_div_int, pg_typeof(n / 2), 1.5 * 2 AS literal_product, pg_typeof(1.5 * 2),
       1.5 / 2 AS literal_quotient, pg_typeof(1.5 / 2), n + 2 AS n_plus_int, pg_typeof(n + 2)
FROM regress.amounts ORDER BY amount;
SELECT f * 2 AS f_int, pg_typeof(f * 2), 2 * f AS int_f, f / 2 AS f_div, pg_typeof(f / 2),
       f * n AS f_n, pg_typeof(f * n), n * f AS n_f, f / n AS f_div_n, i * f AS i_f, f + 1 AS f_plus
FROM regress.amounts ORDER BY amount;
SELECT greatest(amount, 1.5)::text AS greatest, pg_typeof(greatest(amount, 1.5)),
       (CASE WHEN amount > 2 THEN amount ELSE 1.5 END)::text AS case_value,
       pg_typeof(CASE WHEN amount > 2 THEN amount ELSE 1.5 END),
       amount IN (1, 2.5) AS in_list
FROM regress.amounts ORDER BY amount;
SELECT x::text, pg_typeof(x) FROM (SELECT amount AS x FROM regress.amounts UNION SELECT n FROM regress.amounts) u
ORDER BY x;
SELECT amount = n AS eq, amount < f AS lt_float, amount > 2 AS gt_int, amount > '2' AS gt_literal,
       amount * 1.5 AS times, pg_typeof(amount * 1.5), amount / 2 AS half, pg_typeof(amount / 2)
FROM regress.amounts ORDER BY amount;

-- A comparison with a numeric constant uses the credit column's index.
CREATE TABLE regress.indexed AS SELECT (g * 0.5)::credit AS amount FROM generate_series(1, 20000) g;
CREATE INDEX ON regress.indexed (amount);
ANALYZE regress.indexed;
EXPLAIN (COSTS OFF) SELECT count(*) FROM regress.indexed WHERE amount > 9998.5;
EXPLAIN (COSTS OFF) SELECT count(*) FROM regress.indexed WHERE amount IN (1, 2.5);
SELECT count(*) FROM regress.indexed WHERE amount > 9998.5;
