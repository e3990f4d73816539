package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.Denial;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The SQL of {@link JournaledSeatStore}: appending a batch to the journal ({@code seat_journal},
 * one row per batch, its entries as lines of text) and its denials to the denial table,
 * checkpointing changed leases into the lease table, truncating the journal, and reading it all
 * back at startup. Each method is one write transaction on the database's writer.
 *
 * <p>Replaying is idempotent, so a checkpoint may be written in several transactions and a crash
 * may fall between any two: a journal entry is judged against the lease the agent holds so far
 * by claim sequence, which only grows for one agent. A claim applies when the agent holds no
 * lease or one with a smaller claim sequence (an equal one is the same lease, already written by
 * a checkpoint, perhaps with a later expiry); a release applies to the lease with its claim
 * sequence only.
 */
final class SeatJournal {

    private static final String APPEND =
            "INSERT INTO seat_journal (pos, entries) VALUES (?, ?) ON CONFLICT (pos) DO NOTHING";

    private static final String RECORD_DENIAL = """
            INSERT INTO denial (agent_id, denied_at, capacity, in_use) VALUES (?, ?, ?, ?)""";

    private static final String WRITE_LEASE = """
            INSERT INTO lease (agent_id, node, station, claimed_at, renewed_at, expires_at, claim_seq)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (agent_id) DO UPDATE SET
              node = excluded.node, station = excluded.station, claimed_at = excluded.claimed_at,
              renewed_at = excluded.renewed_at, expires_at = excluded.expires_at, claim_seq = excluded.claim_seq""";

    private static final String RENEW_LEASE = """
            UPDATE lease SET node = ?, station = ?, renewed_at = ?, expires_at = ?
            WHERE agent_id = ? AND claim_seq = ?""";

    private static final String DELETE_LEASE = "DELETE FROM lease WHERE agent_id = ?";

    private static final String TRUNCATE = "DELETE FROM seat_journal WHERE pos <= ?";

    private static final String ADVANCE_CLAIM_SEQ =
            "UPDATE seat_counter SET last_claim_seq = max(last_claim_seq, ?) WHERE id = 1";

    private static final String STATE = "SELECT open FROM seat_journal_state WHERE id = 1";

    private static final String MARK = "UPDATE seat_journal_state SET open = ? WHERE id = 1";

    private static final String LEASES =
            "SELECT agent_id, node, station, claimed_at, renewed_at, expires_at, claim_seq FROM lease";

    private static final String ENTRIES = "SELECT pos, entries FROM seat_journal ORDER BY pos";

    private static final String COUNTERS = "SELECT last_claim_seq, denials FROM seat_counter WHERE id = 1";

    private static final String RECENT_DENIALS =
            "SELECT agent_id, denied_at, capacity, in_use FROM denial ORDER BY id DESC LIMIT ?";

    private static final String CLAIM = "claim";
    private static final String RELEASE = "release";

    private final SqliteDatabase database;

