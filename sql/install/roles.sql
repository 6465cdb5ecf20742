-------------------------------------------------------------------------------
-- Ledger: roles
-------------------------------------------------------------------------------

-- Roles are cluster-wide: create them only when missing, so the extension
-- installs in a second database and again after DROP EXTENSION.
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'credits_reader') THEN
        CREATE ROLE credits_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'credits_writer') THEN
        CREATE ROLE credits_writer NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'credits_admin') THEN
        CREATE ROLE credits_admin NOLOGIN;
    END IF;
    IF NOT pg_catalog.pg_has_role('credits_writer', 'credits_reader', 'MEMBER') THEN
        GRANT credits_reader TO credits_writer;
    END IF;
    IF NOT pg_catalog.pg_has_role('credits_admin', 'credits_writer', 'MEMBER') THEN
        GRANT credits_writer TO credits_admin;
    END IF;
END
$roles$;

GRANT USAGE ON SCHEMA credits TO PUBLIC;

