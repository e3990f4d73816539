-- Usage reports (issue 12). Days and months of seat use, rolled up from usage_minute (kept 90 days by
-- default) and kept for years; and the agents that claimed a seat on each day, kept only until the day and
-- its month have been counted (docs/reports.md).
--
-- usage_minute.denied_agents: the distinct agents denied in the minute, so that the right-size advice counts
-- an agent who retried five times in a minute as one refused agent. Rows written before this migration did
-- not know it: they get the number of denials, an upper bound.

ALTER TABLE usage_minute ADD COLUMN denied_agents INTEGER NOT NULL DEFAULT 0 CHECK (denied_agents >= 0);
UPDATE usage_minute SET denied_agents = denials;

-- One row per calendar day (day_start 'YYYY-MM-DD') or month (day_start the first day of the month), in the
-- zone named by zone (the license's when it was rolled up). distinct_agents is NULL when it is not known.
CREATE TABLE usage_day (
    day_start           TEXT    NOT NULL PRIMARY KEY CHECK (length(day_start) = 10),
    zone                TEXT    NOT NULL,
    minutes_recorded    INTEGER NOT NULL CHECK (minutes_recorded >= 0),
    peak_in_use         INTEGER NOT NULL CHECK (peak_in_use >= 0),
    minutes_at_peak     INTEGER NOT NULL CHECK (minutes_at_peak >= 0),
    minutes_at_capacity INTEGER NOT NULL CHECK (minutes_at_capacity >= 0),
    capacity            INTEGER NOT NULL CHECK (capacity >= 0),
    claims              INTEGER NOT NULL CHECK (claims >= 0),
    denials             INTEGER NOT NULL CHECK (denials >= 0),
    distinct_agents     INTEGER CHECK (distinct_agents >= 0)
) STRICT;

CREATE TABLE usage_month (
    day_start           TEXT    NOT NULL PRIMARY KEY CHECK (length(day_start) = 10),
    zone                TEXT    NOT NULL,
    minutes_recorded    INTEGER NOT NULL CHECK (minutes_recorded >= 0),
    peak_in_use         INTEGER NOT NULL CHECK (peak_in_use >= 0),
    minutes_at_peak     INTEGER NOT NULL CHECK (minutes_at_peak >= 0),
    minutes_at_capacity INTEGER NOT NULL CHECK (minutes_at_capacity >= 0),
    capacity            INTEGER NOT NULL CHECK (capacity >= 0),
    claims              INTEGER NOT NULL CHECK (claims >= 0),
    denials             INTEGER NOT NULL CHECK (denials >= 0),
    distinct_agents     INTEGER CHECK (distinct_agents >= 0)
) STRICT;

-- The agents granted a seat on a day (in the license's zone), written at most once per agent and day.
CREATE TABLE usage_agent (
    day_start TEXT NOT NULL CHECK (length(day_start) = 10),
    agent_id  TEXT NOT NULL,
    PRIMARY KEY (day_start, agent_id)
) STRICT, WITHOUT ROWID;
