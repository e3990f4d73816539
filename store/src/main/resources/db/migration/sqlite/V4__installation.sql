-- This installation: one row, created by whichever comes first, the installation ID (created at
-- the first start) or the trusted-time mark. installation_id, once set, never changes.
-- trusted_time_mark is the high-water mark of trusted time in INTEGER epoch milliseconds
-- (UTC), rounded up; it only ever grows.

CREATE TABLE installation (
    id                INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    installation_id   TEXT,
    trusted_time_mark INTEGER NOT NULL
) STRICT;

CREATE TRIGGER installation_id_kept BEFORE UPDATE OF installation_id ON installation
WHEN OLD.installation_id IS NOT NULL AND NEW.installation_id IS NOT OLD.installation_id
BEGIN
    SELECT RAISE(ABORT, 'the installation ID never changes once created');
END;
