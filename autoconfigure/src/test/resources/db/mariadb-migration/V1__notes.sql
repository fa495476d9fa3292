-- Runs as the admin (spring.flyway.user = root, password from postgres_password). The
-- application's user holds SELECT, INSERT, UPDATE, DELETE on the schema, granted by the DBA.
CREATE TABLE notes (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    body VARCHAR(200) NOT NULL
);
INSERT INTO notes (body) VALUES ('migrated note');
