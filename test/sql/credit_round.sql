-- credits.round() and credits.allocate().

-- every mode, on both sides of zero, at ties and off them
SELECT m AS mode,
       credits.round('2.5', 0, m) AS "2.5", credits.round('-2.5', 0, m) AS "-2.5",
       credits.round('3.5', 0, m) AS "3.5", credits.round('2.4', 0, m) AS "2.4",
       credits.round('-2.6', 0, m) AS "-2.6", credits.round('1.125', 2, m) AS "1.125@2"
FROM unnest(ARRAY['half_up', 'half_even', 'half_down', 'up', 'down', 'ceiling', 'floor']) m;
-- defaults: 0 digits, half_up like numeric round()
SELECT credits.round('0.5'), credits.round('-0.125', 2), round(-0.125, 2) AS numeric_round;
SELECT regress.try($$SELECT credits.round('1', 2, 'bankers')::text$$) AS bad_mode,
       regress.try($$SELECT credits.round('1', 10)::text$$) AS bad_digits,
       regress.try($$SELECT credits.round('1', -1)::text$$) AS negative_digits,
       regress.try($$SELECT credits.round('170141183460469231731687303715.884105727', 0, 'up')::text$$) AS overflow;

-- allocate: parts in proportion, summing exactly to the total
SELECT credits.allocate(100, '{1,1,1}') AS thirds,
       credits.allocate(-100, '{1,1,1}') AS negative,
       credits.allocate(10, '{0.7,0.2,0.1}', 0) AS whole,
       credits.allocate('0.05', '{1,1}') AS tie_to_earlier,
       credits.allocate(1, '{0,2.5,0.5}') AS zero_weight;
SELECT sum(p) = 1234.56 AS sums_to_total
FROM unnest(credits.allocate('1234.56', '{3,7,11,13,17,19}')) p;
SELECT regress.try($$SELECT credits.allocate(1, '{}')::text$$) AS empty,
       regress.try($$SELECT credits.allocate(1, '{1,-1}')::text$$) AS negative_weight,
       regress.try($$SELECT credits.allocate(1, '{0,0}')::text$$) AS all_zero,
       regress.try($$SELECT credits.allocate(1, '{1,NULL}')::text$$) AS null_weight,
       regress.try($$SELECT credits.allocate(1, '{NaN}')::text$$) AS nan_weight,
       regress.try($$SELECT credits.allocate('1.005', '{1}')::text$$) AS too_precise,
       regress.try($$SELECT credits.allocate(1, '{1}', 12)::text$$) AS bad_digits;
