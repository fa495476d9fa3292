-- Runs as the admin role (spring.flyway.user = postgres, password from postgres_password).
CREATE TABLE notes (
    id bigserial PRIMARY KEY,
    tenant text NOT NULL,
    body text NOT NULL
);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notes
    USING (tenant = current_setting('app.tenant', true))
    WITH CHECK (tenant = current_setting('app.tenant', true));
GRANT SELECT, INSERT ON notes TO app_user;
GRANT USAGE ON SEQUENCE notes_id_seq TO app_user;
INSERT INTO notes (tenant, body) VALUES ('tenant-a', 'note of a'), ('tenant-b', 'note of b');
