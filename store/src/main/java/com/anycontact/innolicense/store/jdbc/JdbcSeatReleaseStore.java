package com.anycontact.innolicense.store.jdbc;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.SeatRelease;
import com.anycontact.innolicense.seat.SeatReleaseStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Force-releases in table {@code seat_release}, whose columns and SQL are the same in the embedded SQLite
 * database (migration V15) and the cluster's PostgreSQL (migration V5): each database's adapter only says how
 * its statements are run ({@link StatementRunner}).
 */
public abstract class JdbcSeatReleaseStore implements SeatReleaseStore {

    private static final String SAVE = """
            INSERT INTO seat_release (agent_id, released_at, released_by, reason, notice_until, blocked_until)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (agent_id) DO UPDATE SET released_at = excluded.released_at,
                released_by = excluded.released_by, reason = excluded.reason,
                notice_until = excluded.notice_until, blocked_until = excluded.blocked_until""";
    private static final String IN_FORCE = """
            SELECT agent_id, released_at, released_by, reason, notice_until, blocked_until FROM seat_release
            WHERE notice_until > ? OR blocked_until > ? ORDER BY released_at, agent_id""";
    private static final String NOTICE_GIVEN =
            "UPDATE seat_release SET notice_until = NULL WHERE agent_id = ? AND released_at = ?";
    private static final String UNBLOCK =
            "UPDATE seat_release SET blocked_until = NULL WHERE agent_id = ? AND blocked_until > ?";
    private static final String PRUNE = """
            DELETE FROM seat_release WHERE (notice_until IS NULL OR notice_until <= ?)
                AND (blocked_until IS NULL OR blocked_until <= ?)""";

    private final StatementRunner statements;

    /** A store whose statements run as {@code statements} runs them. */
    protected JdbcSeatReleaseStore(StatementRunner statements) {
        this.statements = Objects.requireNonNull(statements, "statements");
    }

    @Override
    public void save(SeatRelease release) {
        Objects.requireNonNull(release, "release");
        statements.write(SAVE, save -> {
            save.setString(1, release.agent().value());
            save.setLong(2, release.releasedAt().toEpochMilli());
            save.setString(3, release.releasedBy());
            save.setString(4, release.reason());
            save.setObject(5, release.noticeUntil().map(Instants::ceilingMillis).orElse(null));
            save.setObject(
                    6, release.blockedUntil().map(Instants::ceilingMillis).orElse(null));
            return save.executeUpdate();
        });
    }

    @Override
    public List<SeatRelease> inForce(Instant now) {
        long millis = now.toEpochMilli();
        return statements.read(IN_FORCE, select -> {
            select.setLong(1, millis);
            select.setLong(2, millis);
            try (ResultSet rows = select.executeQuery()) {
                return releases(rows);
            }
        });
    }

    @Override
    public void noticeGiven(AgentId agent, Instant releasedAt) {
        statements.write(NOTICE_GIVEN, update -> {
            update.setString(1, agent.value());
            update.setLong(2, releasedAt.toEpochMilli());
            return update.executeUpdate();
        });
    }

    @Override
    public boolean unblock(AgentId agent, Instant now) {
        return statements.write(UNBLOCK, update -> {
            update.setString(1, agent.value());
            update.setLong(2, now.toEpochMilli());
            return update.executeUpdate() > 0;
        });
    }

    @Override
    public int prune(Instant now) {
        return statements.write(PRUNE, delete -> {
            delete.setLong(1, now.toEpochMilli());
            delete.setLong(2, now.toEpochMilli());
            return delete.executeUpdate();
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
