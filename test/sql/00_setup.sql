-- Set-up shared by the pg_regress suite: the extension, and a helper.
CREATE EXTENSION credits;
CREATE SCHEMA regress;
-- regress.try(sql): runs sql and shows "SQLSTATE: message" instead of
-- failing, so expected output holds the code without source locations.
CREATE FUNCTION regress.try(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE result text;
BEGIN
    EXECUTE sql INTO result;
    RETURN result;
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
