-- Run by the calling role at the start of its session: look-alikes in its
-- own temporary schema, which search_path lists last (or, unlisted, first).
CREATE TEMPORARY TABLE accounts (key text, id bigint);
CREATE TEMPORARY TABLE grants (id bigint);
CREATE TEMPORARY TABLE entries (id bigint);
CREATE TEMPORARY TABLE operations (id bigint);
CREATE TEMPORARY TABLE packs (code text);
CREATE FUNCTION pg_temp.format(f text, a text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_mark('pg_temp.format(text,text)'); RETURN pg_catalog.format(f, a); END $$;
CREATE FUNCTION pg_temp.planted_lt(a credit, b int4) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_mark('pg_temp.<(credit,int4)'); RETURN a::numeric < b; END $$;
CREATE OPERATOR pg_temp.< (LEFTARG = credit, RIGHTARG = int4, FUNCTION = pg_temp.planted_lt);
