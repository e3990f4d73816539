-- Issue 10: any node serves any browser. Browser sessions and the login throttle move from each node's memory
-- into the cluster database, so that a session made on one node is valid on all and the throttle's delays and
-- global failure budget hold across nodes. Instants are epoch milliseconds of the nodes' trusted wall clocks.

-- A session by the SHA-256 digest of its ID (lowercase hex); the ID itself, and the CSRF token derived from it,
-- are never stored.
CREATE TABLE browser_session (
    digest         TEXT PRIMARY KEY,
    principal_kind TEXT NOT NULL,
    principal_id   TEXT NOT NULL,
    principal_name TEXT NOT NULL,
    role           TEXT NOT NULL,
    remote_address TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    last_seen_at   BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    seq            BIGSERIAL NOT NULL
);
CREATE INDEX browser_session_expires ON browser_session (expires_at);
CREATE INDEX browser_session_principal ON browser_session (principal_kind, lower(principal_id COLLATE "C"));
CREATE INDEX browser_session_last_seen ON browser_session (last_seen_at, seq);

-- The throttle's counters: one username from one address (whole_address false), or one address for any
-- usernames (whole_address true, username ''). An address is an IPv4 address or an IPv6 /64.
CREATE TABLE login_failure (
    address       TEXT NOT NULL,
    whole_address BOOLEAN NOT NULL,
    username      TEXT NOT NULL,
    failures      INTEGER NOT NULL CHECK (failures > 0),
    locked_until  BIGINT NOT NULL,
    last_failure  BIGINT NOT NULL,
    PRIMARY KEY (address, whole_address, username)
);
CREATE INDEX login_failure_username ON login_failure (username);
CREATE INDEX login_failure_last_failure ON login_failure (last_failure);
CREATE INDEX login_failure_locked_until ON login_failure (locked_until);

-- Where a username logged in successfully, and when last: such a pair skips the address lock and the budget.
CREATE TABLE login_known_good (
    username     TEXT NOT NULL,
    address      TEXT NOT NULL,
    logged_in_at BIGINT NOT NULL,
    PRIMARY KEY (username, address)
);
CREATE INDEX login_known_good_logged_in_at ON login_known_good (logged_in_at);

-- The global failure budget, one row; NULLs until the first step (a full budget). Every step of the throttle
-- locks this row first, so steps of all nodes run one after another.
CREATE TABLE login_budget (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    failures_left DOUBLE PRECISION,
    read_at       BIGINT
);
INSERT INTO login_budget (id, failures_left, read_at) VALUES (1, NULL, NULL);
