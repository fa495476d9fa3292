-- Runs as the admin (spring.sql.init.username = root, password from postgres_password).
CREATE TABLE IF NOT EXISTS notes (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    body VARCHAR(200) NOT NULL
);
INSERT INTO notes (body) VALUES ('initialised note');
