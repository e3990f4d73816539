-- Usage reports (issue 12): what SQLite's V16 adds, the same tables and meanings (see there and
-- docs/reports.md).

ALTER TABLE usage_minute ADD COLUMN denied_agents INTEGER NOT NULL DEFAULT 0 CHECK (denied_agents >= 0);
UPDATE usage_minute SET denied_agents = denials;

CREATE TABLE usage_day (
    day_start           TEXT    NOT NULL PRIMARY KEY CHECK (length(day_start) = 10),
    zone                TEXT    NOT NULL,
    minutes_recorded    INTEGER NOT NULL CHECK (minutes_recorded >= 0),
    peak_in_use         INTEGER NOT NULL CHECK (peak_in_use >= 0),
    minutes_at_peak     INTEGER NOT NULL CHECK (minutes_at_peak >= 0),
    minutes_at_capacity INTEGER NOT NULL CHECK (minutes_at_capacity >= 0),
    capacity            INTEGER NOT NULL CHECK (capacity >= 0),
    claims              BIGINT  NOT NULL CHECK (claims >= 0),
    denials             BIGINT  NOT NULL CHECK (denials >= 0),
    distinct_agents     INTEGER CHECK (distinct_agents >= 0)
);

CREATE TABLE usage_month (LIKE usage_day INCLUDING ALL);

CREATE TABLE usage_agent (
    day_start TEXT NOT NULL CHECK (length(day_start) = 10),
    agent_id  TEXT NOT NULL,
    PRIMARY KEY (day_start, agent_id)
);
