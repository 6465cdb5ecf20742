-- btree and hash operator classes: indexes, ORDER BY, DISTINCT, GROUP BY, joins.

CREATE TABLE ledger (id int, amount credit);
INSERT INTO ledger SELECT g, ((g * 7919) % 10007)::credit / 100 - 50 FROM generate_series(1, 20000) g;
CREATE INDEX ledger_amount ON ledger (amount);
ANALYZE ledger;

-- the btree index serves ranges and equality
EXPLAIN (COSTS OFF) SELECT id FROM ledger WHERE amount = '12.34';
EXPLAIN (COSTS OFF) SELECT count(*) FROM ledger WHERE amount BETWEEN 0 AND '0.5';
SELECT count(*) FROM ledger WHERE amount BETWEEN 0 AND '0.5';
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SELECT count(*) FROM ledger WHERE amount BETWEEN 0 AND '0.5';
RESET enable_indexscan;
RESET enable_bitmapscan;

-- ORDER BY (abbreviated keys in the sort) agrees with numeric order
SELECT bool_and(ok) AS sorted_like_numeric FROM (
    SELECT amount::numeric >= lag(amount::numeric) OVER (ORDER BY amount) OR lag(amount) OVER (ORDER BY amount) IS NULL AS ok
    FROM ledger) s;
SELECT amount FROM (VALUES ('170141183460469231731687303715'::credit), ('-170141183460469231731687303715'),
    ('9223372036.854775807'), ('9223372036.854775808'), ('9223372036.854775806'), ('0'), ('-9223372036.854775809'))
    t(amount) ORDER BY amount;

-- DISTINCT and GROUP BY, by sorting and by hashing
SELECT count(DISTINCT amount) FROM ledger;
SET enable_hashagg = off;
SELECT amount, count(*) FROM ledger GROUP BY amount ORDER BY count(*) DESC, amount LIMIT 3;
RESET enable_hashagg;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT amount, count(*) FROM ledger GROUP BY amount;
RESET enable_sort;

-- hash join and merge join
CREATE TABLE prices (amount credit PRIMARY KEY, label text);
INSERT INTO prices VALUES ('12.34', 'a'), ('-50', 'b'), ('0.07', 'c');
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT p.label, count(*) FROM ledger l JOIN prices p USING (amount) GROUP BY p.label;
SELECT p.label, count(*) FROM ledger l JOIN prices p USING (amount) GROUP BY p.label ORDER BY 1;
RESET enable_mergejoin;
SET enable_hashjoin = off;
EXPLAIN (COSTS OFF) SELECT p.label, count(*) FROM ledger l JOIN prices p USING (amount) GROUP BY p.label;
SELECT p.label, count(*) FROM ledger l JOIN prices p USING (amount) GROUP BY p.label ORDER BY 1;
RESET ALL;

-- a hash index, and hash partitioning (the extended hash)
CREATE INDEX ledger_amount_hash ON ledger USING hash (amount);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM ledger WHERE amount = '0.07';
RESET enable_seqscan;
CREATE TABLE parts (amount credit) PARTITION BY HASH (amount);
CREATE TABLE parts_0 PARTITION OF parts FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE parts_1 PARTITION OF parts FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO parts SELECT amount FROM ledger;
SELECT (SELECT count(*) FROM parts_0) + (SELECT count(*) FROM parts_1) AS all_rows_placed;
-- a unique index enforces equality across representations of the same value
CREATE UNIQUE INDEX ON prices (amount);
INSERT INTO prices VALUES ('12.340', 'dup');