    SeatJournal(SqliteDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /**
     * One journal entry: a lease claimed, or a lease removed (released, released for reduced
     * capacity, or reaped).
     *
     * @param lease the lease claimed or removed
     * @param removed whether the lease was removed rather than claimed
     */
    record Entry(Held lease, boolean removed) {}

    /**
     * What the database holds for the seat book.
     *
     * @param leases the leases, earliest-claimed first
     * @param lastClaimSequence the last claim sequence ever handed out
     * @param truncatedThrough the journal holds no entry at or before this position
     * @param lastPosition the position of the last entry in the journal, or 0 when it is empty
     * @param denials the number of denials ever recorded
     * @param recentDenials the most recent denials, newest first
     * @param closedCleanly whether the last store to open the file closed it after a final
     *     checkpoint, so that every expiry is exact
     * @param journaled the agents named in the journal replayed, whose rows in the lease table may differ from
     *     the leases read back: the next checkpoint must write them before it truncates the journal
     */
    record Contents(
            List<Held> leases,
            long lastClaimSequence,
            long truncatedThrough,
            long lastPosition,
            long denials,
            List<Denial> recentDenials,
            boolean closedCleanly,
            Set<AgentId> journaled) {}

    /**
     * Reads the leases (the lease table with the journal replayed over it), the counters and the
     * most recent denials, and marks the file open, in one transaction.
     */
    Contents open(int recentDenialLimit) {
        return database.write(sql -> {
            boolean closedCleanly;
            try (ResultSet row = sql.prepare(STATE).executeQuery()) {
                row.next();
                closedCleanly = row.getInt(1) == 0;
            }
            Map<AgentId, Held> leases = new HashMap<>();
            long lastClaimSequence = 0;
            try (ResultSet rows = sql.prepare(LEASES).executeQuery()) {
                while (rows.next()) {
                    Held lease = new Held(
                            new AgentId(rows.getString(1)),
                            rows.getString(2),
                            rows.getString(3),
                            rows.getLong(4),
                            rows.getLong(5),
                            rows.getLong(6),
                            rows.getLong(7),
                            0);
                    leases.put(lease.agent(), lease);
                    lastClaimSequence = Math.max(lastClaimSequence, lease.claimSequence());
                }
            }
            long firstRow = 0;
            long lastPosition = 0;
            Set<AgentId> journaled = new HashSet<>();
            try (ResultSet rows = sql.prepare(ENTRIES).executeQuery()) {
                while (rows.next()) {
                    lastPosition = rows.getLong(1);
                    if (firstRow == 0) {
                        firstRow = lastPosition;
                    }
                    lastClaimSequence =
                            Math.max(lastClaimSequence, replay(leases, rows.getString(2), lastPosition, journaled));
                }
            }
            long denials;
            try (ResultSet row = sql.prepare(COUNTERS).executeQuery()) {
                row.next();
                lastClaimSequence = Math.max(lastClaimSequence, row.getLong(1));
                denials = row.getLong(2);
            }
            List<Denial> recent = recentDenials(sql, recentDenialLimit);
            PreparedStatement mark = sql.prepare(MARK);
            mark.setInt(1, 1);
            mark.executeUpdate();
            List<Held> ordered = new ArrayList<>(leases.values());
            ordered.sort(Comparator.comparingLong(Held::claimSequence));
            return new Contents(
                    ordered,
                    lastClaimSequence,
                    firstRow == 0 ? 0 : firstRow - 1,
                    lastPosition,
                    denials,
                    recent,
                    closedCleanly,
                    journaled);
        });
    }

    /**
     * Appends a batch of journal entries, as one row, and records denials, in one transaction. Writing a batch
     * again after a failure whose commit did happen after all changes nothing: the row at its position is there,
     * and its denials with it.
     *
     * @param lastPosition the journal position of the last entry
     */
    void append(long lastPosition, List<Entry> entries, List<Denial> denials) {
        database.write(sql -> {
            if (!entries.isEmpty()) {
                PreparedStatement append = sql.prepare(APPEND);
                append.setLong(1, lastPosition);
                append.setString(2, encode(entries));
                if (append.executeUpdate() == 0) {
                    return null;
                }
            }
            if (!denials.isEmpty()) {
                PreparedStatement record = sql.prepare(RECORD_DENIAL);
                for (Denial denial : denials) {
                    record.setString(1, denial.agent().value());
                    record.setLong(2, denial.at().toEpochMilli());
                    record.setInt(3, denial.capacity());
                    record.setInt(4, denial.inUse());
                    record.addBatch();
                }
                record.executeBatch();
            }
            return null;
        });
    }

    /**
     * Writes each agent's lease as it is now into the lease table, in one transaction: the lease,
     * or no row when the value is {@code null}. A lease already in the table (same claim
     * sequence) has only its renewal written, which leaves its claim sequence index untouched.
     */
    void checkpoint(List<Map.Entry<AgentId, Held>> changes) {
        database.write(sql -> {
            PreparedStatement renew = sql.prepare(RENEW_LEASE);
            PreparedStatement delete = sql.prepare(DELETE_LEASE);
            List<Held> renewed = new ArrayList<>(changes.size());
            boolean deletes = false;
            for (Map.Entry<AgentId, Held> change : changes) {
                Held lease = change.getValue();
                if (lease == null) {
                    delete.setString(1, change.getKey().value());
                    delete.addBatch();
                    deletes = true;
                } else {
                    setNullable(renew, 1, lease.node());
                    setNullable(renew, 2, lease.station());
                    renew.setLong(3, lease.renewedAt());
                    renew.setLong(4, lease.expiresAt());
                    renew.setString(5, lease.agent().value());
                    renew.setLong(6, lease.claimSequence());
                    renew.addBatch();
                    renewed.add(lease);
                }
            }
            if (deletes) {
                delete.executeBatch();
            }
            if (!renewed.isEmpty()) {
                int[] updated = renew.executeBatch();
                PreparedStatement write = sql.prepare(WRITE_LEASE);
                boolean writes = false;
                for (int i = 0; i < updated.length; i++) {
                    if (updated[i] == 0) {
                        Held lease = renewed.get(i);
                        write.setString(1, lease.agent().value());
                        setNullable(write, 2, lease.node());
                        setNullable(write, 3, lease.station());
                        write.setLong(4, lease.claimedAt());
                        write.setLong(5, lease.renewedAt());
                        write.setLong(6, lease.expiresAt());
                        write.setLong(7, lease.claimSequence());
                        write.addBatch();
                        writes = true;
                    }
                }
                if (writes) {
                    write.executeBatch();
                }
            }
            return null;
        });
    }

    /**
     * Deletes the journal up to a position, once the lease table holds everything written up to
     * it, and records the last claim sequence handed out.
     */
    void truncate(long throughPosition, long lastClaimSequence) {
        database.write(sql -> {
            PreparedStatement truncate = sql.prepare(TRUNCATE);
            truncate.setLong(1, throughPosition);
            truncate.executeUpdate();
            PreparedStatement advance = sql.prepare(ADVANCE_CLAIM_SEQ);
            advance.setLong(1, lastClaimSequence);
            advance.executeUpdate();
            return null;
        });
    }

    /** Whether the database was closed underneath the store, a failure that no retry mends. */
    boolean isClosed() {
        return database.isClosed();
    }

    /** The database file, for messages. */
    Path file() {
        return database.file();
    }

    /** Marks the file closed cleanly: the lease table holds every lease with its exact expiry. */
    void markClosed() {
        database.write(sql -> {
            PreparedStatement mark = sql.prepare(MARK);
            mark.setInt(1, 0);
            mark.executeUpdate();
            return null;
        });
    }

    /** The most recent committed denials, newest first. */
    List<Denial> recentDenials(int limit) {
        return database.read(sql -> recentDenials(sql, limit));
    }

    private static List<Denial> recentDenials(SqliteDatabase.Statements sql, int limit) throws SQLException {
        PreparedStatement select = sql.prepare(RECENT_DENIALS);
        select.setInt(1, limit);
        List<Denial> denials = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                denials.add(new Denial(
                        new AgentId(rows.getString(1)),
                        Instant.ofEpochMilli(rows.getLong(2)),
                        rows.getInt(3),
                        rows.getInt(4)));
            }
        }
        return denials;
    }

    /** The text of a journal row: one line per entry, tab-separated fields (see the migration). */
    static String encode(List<Entry> entries) {
        StringBuilder text = new StringBuilder(entries.size() * 64);
        for (Entry entry : entries) {
            Held lease = entry.lease();
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(entry.removed() ? RELEASE : CLAIM)
                    .append('\t')
                    .append(lease.claimSequence())
                    .append('\t')
                    .append(field(lease.agent().value()));
            if (!entry.removed()) {
                text.append('\t')
                        .append(lease.claimedAt())
                        .append('\t')
                        .append(lease.expiresAt())
                        .append('\t')
                        .append(field(lease.node()))
                        .append('\t')
                        .append(field(lease.station()));
            }
        }
        return text.toString();
    }

    /**
     * Applies the entries of one journal row to the leases (see the class comment for the rule).
     *
     * @param journaled collects the agents the row names
     * @return the largest claim sequence in the row
     */
    static long replay(Map<AgentId, Held> leases, String text, long position, Set<AgentId> journaled) {
        long lastClaimSequence = 0;
        for (String line : text.split("\n")) {
            String[] fields = line.split("\t", -1);
            boolean claim = fields[0].equals(CLAIM) && fields.length == 7;
            if (!claim && !(fields[0].equals(RELEASE) && fields.length == 3)) {
                throw new IllegalStateException("unreadable journal entry in the row at position " + position);
            }
            long claimSequence = Long.parseLong(fields[1]);
            AgentId agent = new AgentId(fields[2]);
            journaled.add(agent);
            lastClaimSequence = Math.max(lastClaimSequence, claimSequence);
            Held held = leases.get(agent);
            if (claim && (held == null || held.claimSequence() < claimSequence)) {
                long claimedAt = Long.parseLong(fields[3]);
                leases.put(
                        agent,
                        new Held(
                                agent,
                                fields[5].isEmpty() ? null : fields[5],
                                fields[6].isEmpty() ? null : fields[6],
                                claimedAt,
                                claimedAt,
                                Long.parseLong(fields[4]),
                                claimSequence,
                                0));
            } else if (!claim && held != null && held.claimSequence() == claimSequence) {
                leases.remove(agent);
            }
        }
        return lastClaimSequence;
    }

    private static String field(String value) {
        if (value == null) {
            return "";
        }
        if (value.isEmpty() || value.indexOf('\t') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("cannot journal the field " + value);
        }
        return value;
    }

    private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
