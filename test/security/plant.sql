-- Run by an ordinary role that owns the database (and so, in PostgreSQL 15,
-- schema public): look-alike operators and functions that match calls in
-- the extension's function bodies more exactly than the real ones. Each
-- records that it ran, and as whom, in the session setting
-- credits_planted.ran, and returns what the real one would.
CREATE FUNCTION public.planted_mark(what text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_catalog.set_config('credits_planted.ran',
        pg_catalog.concat(pg_catalog.current_setting('credits_planted.ran', true), ' ', what, ':',
                          current_user), false);
END $$;
GRANT EXECUTE ON FUNCTION public.planted_mark(text) TO PUBLIC;

DO $plant$
DECLARE
    op text;
    pair text[];
    n int := 0;
    comparison boolean;
BEGIN
    FOREACH op IN ARRAY ARRAY['<', '<=', '>', '>=', '=', '<>', '+', '-', '*', '/'] LOOP
        comparison := op IN ('<', '<=', '>', '>=', '=', '<>');
        FOREACH pair SLICE 1 IN ARRAY ARRAY[['credit', 'int4'], ['int4', 'credit'],
                ['credit', 'int8'], ['int8', 'credit'], ['credit', 'int2'],
                ['credit', 'numeric'], ['numeric', 'credit'], ['credit', 'text']] LOOP
            CONTINUE WHEN to_regoperator(format('public.%s(%s,%s)', op, pair[1], pair[2])) IS NOT NULL;
            n := n + 1;
            EXECUTE format($f$CREATE FUNCTION public.planted_op_%s(a %s, b %s) RETURNS %s
                LANGUAGE plpgsql AS $b$ BEGIN PERFORM public.planted_mark(%L);
                RETURN a::numeric %s b::numeric; END $b$$f$,
                n, pair[1], pair[2], CASE WHEN comparison THEN 'boolean' ELSE 'numeric' END,
                format('%s(%s,%s)', op, pair[1], pair[2]), op);
            EXECUTE format('CREATE OPERATOR public.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = public.planted_op_%s)',
                op, pair[1], pair[2], n);
        END LOOP;
    END LOOP;
END
$plant$;

-- built-ins called with arguments they do not match exactly
CREATE FUNCTION public.format(f text, a text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_mark('format(text,text)'); RETURN pg_catalog.format(f, a); END $$;
CREATE FUNCTION public.format(f text, a text, b text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_mark('format(text,text,text)'); RETURN pg_catalog.format(f, a, b); END $$;
CREATE FUNCTION public.format(f text, a credit, b credit) RETURNS text LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_mark('format(text,credit,credit)'); RETURN pg_catalog.format(f, a, b); END $$;
CREATE FUNCTION public.format(f text, a bigint, b credit, c credit) RETURNS text LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_mark('format(text,bigint,credit,credit)'); RETURN pg_catalog.format(f, a, b, c); END $$;
CREATE FUNCTION public.trim_scale(a credit) RETURNS numeric LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_mark('trim_scale(credit)'); RETURN pg_catalog.trim_scale(a::numeric); END $$;
CREATE FUNCTION public.jsonb_typeof(a json) RETURNS text LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_mark('jsonb_typeof(json)'); RETURN pg_catalog.json_typeof(a); END $$;
CREATE FUNCTION public.clock() RETURNS timestamptz LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_mark('clock()'); RETURN pg_catalog.now(); END $$;
-- tables the bodies might name without a schema
CREATE TABLE public.accounts (key text, id bigint);
CREATE TABLE public.grants (id bigint);
CREATE TABLE public.entries (id bigint);
CREATE TABLE public.kinds (kind text);
GRANT ALL ON public.accounts, public.grants, public.entries, public.kinds TO PUBLIC;
