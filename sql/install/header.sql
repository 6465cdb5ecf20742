-- credits: the whole SQL API of the extension, for a fresh install. The
-- Makefile assembles this script from the pieces in sql/install/.
--
-- Where things live:
--   * the type `credit`, its operators, casts, operator classes and
--     aggregates go into the schema CREATE EXTENSION installs into
--     (@extschema@, `public` by default), so `amount > 0`, `amount * 1.5`
--     and `sum(amount)` work with an ordinary search_path;
--   * everything else lives in schema `credits`, which the extension owns.
-- Every function that runs SQL pins search_path to pg_catalog, pg_temp:
-- schemas where nobody but a superuser creates objects. Its SQL names every
-- table, function and operator of the extension with its schema, and the
-- type's operators as OPERATOR(@extschema@.op), so nothing resolves through
-- a schema that other roles can create in (see README, "Security").

\echo Use "CREATE EXTENSION credits" to load this file. \quit

