-- The license status the audit log last recorded a lifecycle transition to (docs/cluster.md, singleton work):
-- state, capacity and the license in force, as the STATE_CHANGED entries name them. The node leading the cluster
-- compares it with the status now and, when they differ, appends the transition's entries and moves this row in
-- the same transaction, under this row's lock. So a transition is audited once even when it happened while no
-- node led, or when two nodes both believe they lead for a moment. No row until the first leader's first tick.
CREATE TABLE lifecycle_audited (
    id       INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    state    TEXT    NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity >= 0),
    license  TEXT    NOT NULL
);
