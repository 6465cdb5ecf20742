-- credits_tap 1.0: pgTAP assertions for users' own suites. Each returns a
-- TAP line (and, when it fails, pgTAP diagnostics saying have and want).
-- The functions are created here with pgTAP's schema and the credit type's
-- schema written into them. They pin search_path to pg_catalog, pgTAP's
-- schema, pg_temp: pgTAP's own functions call each other unqualified, so
-- its schema must be on the path. They are not SECURITY DEFINER: they run
-- with the rights of whoever runs the tests, as pgTAP's functions do.

\echo Use "CREATE EXTENSION credits_tap" to load this file. \quit

DO $install$
DECLARE
    tap text := (SELECT pg_catalog.quote_ident(n.nspname) FROM pg_catalog.pg_extension e
                 JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pgtap');
    typ text := (SELECT pg_catalog.quote_ident(n.nspname) FROM pg_catalog.pg_extension e
                 JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'credits');
BEGIN
    -- balance_is: credits.balance(account) equals expected
    EXECUTE pg_catalog.format($sql$
CREATE FUNCTION credits_tap.balance_is(account text, expected %2$s.credit, description text DEFAULT NULL)
    RETURNS text LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, %1$s, pg_temp AS $body$
DECLARE
    have %2$s.credit := credits.balance(account);
    same boolean := have OPERATOR(%2$s.=) expected;
BEGIN
    RETURN %1$s.ok(same, coalesce(description, format('balance of %%s is %%s', account, expected)))
        || CASE WHEN same THEN '' ELSE E'\n' || %1$s.diag(format(E'    have: %%s\n    want: %%s', have, expected)) END;
END $body$;
$sql$, tap, typ);

    -- grants_are: the account's live lots in burn order, as grants_of() lists them
    EXECUTE pg_catalog.format($sql$
CREATE FUNCTION credits_tap.grants_are(account text, expected jsonb, description text DEFAULT NULL)
    RETURNS text LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, %1$s, pg_temp AS $body$
DECLARE
    have jsonb;
    have_lot jsonb;
    want_lot jsonb;
    field text;
    same boolean;
    differs text;
BEGIN
    IF jsonb_typeof(expected) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'expected must be a JSON array of lots' USING ERRCODE = '22023',
            HINT = 'Each lot: its remaining ("20" or 20), or an object with any of grant_id, kind, remaining, priority, effective_at, expires_at, cost_basis.';
    END IF;
    SELECT coalesce(jsonb_agg(jsonb_build_object('grant_id', g.grant_id, 'kind', g.kind,
               'remaining', g.remaining::text, 'priority', g.priority, 'effective_at', g.effective_at,
               'expires_at', g.expires_at, 'cost_basis', g.cost_basis) ORDER BY g.lot), '[]')
    INTO have
    FROM credits.grants_of(account) WITH ORDINALITY
         AS g(grant_id, kind, remaining, priority, effective_at, expires_at, cost_basis, lot);
    FOR i IN 0 .. greatest(jsonb_array_length(have), jsonb_array_length(expected)) - 1 LOOP
        have_lot := have -> i;
        want_lot := expected -> i;
        IF have_lot IS NULL OR want_lot IS NULL THEN
            differs := format('lot %%s: %%s', i + 1, CASE WHEN have_lot IS NULL THEN 'missing' ELSE 'not expected' END);
        ELSIF jsonb_typeof(want_lot) IN ('number', 'string') THEN
            want_lot := jsonb_build_object('remaining', want_lot #>> '{}');
        END IF;
        IF differs IS NULL THEN
            FOR field IN SELECT f FROM jsonb_object_keys(want_lot) f ORDER BY 1 LOOP
                same := CASE
                    WHEN field IN ('remaining', 'cost_basis')
                    THEN (have_lot ->> field)::numeric IS NOT DISTINCT FROM (want_lot ->> field)::numeric
                    WHEN field IN ('effective_at', 'expires_at')
                    THEN (have_lot ->> field)::timestamptz IS NOT DISTINCT FROM (want_lot ->> field)::timestamptz
                    ELSE (have_lot ->> field) IS NOT DISTINCT FROM (want_lot ->> field) END;
                IF NOT same THEN
                    differs := format('lot %%s differs in %%s', i + 1, field);
                    EXIT;
                END IF;
            END LOOP;
        END IF;
        IF differs IS NOT NULL THEN
            RETURN %1$s.ok(false, coalesce(description, format('lots of %%s', account))) || E'\n'
                || %1$s.diag(format(E'    %%s\n    have: %%s\n    want: %%s', differs,
                                    coalesce(have_lot::text, '(no lot)'), coalesce((expected -> i)::text, '(no lot)')));
        END IF;
    END LOOP;
    RETURN %1$s.ok(true, coalesce(description, format('lots of %%s', account)));
END $body$;
$sql$, tap, typ);

    -- chain_ok: verify_chain() passes for one account, or all
    EXECUTE pg_catalog.format($sql$
CREATE FUNCTION credits_tap.chain_ok(account text DEFAULT NULL)
    RETURNS text LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, %1$s, pg_temp AS $body$
DECLARE
    broken text := (SELECT string_agg(format('    %%s: broken at seq %%s of %%s entries', v.account, v.first_bad_seq, v.entries), E'\n' ORDER BY v.account)
                    FROM credits.verify_chain(account) v WHERE NOT v.ok);
    description text := CASE WHEN account IS NULL THEN 'every hash chain verifies' ELSE format('the hash chain of %%s verifies', account) END;
BEGIN
    RETURN %1$s.ok(broken IS NULL, description) || CASE WHEN broken IS NULL THEN '' ELSE E'\n' || %1$s.diag(broken) END;
END $body$;
$sql$, tap, typ);

    -- invariants_ok: check_invariants() is empty
    EXECUTE pg_catalog.format($sql$
CREATE FUNCTION credits_tap.invariants_ok()
    RETURNS text LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, %1$s, pg_temp AS $body$
DECLARE
    problems text := (SELECT string_agg(format('    %%s: %%s', c.account, c.problem), E'\n')
                      FROM (SELECT * FROM credits.check_invariants() LIMIT 20) c);
BEGIN
    RETURN %1$s.ok(problems IS NULL, 'the ledger''s invariants hold')
        || CASE WHEN problems IS NULL THEN '' ELSE E'\n' || %1$s.diag(problems) END;
END $body$;
$sql$, tap, typ);

    -- raises_sqlstate: running sql raises that SQLSTATE (any message)
    EXECUTE pg_catalog.format($sql$
CREATE FUNCTION credits_tap.raises_sqlstate(sql text, sqlstate text, description text DEFAULT NULL)
    RETURNS text LANGUAGE sql VOLATILE SET search_path = pg_catalog, %1$s, pg_temp AS $body$
    SELECT %1$s.throws_ok(sql, sqlstate::char(5), NULL, coalesce(description, format('raises %%s', sqlstate)))
$body$;
$sql$, tap, typ);
END
$install$;

COMMENT ON SCHEMA credits_tap IS 'pgTAP assertions of the credits_tap extension';
COMMENT ON FUNCTION credits_tap.balance_is(text, credit, text) IS 'pgTAP: credits.balance(account) equals expected; diagnostics show have and want';
COMMENT ON FUNCTION credits_tap.grants_are(text, jsonb, text) IS 'pgTAP: the account''s live lots in burn order match expected, a JSON array of remainings or objects (grant_id, kind, remaining, priority, effective_at, expires_at, cost_basis); diagnostics name the first differing lot';
COMMENT ON FUNCTION credits_tap.chain_ok(text) IS 'pgTAP: verify_chain() passes for the account (all accounts when NULL); diagnostics list broken chains';
COMMENT ON FUNCTION credits_tap.invariants_ok() IS 'pgTAP: check_invariants() is empty; diagnostics list the problems';
COMMENT ON FUNCTION credits_tap.raises_sqlstate(text, text, text) IS 'pgTAP: running sql raises that SQLSTATE';
