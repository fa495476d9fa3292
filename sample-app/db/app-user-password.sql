-- Creates the application's role app_user, or sets its password (Swarm: docs/deployment.md).
-- The password comes as hex in the psql variable password_hex, so that it never appears in a
-- command line; psql reads this script and that variable from standard input:
--   { printf '\\set password_hex %s\n' "$(printf %s "$NEW" | od -An -tx1 | tr -d ' \n')"
--     cat db/app-user-password.sql; } | docker exec -i "$POSTGRES_CONTAINER" psql -q -U postgres -d app
-- Sessions already logged in stay logged in; only new logins need the new password.
\set ON_ERROR_STOP on
-- the statement below carries the password: this session's statements are not logged, nor
-- the text of one that fails, nor a slow one (a server started with log_statement=ddl)
SET log_statement = 'none';
SET log_min_error_statement = 'panic';
SET log_min_duration_statement = -1;
SELECT format('%s ROLE app_user LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD %L',
               CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_user') THEN 'ALTER' ELSE 'CREATE' END,
               convert_from(decode(:'password_hex', 'hex'), 'UTF8')) \gexec
