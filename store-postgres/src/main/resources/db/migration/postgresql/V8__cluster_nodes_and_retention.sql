-- The cluster's singleton work and its node registry (docs/cluster.md).
--
-- cluster_node: every server node writes its row once a second (its heartbeat). last_seen is the database's
-- own clock (clock_timestamp()), deliberately: whether a node is missing is judged by the one clock every node
-- shares, not by the clock of whichever node reads the registry. started_at is the node's trusted clock.
-- clock_offset_millis is the node's seat clock minus the database's, as the node last measured it (NULL before
-- its first measurement); serving says whether the node answers seat calls (its offset within its bound).
-- leader says whether the node held the leadership lock (a session-level advisory lock) at its last
-- heartbeat; the lock, not this column, decides who leads.
CREATE TABLE cluster_node (
    node_id             TEXT    NOT NULL PRIMARY KEY,
    address             TEXT    NOT NULL,
    version             TEXT    NOT NULL,
    started_at          BIGINT  NOT NULL,
    last_seen           BIGINT  NOT NULL,
    leader              BOOLEAN NOT NULL,
    clock_offset_millis BIGINT,
    max_offset_millis   BIGINT  NOT NULL CHECK (max_offset_millis > 0),
    serving             BOOLEAN NOT NULL
);

-- Audit retention on the cluster database, archive-then-delete as in the embedded database (SQLite V11): the
-- leader writes the events older than the retention to a JSON-lines file, then removes them in one transaction
-- that also advances archived_through. The audit log stays append-only for everything else: the trigger refuses
-- to delete any event beyond archived_through, and archived_through never goes back.
CREATE TABLE audit_archive (
    id               INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    archived_through BIGINT  NOT NULL CHECK (archived_through >= 0)
);

INSERT INTO audit_archive (id, archived_through) VALUES (1, 0);

CREATE FUNCTION audit_archive_only_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.archived_through < OLD.archived_through THEN
        RAISE EXCEPTION 'audit_archive.archived_through never goes back';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER audit_archive_only_forward BEFORE UPDATE ON audit_archive
    FOR EACH ROW EXECUTE FUNCTION audit_archive_only_forward();

DROP TRIGGER audit_event_not_changed ON audit_event;

CREATE FUNCTION audit_event_archived_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'the audit log is append-only: events are never changed';
    END IF;
    IF OLD.id > (SELECT archived_through FROM audit_archive WHERE id = 1) THEN
        RAISE EXCEPTION 'the audit log is append-only: only events written to an archive file are removed';
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER audit_event_not_changed BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_archived_only();

-- Denials are deleted by age.
CREATE INDEX denial_by_denied_at ON denial (denied_at);
