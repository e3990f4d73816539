-- Force-release (issue 12): an administrator's release of an agent's seat, one row per agent (a later release
-- replaces it). notice_until: until when the agent's next claim or renewal is answered released-by-administrator
-- (NULL once told, or when the agent held no seat); blocked_until: until when its claims are refused (NULL: no
-- block). Instants are epoch milliseconds of the trusted clock. Rows no longer in force are pruned by the server.
CREATE TABLE seat_release (
    agent_id      TEXT    NOT NULL PRIMARY KEY,
    released_at   INTEGER NOT NULL,
    released_by   TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    notice_until  INTEGER,
    blocked_until INTEGER
) STRICT;
