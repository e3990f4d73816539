package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.Denial;
import com.anycontact.innolicense.seat.Lease;
import com.anycontact.innolicense.seat.SeatStore;
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
 * The seat store in the embedded SQLite database.
 *
 * <p>How the cap holds: every change runs in one SQLite write transaction on the database's single
 * writer connection ({@link SqliteDatabase#write}): writes are serialized by a lock in this
 * process and, because each transaction begins with {@code BEGIN IMMEDIATE}, by SQLite's own
 * write lock against any other connection or process. So between the moment a claim counts the
 * live leases and the moment it inserts its own, no other write can happen, and two claims can
 * never both see the last free seat. The insert is also guarded in its own statement: it inserts
 * only {@code WHERE} fewer than {@code capacity} leases are live, so the cap does not depend on the
 * count read before it.
 *
 * <p>Why one writer connection under a lock rather than {@code BEGIN IMMEDIATE} on pooled
 * connections: SQLite admits one writer at a time whatever is done, and connections that race for
 * its lock wait in a sleeping busy handler, which costs milliseconds under contention; a lock in
 * the JVM hands over in microseconds, and the writer keeps its statements compiled. Reads ({@link
 * #leases}, {@link #inUse}, {@link #denials}, {@link #recentDenials}) use pooled connections and
 * see the last committed state.
 *
 * <p>Speed: the number of lease rows is kept in {@code seat_counter} by triggers, so counting the
 * live leases reads only the expired ones (usually none, through the index on {@code expires_at})
 * instead of every lease. A renewal ranks its lease against the others only while more leases are
 * live than the capacity, and then reads at most {@code capacity} index entries.
 *
 * <p>Time: instants are stored as epoch milliseconds, so leases carry whole milliseconds. A
 * renewal given a {@code now} before the lease's claim (a clock set back) is dated at the claim.
 */
public final class SqliteSeatStore implements SeatStore {

    private static final String FIND = """
            SELECT node, station, claimed_at, renewed_at, expires_at, claim_seq FROM lease WHERE agent_id = ?""";

    private static final String COUNTERS = """
            SELECT leases - (SELECT count(*) FROM lease WHERE expires_at <= ?), last_claim_seq
            FROM seat_counter WHERE id = 1""";

    private static final String CLAIMED_BEFORE = """
            SELECT count(*) FROM (
              SELECT 1 FROM lease WHERE claim_seq < ? AND expires_at > ? ORDER BY claim_seq LIMIT ?)""";

    private static final String RENEW = """
            UPDATE lease SET renewed_at = ?, expires_at = ?, node = ?, station = ? WHERE agent_id = ?""";

    private static final String CLAIM = """
            INSERT INTO lease (agent_id, node, station, claimed_at, renewed_at, expires_at, claim_seq)
            SELECT ?, ?, ?, ?, ?, ?, ?
            WHERE (SELECT leases FROM seat_counter WHERE id = 1)
                  - (SELECT count(*) FROM lease WHERE expires_at <= ?) < ?
            ON CONFLICT (agent_id) DO UPDATE SET
              node = excluded.node, station = excluded.station, claimed_at = excluded.claimed_at,
              renewed_at = excluded.renewed_at, expires_at = excluded.expires_at, claim_seq = excluded.claim_seq
            WHERE lease.expires_at <= ?""";

    private static final String RECORD_DENIAL = """
            INSERT INTO denial (agent_id, denied_at, capacity, in_use) VALUES (?, ?, ?, ?)""";

    private static final String RELEASE = "DELETE FROM lease WHERE agent_id = ? AND expires_at > ?";

    private static final String RELEASE_REGARDLESS = "DELETE FROM lease WHERE agent_id = ?";

    private static final String LEASE_COLUMNS =
            "agent_id, node, station, claimed_at, renewed_at, expires_at, claim_seq";

    private static final String LIVE_LEASES =
            "SELECT " + LEASE_COLUMNS + " FROM lease WHERE expires_at > ? ORDER BY claim_seq";

    private static final String REAP = "DELETE FROM lease WHERE expires_at <= ? RETURNING " + LEASE_COLUMNS;

    private static final String IN_USE = """
            SELECT leases - (SELECT count(*) FROM lease WHERE expires_at <= ?) FROM seat_counter WHERE id = 1""";

    private static final String DENIALS = "SELECT denials FROM seat_counter WHERE id = 1";

    private static final String RECENT_DENIALS =
            "SELECT agent_id, denied_at, capacity, in_use FROM denial ORDER BY id DESC LIMIT ?";

    private final SqliteDatabase database;

    /** A store in the given database, which the caller opens and closes. */
    public SqliteSeatStore(SqliteDatabase database) {
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
        long expiresMillis = Math.addExact(nowMillis, ttlMillis);
        String agent = request.agent().value();
        return database.write(sql -> {
            Held held = find(sql, agent);
            long inUse;
            long lastClaimSeq;
            PreparedStatement counters = sql.prepare(COUNTERS);
            counters.setLong(1, nowMillis);
            try (ResultSet row = counters.executeQuery()) {
                row.next();
                inUse = row.getLong(1);
                lastClaimSeq = row.getLong(2);
            }
            if (held != null && held.expiresAt > nowMillis) {
                if (inUse > capacity && claimedBefore(sql, held.claimSeq, nowMillis, capacity) >= capacity) {
                    PreparedStatement release = sql.prepare(RELEASE_REGARDLESS);
                    release.setString(1, agent);
                    release.executeUpdate();
                    return new ClaimResult.CapacityReduced(capacity, Math.toIntExact(inUse - 1));
                }
                String node = request.node() != null ? request.node() : held.node;
                String station = request.station() != null ? request.station() : held.station;
                // a renewal never dates the lease back nor shortens it, whatever instant it was given
                long renewingAt = Math.max(nowMillis, held.claimedAt);
                long renewedMillis = Math.max(renewingAt, held.renewedAt);
                long renewedExpiry = Math.max(Math.addExact(renewingAt, ttlMillis), held.expiresAt);
                PreparedStatement renew = sql.prepare(RENEW);
                renew.setLong(1, renewedMillis);
                renew.setLong(2, renewedExpiry);
                setNullable(renew, 3, node);
                setNullable(renew, 4, station);
                renew.setString(5, agent);
                renew.executeUpdate();
                return new ClaimResult.Renewed(lease(
                        request.agent(), node, station, held.claimedAt, renewedMillis, renewedExpiry, held.claimSeq));
            }
            long claimSeq = lastClaimSeq + 1;
            PreparedStatement claim = sql.prepare(CLAIM);
            claim.setString(1, agent);
            setNullable(claim, 2, request.node());
            setNullable(claim, 3, request.station());
            claim.setLong(4, nowMillis);
            claim.setLong(5, nowMillis);
            claim.setLong(6, expiresMillis);
            claim.setLong(7, claimSeq);
            claim.setLong(8, nowMillis);
            claim.setInt(9, capacity);
            claim.setLong(10, nowMillis);
            if (claim.executeUpdate() == 1) {
                return new ClaimResult.Claimed(
                        lease(
                                request.agent(),
                                request.node(),
                                request.station(),
                                nowMillis,
                                nowMillis,
                                expiresMillis,
                                claimSeq),
                        Math.toIntExact(inUse + 1));
            }
            if (inUse < capacity) {
                throw new IllegalStateException(
                        "the guarded insert refused a claim with " + inUse + " of " + capacity + " seats in use");
            }
            PreparedStatement denial = sql.prepare(RECORD_DENIAL);
            denial.setString(1, agent);
            denial.setLong(2, nowMillis);
            denial.setInt(3, capacity);
            denial.setLong(4, inUse);
            denial.executeUpdate();
            return new ClaimResult.Denied(capacity, Math.toIntExact(inUse));
        });
    }

    @Override
    public boolean release(AgentId agent, Instant now) {
        Objects.requireNonNull(agent, "agent");
        long nowMillis = now.toEpochMilli();
        return database.write(sql -> {
            PreparedStatement release = sql.prepare(RELEASE);
            release.setString(1, agent.value());
            release.setLong(2, nowMillis);
            return release.executeUpdate() == 1;
        });
    }

    @Override
    public List<Lease> leases(Instant now) {
        long nowMillis = now.toEpochMilli();
        return database.read(sql -> {
            PreparedStatement select = sql.prepare(LIVE_LEASES);
            select.setLong(1, nowMillis);
            return leases(select);
        });
    }

    @Override
    public int inUse(Instant now) {
        long nowMillis = now.toEpochMilli();
        return database.read(sql -> {
            PreparedStatement select = sql.prepare(IN_USE);
            select.setLong(1, nowMillis);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return Math.toIntExact(row.getLong(1));
            }
        });
    }

    @Override
    public List<Lease> reap(Instant now) {
        long nowMillis = now.toEpochMilli();
        List<Lease> reaped = database.write(sql -> {
            PreparedStatement delete = sql.prepare(REAP);
            delete.setLong(1, nowMillis);
            return leases(delete);
        });
        reaped.sort(Comparator.comparingLong(Lease::claimSequence));
        return reaped;
    }

    @Override
    public long denials() {
        return database.read(sql -> {
            try (ResultSet row = sql.prepare(DENIALS).executeQuery()) {
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
        return database.read(sql -> {
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
        });
    }

    private static Held find(SqliteDatabase.Statements sql, String agent) throws SQLException {
        PreparedStatement find = sql.prepare(FIND);
        find.setString(1, agent);
        try (ResultSet row = find.executeQuery()) {
            if (!row.next()) {
                return null;
            }
            return new Held(
                    row.getString(1), row.getString(2), row.getLong(3), row.getLong(4), row.getLong(5), row.getLong(6));
        }
    }

    private static long claimedBefore(SqliteDatabase.Statements sql, long claimSeq, long nowMillis, int limit)
            throws SQLException {
        PreparedStatement count = sql.prepare(CLAIMED_BEFORE);
        count.setLong(1, claimSeq);
        count.setLong(2, nowMillis);
        count.setInt(3, limit);
        try (ResultSet row = count.executeQuery()) {
            row.next();
            return row.getLong(1);
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

    private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    private record Held(String node, String station, long claimedAt, long renewedAt, long expiresAt, long claimSeq) {}
}
