-- Roles: a login role with only credits_writer uses the API but cannot
-- write the tables; readers read; the extension reinstalls cleanly.
SET client_min_messages = warning;
DROP ROLE IF EXISTS credits_regress_app;
DROP ROLE IF EXISTS credits_regress_analyst;
RESET client_min_messages;
CREATE ROLE credits_regress_app LOGIN IN ROLE credits_writer;
CREATE ROLE credits_regress_analyst LOGIN IN ROLE credits_reader;

\c - credits_regress_app
SELECT current_user;
SELECT credits.open_account('app-customer') > 0 AS opened;
SELECT credits.grant_credits('app-customer', 10) > 0 AS granted;
SELECT credits.debit('app-customer', 4) > 0 AS debited;
SELECT credits.balance('app-customer');
SELECT actor, actor_role, type FROM credits.operations o JOIN credits.accounts a ON a.id = o.account
WHERE a.key = 'app-customer' ORDER BY o.id;
-- direct writes are refused
UPDATE credits.accounts SET balance = 1000 WHERE key = 'app-customer';
INSERT INTO credits.grants (account, kind, amount, remaining, effective_at, operation) VALUES (1, 'bonus', 1, 1, now(), 1);
DELETE FROM credits.entries;
-- admin functions are not a writer's
SELECT * FROM credits.verify_chain();
SET credits.test_clock = '2030-01-01';

\c - credits_regress_analyst
SELECT credits.balance('app-customer');
SELECT count(*) > 0 AS can_read_entries FROM credits.entries;
SELECT credits.debit('app-customer', 1);

\c - postgres
SELECT credits.balance('app-customer');
DROP OWNED BY credits_regress_app, credits_regress_analyst;
DROP ROLE credits_regress_app;
DROP ROLE credits_regress_analyst;

-- the extension drops and installs again (its roles already exist)
SET client_min_messages = warning;
DROP EXTENSION credits CASCADE;
RESET client_min_messages;
SELECT count(*) AS roles_kept FROM pg_roles WHERE rolname IN ('credits_reader', 'credits_writer', 'credits_admin');
CREATE EXTENSION credits;
SELECT count(*) AS fresh_accounts FROM credits.accounts;
-- this session prepared statements for the dropped installation; they are
-- prepared again for the new one
SELECT credits.open_account('after-reinstall') AS id;
SELECT credits.grant_credits('after-reinstall', 5) AS grant_id;
SELECT credits.balance('after-reinstall');
