-- The journal of the embedded seat store (JournaledSeatStore). Its seat book lives in memory;
-- every claim and every removal of a lease (release, capacity reduced, reap) is appended here,
-- many per transaction (group commit), before the caller is answered. Every few seconds a
-- checkpoint writes the changed leases, renewed expiries included, into the lease table and
-- deletes the journal up to that point. At startup the lease table plus the journal replayed in
-- order give back the book. Denials go straight to the denial table. SqliteSeatStore does not
-- read this journal: open a file once with JournaledSeatStore to fold it in.

-- One row per committed batch, keyed by the journal position of its last entry. Its entries are
-- lines of tab-separated fields, in the order they were decided (an empty node or station is
-- NULL; agent IDs, nodes and stations never contain a tab or a line break):
--   claim<TAB>claim_seq<TAB>agent_id<TAB>claimed_at<TAB>expires_at<TAB>node<TAB>station
--   release<TAB>claim_seq<TAB>agent_id
-- A batch is one row rather than one row per entry because appending and deleting rows is the
-- bulk of the cost of a commit: a batch of 64 claims costs one insert, and one delete later.
CREATE TABLE seat_journal (
    pos     INTEGER NOT NULL PRIMARY KEY,
    entries TEXT    NOT NULL
) STRICT;

-- One row: whether a JournaledSeatStore has the file open (1), or closed it cleanly (0) after a
-- final checkpoint. Found at 1 on opening, the last process stopped without closing (a crash):
-- renewals since its last checkpoint are lost, so every lease is given the restart grace.
CREATE TABLE seat_journal_state (
    id   INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    open INTEGER NOT NULL CHECK (open IN (0, 1))
) STRICT;

INSERT INTO seat_journal_state (id, open) VALUES (1, 0);
