-- Runs as the admin role: spring.flyway.user = postgres, password from the postgres_password
-- secret file. The role app_user is created by the database's provisioning with the password
-- from db_password_server (compose: db/init-app-user.sh); here it only loses any privilege
-- that would let it escape row-level security.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_user') THEN
        RAISE EXCEPTION 'Role app_user does not exist: create it with the password from db_password_server';
    END IF;
END
$$;
ALTER ROLE app_user NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;

CREATE TABLE notes (
    id bigserial PRIMARY KEY,
    tenant text NOT NULL,
    body_encrypted text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notes
    USING (tenant = current_setting('app.tenant', true))
    WITH CHECK (tenant = current_setting('app.tenant', true));

GRANT USAGE ON SCHEMA public TO app_user;
GRANT SELECT, INSERT, DELETE ON notes TO app_user;
GRANT USAGE ON SEQUENCE notes_id_seq TO app_user;
