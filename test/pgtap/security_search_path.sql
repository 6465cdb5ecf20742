-- pgTAP: every function of the extension that runs SQL (or runs as its owner,
-- or as a trigger) pins search_path to schemas where only the extension's
-- owner or a superuser can create objects, with pg_temp last.
BEGIN;
SELECT plan(9);

-- The schemas of a pinned search_path in which a role other than `owner`
-- (or a superuser) could create objects; pg_temp is allowed only last.
CREATE FUNCTION pg_temp.unsafe_schemas(config text[], owner oid) RETURNS SETOF text
LANGUAGE sql AS $$
    WITH path AS (
        SELECT trim(both '"' from trim(s)) AS schema, o, count(*) OVER () AS n
        FROM unnest(config) c
        CROSS JOIN LATERAL unnest(string_to_array(substr(c, length('search_path=') + 1), ','))
            WITH ORDINALITY AS p(s, o)
        WHERE c LIKE 'search_path=%')
    SELECT p.schema FROM path p
    LEFT JOIN pg_namespace n ON n.nspname = p.schema
    WHERE CASE WHEN p.schema = 'pg_temp' THEN p.o <> p.n
               WHEN n.oid IS NULL THEN true -- "$user" or a schema anyone could create later
               ELSE (n.nspowner <> owner AND NOT (SELECT rolsuper FROM pg_roles WHERE oid = n.nspowner))
                    OR EXISTS (SELECT FROM aclexplode(n.nspacl) a
                               WHERE a.privilege_type = 'CREATE' AND a.grantee <> owner
                                 AND (a.grantee = 0 OR NOT (SELECT rolsuper FROM pg_roles WHERE oid = a.grantee)))
          END
$$;

-- the checker itself can fail
SELECT is(ARRAY(SELECT pg_temp.unsafe_schemas('{"search_path=pg_catalog, pg_temp"}', 10)), '{}', 'pg_catalog, pg_temp is safe');
SELECT is(ARRAY(SELECT pg_temp.unsafe_schemas('{"search_path=pg_catalog, public, pg_temp"}', 10)), '{public}',
          'public (owned by pg_database_owner) is unsafe');
SELECT is(ARRAY(SELECT pg_temp.unsafe_schemas('{"search_path=\"$user\", pg_catalog, pg_temp"}', 10)), '{$user}',
          '"$user" is unsafe');
SELECT is(ARRAY(SELECT pg_temp.unsafe_schemas('{"search_path=pg_temp, pg_catalog"}', 10)), '{pg_temp}',
          'pg_temp anywhere but last is unsafe');

-- the extension's functions
CREATE TEMPORARY VIEW members AS
    SELECT p.oid, p.oid::regprocedure::text AS signature, p.proconfig, p.prosecdef, p.prorettype,
           l.lanname, x.extowner
    FROM pg_proc p
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'credits'
    JOIN pg_language l ON l.oid = p.prolang;

SELECT is_empty($$
    SELECT signature, s FROM members CROSS JOIN LATERAL pg_temp.unsafe_schemas(proconfig, extowner) s
$$, 'no function pins a schema that a role other than the owner can create in');
-- The numeric shims of credit_arith.sql stay unpinned so that they inline;
-- their bodies name every operator and type in pg_catalog.
CREATE TEMPORARY VIEW inlined_shims AS
    SELECT oid, signature, prosrc FROM members m JOIN pg_proc p USING (oid)
    WHERE lanname = 'sql' AND NOT m.prosecdef AND m.proconfig IS NULL;
SELECT is_empty($$
    SELECT signature FROM members
    WHERE (prosecdef OR lanname IN ('sql', 'plpgsql') OR prorettype = 'trigger'::regtype)
      AND NOT coalesce(proconfig::text LIKE '%search_path=%', false)
      AND oid NOT IN (SELECT oid FROM inlined_shims)
$$, 'every SQL, PL/pgSQL, SECURITY DEFINER and trigger function pins search_path (but the inlined shims)');
SELECT is_empty($$
    SELECT signature, prosrc FROM inlined_shims
    WHERE regexp_replace(regexp_replace(prosrc, 'OPERATOR\(pg_catalog\.[^)]+\)', '', 'g'),
                         '::pg_catalog\.[a-z0-9_]+', '', 'g') ~ '[-+*/<>=:]|[a-z_]+\('
       OR signature !~ '_(mul|div)_'
$$, 'the unpinned shims name every operator and type in pg_catalog');
SELECT is_empty($$
    SELECT signature FROM members WHERE prosecdef AND has_function_privilege('public', oid, 'EXECUTE')
$$, 'PUBLIC may EXECUTE no SECURITY DEFINER function');
SELECT is((SELECT nspowner FROM pg_namespace WHERE nspname = 'credits'),
          (SELECT extowner FROM pg_extension WHERE extname = 'credits'),
          'schema credits belongs to the extension''s owner');

SELECT * FROM finish();
ROLLBACK;
