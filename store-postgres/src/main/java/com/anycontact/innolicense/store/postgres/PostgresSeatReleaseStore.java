package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.SeatRelease;
import com.anycontact.innolicense.seat.SeatReleaseStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Force-releases in the cluster database, table {@code seat_release} (migration V5), read by every node. */
public final class PostgresSeatReleaseStore implements SeatReleaseStore {

    static final String SAVE = """
            INSERT INTO seat_release (agent_id, released_at, released_by, reason, notice_until, blocked_until)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (agent_id) DO UPDATE SET released_at = excluded.released_at,
                released_by = excluded.released_by, reason = excluded.reason,
                notice_until = excluded.notice_until, blocked_until = excluded.blocked_until""";
    static final String IN_FORCE = """
            SELECT agent_id, released_at, released_by, reason, notice_until, blocked_until FROM seat_release
            WHERE notice_until > ? OR blocked_until > ? ORDER BY released_at, agent_id""";
    static final String NOTICE_GIVEN =
            "UPDATE seat_release SET notice_until = NULL WHERE agent_id = ? AND released_at = ?";
    static final String UNBLOCK =
            "UPDATE seat_release SET blocked_until = NULL WHERE agent_id = ? AND blocked_until > ?";
    static final String PRUNE = """
            DELETE FROM seat_release WHERE (notice_until IS NULL OR notice_until <= ?)
                AND (blocked_until IS NULL OR blocked_until <= ?)""";

    private final PostgresDatabase database;

    /** The store in the given database, which the caller opens and closes. */
    public PostgresSeatReleaseStore(PostgresDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public void save(SeatRelease release) {
        Objects.requireNonNull(release, "release");
        database.autoCommit(sql -> {
            try (PreparedStatement save = sql.prepareStatement(SAVE)) {
                save.setString(1, release.agent().value());
                save.setLong(2, release.releasedAt().toEpochMilli());
                save.setString(3, release.releasedBy());
                save.setString(4, release.reason());
                save.setObject(
                        5,
                        release.noticeUntil()
                                .map(PostgresDatabase::ceilingMillis)
                                .orElse(null));
                save.setObject(
                        6,
                        release.blockedUntil()
                                .map(PostgresDatabase::ceilingMillis)
                                .orElse(null));
                return save.executeUpdate();
            }
        });
    }

    @Override
    public List<SeatRelease> inForce(Instant now) {
        long millis = now.toEpochMilli();
        return database.autoCommit(sql -> {
            try (PreparedStatement select = sql.prepareStatement(IN_FORCE)) {
                select.setLong(1, millis);
                select.setLong(2, millis);
                try (ResultSet rows = select.executeQuery()) {
                    return releases(rows);
                }
            }
        });
    }

    @Override
    public void noticeGiven(AgentId agent, Instant releasedAt) {
        database.autoCommit(sql -> {
            try (PreparedStatement update = sql.prepareStatement(NOTICE_GIVEN)) {
                update.setString(1, agent.value());
                update.setLong(2, releasedAt.toEpochMilli());
                return update.executeUpdate();
            }
        });
    }

    @Override
    public boolean unblock(AgentId agent, Instant now) {
        return database.autoCommit(sql -> {
            try (PreparedStatement update = sql.prepareStatement(UNBLOCK)) {
                update.setString(1, agent.value());
                update.setLong(2, now.toEpochMilli());
                return update.executeUpdate() > 0;
            }
        });
    }

    @Override
    public int prune(Instant now) {
        return database.autoCommit(sql -> {
            try (PreparedStatement delete = sql.prepareStatement(PRUNE)) {
                delete.setLong(1, now.toEpochMilli());
                delete.setLong(2, now.toEpochMilli());
                return delete.executeUpdate();
            }
        });
    }

    /** The releases in the rows, in the column order of {@link #IN_FORCE}. */
    private static List<SeatRelease> releases(ResultSet rows) throws SQLException {
        List<SeatRelease> releases = new ArrayList<>();
        while (rows.next()) {
            releases.add(new SeatRelease(
                    new AgentId(rows.getString(1)),
                    Instant.ofEpochMilli(rows.getLong(2)),
                    rows.getString(3),
                    rows.getString(4),
                    instant(rows, 5),
                    instant(rows, 6)));
        }
        return releases;
    }

    private static Optional<Instant> instant(ResultSet rows, int column) throws SQLException {
        long millis = rows.getLong(column);
        return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }
}
