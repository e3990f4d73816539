-- The seat ledger. Instants are INTEGER epoch milliseconds (UTC); a lease is live at time t
-- while expires_at > t. Every instant compared here is a parameter given by the server's
-- trusted clock: no query reads the database's own time.

CREATE TABLE lease (
    agent_id   TEXT    NOT NULL PRIMARY KEY,
    node       TEXT,
    station    TEXT,
    claimed_at INTEGER NOT NULL,
    renewed_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    claim_seq  INTEGER NOT NULL UNIQUE,
    CHECK (renewed_at >= claimed_at AND expires_at > renewed_at)
) STRICT;

CREATE INDEX lease_by_expiry ON lease (expires_at);

CREATE TABLE denial (
    id        INTEGER NOT NULL PRIMARY KEY,
    agent_id  TEXT    NOT NULL,
    denied_at INTEGER NOT NULL,
    capacity  INTEGER NOT NULL,
    in_use    INTEGER NOT NULL
) STRICT;

-- One row of running totals, kept by the triggers below in the same transaction as the change:
-- the number of lease rows (live or expired), the last claim sequence number handed out (never
-- reused, even after its lease is gone), and the number of denials ever recorded.
CREATE TABLE seat_counter (
    id             INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    leases         INTEGER NOT NULL CHECK (leases >= 0),
    last_claim_seq INTEGER NOT NULL,
    denials        INTEGER NOT NULL
) STRICT;

INSERT INTO seat_counter (id, leases, last_claim_seq, denials) VALUES (1, 0, 0, 0);

CREATE TRIGGER lease_claimed AFTER INSERT ON lease
BEGIN
    UPDATE seat_counter SET leases = leases + 1, last_claim_seq = max(last_claim_seq, NEW.claim_seq) WHERE id = 1;
END;

CREATE TRIGGER lease_reclaimed AFTER UPDATE OF claim_seq ON lease
BEGIN
    UPDATE seat_counter SET last_claim_seq = max(last_claim_seq, NEW.claim_seq) WHERE id = 1;
END;

CREATE TRIGGER lease_removed AFTER DELETE ON lease
BEGIN
    UPDATE seat_counter SET leases = leases - 1 WHERE id = 1;
END;

CREATE TRIGGER denial_recorded AFTER INSERT ON denial
BEGIN
    UPDATE seat_counter SET denials = denials + 1 WHERE id = 1;
END;
