INSERT INTO jpa_notes (body) VALUES ('written by data.sql');
