-- Force-release (issue 12), as SQLite's V15: an administrator's release of an agent's seat, one row per agent (a
-- later release replaces it), read by every node once a second. notice_until: until when the agent's next claim
-- or renewal is answered released-by-administrator (NULL once told, or when the agent held no seat);
-- blocked_until: until when its claims are refused (NULL: no block). Epoch milliseconds of the trusted clock.
CREATE TABLE seat_release (
    agent_id      TEXT   NOT NULL PRIMARY KEY,
    released_at   BIGINT NOT NULL,
    released_by   TEXT   NOT NULL,
    reason        TEXT   NOT NULL,
    notice_until  BIGINT,
    blocked_until BIGINT
);
