-- COPY text and binary round trips.

CREATE TABLE src (id int, amount credit);
INSERT INTO src VALUES (1, '0'), (2, '-0.000000001'), (3, '170141183460469231731687303715.884105727'),
    (4, '-170141183460469231731687303715.884105727'), (5, '12.5'), (6, NULL);
CREATE TABLE via_text (LIKE src);
CREATE TABLE via_binary (LIKE src);

COPY src TO '/tmp/credits_regress_copy.txt';
COPY via_text FROM '/tmp/credits_regress_copy.txt';
COPY src TO '/tmp/credits_regress_copy.bin' WITH (FORMAT binary);
COPY via_binary FROM '/tmp/credits_regress_copy.bin' WITH (FORMAT binary);

SELECT s.id, s.amount, t.amount IS NOT DISTINCT FROM s.amount AS text_ok,
       b.amount IS NOT DISTINCT FROM s.amount AS binary_ok
FROM src s JOIN via_text t USING (id) JOIN via_binary b USING (id) ORDER BY s.id;

-- text COPY rejects bad input with the type's error
COPY via_text FROM STDIN;
7	1.0000000001
\.
SELECT count(*) FROM via_text;

-- binary input is validated: a bytea field of 16 bytes read back as a credit
COPY (SELECT '\x0000000000000000000000003b9aca00'::bytea) TO '/tmp/credits_regress_one.bin' WITH (FORMAT binary);
COPY via_binary (amount) FROM '/tmp/credits_regress_one.bin' WITH (FORMAT binary);
SELECT amount FROM via_binary WHERE id IS NULL;
-- the smallest 128-bit integer is outside the symmetric range
COPY (SELECT '\x80000000000000000000000000000000'::bytea) TO '/tmp/credits_regress_bad.bin' WITH (FORMAT binary);
COPY via_binary (amount) FROM '/tmp/credits_regress_bad.bin' WITH (FORMAT binary);
-- a field of the wrong length
COPY (SELECT '\x0001'::bytea) TO '/tmp/credits_regress_short.bin' WITH (FORMAT binary);
COPY via_binary (amount) FROM '/tmp/credits_regress_short.bin' WITH (FORMAT binary);
