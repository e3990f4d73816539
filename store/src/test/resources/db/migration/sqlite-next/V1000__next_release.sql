-- A later release's migration, for SqliteUpgradeTest only (never shipped): upgrade, backup, refusal, rollback.
CREATE TABLE next_release_note (id INTEGER PRIMARY KEY, note TEXT NOT NULL);
INSERT INTO next_release_note (note) VALUES ('written by the next release');
