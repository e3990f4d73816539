-- Issue 12: alerts, shared by the nodes. Times are epoch milliseconds of trusted time.
-- alert_rule: the rules an administrator set (a rule absent here has its defaults).
CREATE TABLE alert_rule (
    rule       TEXT    PRIMARY KEY,
    enabled    BOOLEAN NOT NULL,
    days       TEXT    NOT NULL,
    percent    INTEGER NOT NULL,
    minutes    INTEGER NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT    NOT NULL
);

-- alert: each alert fired, once per event key (the unique index is what makes it once, across restarts and nodes).
CREATE TABLE alert (
    seq       BIGSERIAL PRIMARY KEY,
    id        TEXT    NOT NULL UNIQUE,
    event_key TEXT    NOT NULL UNIQUE,
    rule      TEXT    NOT NULL,
    fired_at  BIGINT NOT NULL,
    summary   TEXT    NOT NULL,
    facts     TEXT    NOT NULL
);

-- alert_subscription: where alerts go; secret is a webhook's signing secret, never shown back.
CREATE TABLE alert_subscription (
    seq        BIGSERIAL PRIMARY KEY,
    id         TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    channel    TEXT    NOT NULL CHECK (channel IN ('WEBHOOK', 'EMAIL')),
    target     TEXT    NOT NULL,
    secret     TEXT,
    created_at BIGINT NOT NULL,
    created_by TEXT    NOT NULL
);

-- alert_delivery: one alert on its way to one subscription; PENDING until DELIVERED or GAVE_UP.
-- held_until: a node sending it holds it until then, so that no other node sends it at the same time.
CREATE TABLE alert_delivery (
    id              TEXT    PRIMARY KEY,
    alert_id        TEXT    NOT NULL REFERENCES alert (id),
    subscription_id TEXT    NOT NULL REFERENCES alert_subscription (id) ON DELETE CASCADE,
    status          TEXT    NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'GAVE_UP')),
    attempts        INTEGER NOT NULL,
    first_due_at    BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    held_until      BIGINT
);
CREATE INDEX alert_delivery_due ON alert_delivery (status, next_attempt_at);

-- alert_attempt: the delivery log of each subscription.
CREATE TABLE alert_attempt (
    seq             BIGSERIAL PRIMARY KEY,
    delivery_id     TEXT    NOT NULL,
    subscription_id TEXT    NOT NULL,
    alert_id        TEXT    NOT NULL,
    rule            TEXT    NOT NULL,
    attempt         INTEGER NOT NULL,
    at              BIGINT NOT NULL,
    outcome         TEXT    NOT NULL CHECK (outcome IN ('DELIVERED', 'FAILED', 'GAVE_UP')),
    status_code     INTEGER,
    error           TEXT,
    next_attempt_at BIGINT
);
CREATE INDEX alert_attempt_by_subscription ON alert_attempt (subscription_id, seq);

-- alert_gate: when a throttled rule last let an alert through.
CREATE TABLE alert_gate (
    name    TEXT    PRIMARY KEY,
    last_at BIGINT NOT NULL
);

-- alert_episode: a condition under way (high use) and since when, shared by restarts and nodes.
CREATE TABLE alert_episode (
    name  TEXT    PRIMARY KEY,
    since BIGINT NOT NULL
);

-- alert_smtp: the SMTP server of e-mail alerts; one row. The password is never shown back.
CREATE TABLE alert_smtp (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    host       TEXT    NOT NULL,
    port       INTEGER NOT NULL,
    security   TEXT    NOT NULL CHECK (security IN ('STARTTLS', 'TLS', 'NONE')),
    username   TEXT,
    password   TEXT,
    sender     TEXT    NOT NULL
);
