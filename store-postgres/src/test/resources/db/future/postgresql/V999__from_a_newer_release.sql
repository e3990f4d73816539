-- A migration of a release newer than this one, for PostgresDatabaseTest: a node must refuse the schema it leaves.
CREATE TABLE from_a_newer_release (id INTEGER NOT NULL PRIMARY KEY);
