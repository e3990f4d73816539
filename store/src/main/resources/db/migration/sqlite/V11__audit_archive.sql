-- Audit retention, archive-then-delete: events older than the configured retention are first written to a
-- JSON-lines file in the data directory (audit-archive/), then removed in one transaction that also advances
-- archived_through to the last id archived. The audit log stays append-only for everything else: the trigger
-- below refuses to delete any event that has not been archived, and archived_through never goes back.
CREATE TABLE audit_archive (
    id               INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    archived_through INTEGER NOT NULL CHECK (archived_through >= 0)
) STRICT;

INSERT INTO audit_archive (id, archived_through) VALUES (1, 0);

CREATE TRIGGER audit_archive_only_forward BEFORE UPDATE ON audit_archive
WHEN NEW.archived_through < OLD.archived_through
BEGIN
    SELECT RAISE(ABORT, 'audit_archive.archived_through never goes back');
END;

DROP TRIGGER audit_event_not_deleted;

CREATE TRIGGER audit_event_not_deleted BEFORE DELETE ON audit_event
WHEN OLD.id > (SELECT archived_through FROM audit_archive WHERE id = 1)
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: only events written to an archive file are removed');
END;
