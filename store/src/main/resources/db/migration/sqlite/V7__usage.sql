-- Seat use per minute, for the AC Agent Dashboard's peaks and history. One row per minute the server
-- ran, written once after the minute ended (never per claim). minute is the start of the minute in
-- INTEGER epoch milliseconds (UTC), given by the server's trusted clock. A minute written again (a
-- server stopped and started within it) is merged: the larger maximum and capacity, the sums of the
-- counts. Rows older than the retention (90 days) are deleted by the same write.

CREATE TABLE usage_minute (
    minute     INTEGER NOT NULL PRIMARY KEY CHECK (minute % 60000 = 0),
    max_in_use INTEGER NOT NULL CHECK (max_in_use >= 0),
    capacity   INTEGER NOT NULL CHECK (capacity >= 0),
    claims     INTEGER NOT NULL CHECK (claims >= 0),
    denials    INTEGER NOT NULL CHECK (denials >= 0)
) STRICT;
