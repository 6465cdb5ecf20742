-- sum, avg, min, max: exact, NULL-aware, parallel, windowed.

SELECT sum(v), avg(v), min(v), max(v), count(v)
FROM (VALUES ('1.5'::credit), ('2'), (NULL), ('-0.000000001')) t(v);
SELECT sum(v), avg(v), min(v), max(v) FROM (SELECT NULL::credit WHERE false) t(v);
-- avg rounds half-even at the 9th digit: 0.000000001 / 2 -> 0, 0.000000003 / 2 -> 0.000000002
SELECT avg(v) FROM (VALUES ('0.000000001'::credit), ('0')) t(v);
SELECT avg(v) FROM (VALUES ('0.000000003'::credit), ('0')) t(v);

-- partial sums may exceed the range; only a final result out of range is 22003
SELECT sum(v) AS back_in_range FROM (VALUES ('170141183460469231731687303715'::credit),
    ('170141183460469231731687303715'), ('-170141183460469231731687303715')) t(v);
SELECT regress.try($$SELECT sum(v)::text FROM (VALUES ('170141183460469231731687303715'::credit),
    ('170141183460469231731687303715')) t(v)$$) AS overflow;
SELECT avg(v) AS avg_of_max FROM (VALUES ('170141183460469231731687303715.884105727'::credit),
    ('170141183460469231731687303715.884105727')) t(v);

-- moving windows use the inverse transition
SELECT x, sum(x) OVER w AS moving_sum, avg(x) OVER w AS moving_avg
FROM (SELECT g::credit / 4 AS x FROM generate_series(1, 6) g) s
WINDOW w AS (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW);

-- a parallel aggregate: Partial Aggregate in the plan, the total exact
CREATE TABLE many (v credit);
INSERT INTO many SELECT (g % 1000)::credit / 7 + '0.000000001' FROM generate_series(1, 200000) g;
ANALYZE many;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT sum(v), avg(v) FROM many;
SELECT sum(v), avg(v), min(v), max(v) FROM many;
-- the same total computed in numeric
SELECT sum(v::numeric) AS numeric_sum FROM many;
RESET ALL;
-- min/max use an index through SORTOP
CREATE INDEX ON many (v);
EXPLAIN (COSTS OFF) SELECT max(v) FROM many;
SELECT max(v) FROM many;
