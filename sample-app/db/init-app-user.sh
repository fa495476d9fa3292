#!/bin/sh
# Run once by the postgres image on an empty data folder: creates the application's role
# with the password from its secret file. psql reads the file itself (backtick \set), so the
# password never appears in a command line or the environment.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
\set app_password `cat /run/secrets/db_password_server`
-- the next statement carries the password: this session's statements are not logged, nor
-- the text of one that fails, nor a slow one (a server started with log_statement=ddl)
SET log_statement = 'none';
SET log_min_error_statement = 'panic';
SET log_min_duration_statement = -1;
CREATE ROLE app_user LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
SQL
