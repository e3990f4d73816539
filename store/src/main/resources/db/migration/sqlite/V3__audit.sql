-- The audit log: append-only. Rows are inserted, never changed or removed; the triggers below
-- refuse UPDATE and DELETE so that not even a bug can rewrite history. id grows with every
-- event and is never reused (AUTOINCREMENT), so it orders the log and pages through it.
-- at is INTEGER epoch milliseconds (UTC), given by the server's trusted clock.

CREATE TABLE audit_event (
    id     INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    at     INTEGER NOT NULL,
    actor  TEXT    NOT NULL,
    type   TEXT    NOT NULL,
    detail TEXT    NOT NULL
) STRICT;

CREATE INDEX audit_event_by_at ON audit_event (at);

-- Each index entry ends with the rowid (id), so this index also lists one type newest first.
CREATE INDEX audit_event_by_type ON audit_event (type);

CREATE TRIGGER audit_event_not_updated BEFORE UPDATE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: events are never changed');
END;

CREATE TRIGGER audit_event_not_deleted BEFORE DELETE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: events are never removed');
END;
