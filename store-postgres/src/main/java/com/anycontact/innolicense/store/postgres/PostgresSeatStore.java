package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.Denial;
import com.anycontact.innolicense.seat.Lease;
import com.anycontact.innolicense.seat.SeatStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The seat store in the cluster database, shared by every server node: PostgreSQL is the one arbiter of the
 * seat cap.
 *
 * <p>How the cap holds across nodes. A claim is one call of the database function {@code claim_seat} (migration
 * V1), in a transaction of its own. Its first statement locks the one row of {@code seat_counter} ({@code
 * SELECT ... FOR UPDATE}); only then does it read the agent's lease and count the live leases, each in a
 * statement of its own, and insert. So claims, from any thread of any node, decide one after another, and each
 * decides on the leases of every claim before it: under READ COMMITTED a statement sees every transaction
 * committed before the statement began (a VOLATILE function takes a fresh snapshot per statement), and the
 * previous holder of the lock committed, or rolled back, before the lock was granted, so before the counting
 * statement began. Releases and reaps take no lock: they only remove leases, so a claim that misses one counts
 * a seat as held that was just freed, which is the decision it would have made a moment earlier, never one
 * beyond the cap. Nothing else creates a live lease.
 *
 * <p>Why the order of statements matters. READ COMMITTED does not make a guarded insert safe by itself: {@code
 * INSERT ... SELECT ... WHERE (SELECT count(*) ...) < capacity} counts in the snapshot taken when the statement
 * began, so two of them from two nodes both count {@code capacity - 1} live leases and both insert (their agent
 * IDs differ, so no unique constraint stops them). Locking and counting in one statement fails the same way: a
 * {@code SELECT ... FOR UPDATE} that waits for the lock re-reads the locked row when it gets it, but a subquery
 * in it still counts in the snapshot from before the wait. The count must be a later statement than the lock.
 * SERIALIZABLE would catch the conflict too, at the price of retrying the aborted claims.
 *
 * <p>Renewals of a live lease take no claim lock: they add no lease. The renewing {@code UPDATE} re-checks
 * on the newest row version that the lease is still live and still the same claim, so it never revives a lease
 * that was released, reaped or replaced; when the check fails the call takes the locked path. Nodes decide at
 * instants that disagree (clocks within the cluster's bound, a call that waited for a connection), so a renewal
 * may come with an earlier instant than a claim already committed: a claim therefore first <em>retires</em>,
 * under the lock, every lease expired by its instant (negates its {@code claim_seq}, migration V11), which the
 * renewal's check on the claim sequence then sees; a retired lease is dead for every node, and reaped. When capacity has
 * dropped, a renewal ranks its lease among the live leases claimed before it (later claims cannot rank before
 * it). On the locked path the agent's lease row is locked after the counter row, always in that order, so
 * claims cannot deadlock; a release locks only its lease row.
 *
 * <p>Cost: the claim lock is held for the function and the commit, which waits for the write-ahead log to
 * reach the disk, so grants are decided one commit after another. A denial changes no lease, so its record is
 * committed without waiting for the disk ({@code synchronous_commit} off for that transaction): a crash of
 * PostgreSQL can lose the denial records of its last fraction of a second, never a lease. Measuring it beside
 * the peers is the cluster benchmark's job (docs/cluster.md).
 *
 * <p>Time: instants are stored as epoch milliseconds and every one is a parameter; no query reads the
 * database's clock. Nodes are expected to agree on time (the cluster's handling of clock skew is not built
 * yet: see docs/cluster.md). A renewal given a {@code now} before the lease's claim is dated at the claim.
 */
public final class PostgresSeatStore implements SeatStore {

    private static final String CLAIM = "SELECT * FROM claim_seat(?, ?, ?, ?, ?, ?)";

    // A lease whose claim_seq is negative was retired by a claim that found it expired (migration V11): it is
    // dead for every node, whatever its clock says.
    private static final String LIVE_COUNT = "SELECT count(*) FROM lease WHERE expires_at > ? AND claim_seq > 0";

    private static final String RELEASE = "DELETE FROM lease WHERE agent_id = ? AND expires_at > ? AND claim_seq > 0";

    private static final String LEASE_COLUMNS =
            "agent_id, node, station, claimed_at, renewed_at, expires_at, claim_seq";

    private static final String LIVE_LEASES =
            "SELECT " + LEASE_COLUMNS + " FROM lease WHERE expires_at > ? AND claim_seq > 0 ORDER BY claim_seq";

    private static final String REAP = "DELETE FROM lease WHERE expires_at <= ? OR claim_seq < 0 RETURNING "
            + LEASE_COLUMNS.replace("claim_seq", "abs(claim_seq)");

    private static final String DENIALS = "SELECT denials FROM seat_counter WHERE id = 1";

    private static final String RECENT_DENIALS =
            "SELECT agent_id, denied_at, capacity, in_use FROM denial ORDER BY id DESC LIMIT ?";

    private final PostgresDatabase database;

    /** A store in the given database, which the caller opens and closes. */
    public PostgresSeatStore(PostgresDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public ClaimResult claim(ClaimRequest request, int capacity, Instant now, Duration ttl) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(ttl, "ttl");
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity is negative: " + capacity);
        }
        if (ttl.toMillis() <= 0) {
            throw new IllegalArgumentException("lease TTL must be at least 1 ms, got " + ttl);
        }
        long nowMillis = now.toEpochMilli();
        long ttlMillis = ttl.toMillis();
        return database.autoCommit(connection -> {
            try (PreparedStatement claim = connection.prepareStatement(CLAIM)) {
                claim.setString(1, request.agent().value());
                setNullable(claim, 2, request.node());
                setNullable(claim, 3, request.station());
                claim.setLong(4, nowMillis);
                claim.setLong(5, ttlMillis);
                claim.setInt(6, capacity);
                try (ResultSet row = claim.executeQuery()) {
                    row.next();
                    int inUse = Math.toIntExact(row.getLong(8));
                    return switch (row.getString(1)) {
                        case "CLAIMED" -> new ClaimResult.Claimed(lease(request.agent(), row));
                        case "RENEWED" -> new ClaimResult.Renewed(lease(request.agent(), row));
                        case "DENIED" -> new ClaimResult.Denied(capacity, inUse);
                        case "CAPACITY_REDUCED" -> new ClaimResult.CapacityReduced(capacity, inUse);
                        default -> throw new IllegalStateException("claim_seat answered " + row.getString(1));
                    };
                }
            }
        });
    }

    @Override
    public boolean release(AgentId agent, Instant now) {
        Objects.requireNonNull(agent, "agent");
        long nowMillis = now.toEpochMilli();
        return database.autoCommit(connection -> {
            try (PreparedStatement release = connection.prepareStatement(RELEASE)) {
                release.setString(1, agent.value());
                release.setLong(2, nowMillis);
                return release.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<Lease> leases(Instant now) {
        long nowMillis = now.toEpochMilli();
        return database.autoCommit(connection -> {
            try (PreparedStatement select = connection.prepareStatement(LIVE_LEASES)) {
                select.setLong(1, nowMillis);
                return leases(select);
            }
        });
    }

    @Override
    public int inUse(Instant now) {
        long nowMillis = now.toEpochMilli();
        return database.autoCommit(connection -> Math.toIntExact(liveCount(connection, nowMillis)));
    }

    @Override
    public List<Lease> reap(Instant now) {
        long nowMillis = now.toEpochMilli();
        List<Lease> reaped = database.autoCommit(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(REAP)) {
                delete.setLong(1, nowMillis);
                return leases(delete);
            }
        });
        reaped.sort(Comparator.comparingLong(Lease::claimSequence));
        return reaped;
    }

    @Override
    public long denials() {
        return database.autoCommit(connection -> {
            try (PreparedStatement select = connection.prepareStatement(DENIALS);
                    ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    @Override
    public List<Denial> recentDenials(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit is negative: " + limit);
        }
        return database.autoCommit(connection -> {
            List<Denial> denials = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(RECENT_DENIALS)) {
                select.setInt(1, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        denials.add(new Denial(
                                new AgentId(rows.getString(1)),
                                Instant.ofEpochMilli(rows.getLong(2)),
                                rows.getInt(3),
                                rows.getInt(4)));
                    }
                }
            }
            return denials;
        });
    }

    private static long liveCount(Connection connection, long nowMillis) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(LIVE_COUNT)) {
            count.setLong(1, nowMillis);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static List<Lease> leases(PreparedStatement select) throws SQLException {
        List<Lease> leases = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                leases.add(lease(
                        new AgentId(rows.getString(1)),
                        rows.getString(2),
                        rows.getString(3),
                        rows.getLong(4),
                        rows.getLong(5),
                        rows.getLong(6),
                        rows.getLong(7)));
            }
        }
        return leases;
    }

    private static Lease lease(AgentId agent, ResultSet row) throws SQLException {
        return lease(
                agent,
                row.getString(2),
                row.getString(3),
                row.getLong(4),
                row.getLong(5),
                row.getLong(6),
                row.getLong(7));
    }

    private static Lease lease(
            AgentId agent, String node, String station, long claimedAt, long renewedAt, long expiresAt, long claimSeq) {
        return new Lease(
                agent,
                node,
                station,
                Instant.ofEpochMilli(claimedAt),
                Instant.ofEpochMilli(renewedAt),
                Instant.ofEpochMilli(expiresAt),
                claimSeq);
    }

    static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
