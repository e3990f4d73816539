package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.license.AuditedStatus;
import com.anycontact.innolicense.license.LicenseState;
import com.anycontact.innolicense.license.LifecycleAudit;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The status last audited, in the cluster database, table {@code lifecycle_audited} (migration V15): the leader
 * reads it every tick (one query while nothing changed); on a change it locks the row, compares again, appends the
 * entries to the audit log and moves the row in one transaction. Two nodes recording the same transition at once
 * record it once: the second finds the row already moved when it gets the lock.
 */
public final class PostgresLifecycleAudit implements LifecycleAudit {

    private static final String READ = "SELECT state, capacity, license FROM lifecycle_audited WHERE id = 1";
    private static final String BASELINE = """
            INSERT INTO lifecycle_audited (id, state, capacity, license) VALUES (1, ?, ?, ?)
            ON CONFLICT (id) DO NOTHING""";
    private static final String LOCK = READ + " FOR UPDATE";
    private static final String MOVE = "UPDATE lifecycle_audited SET state = ?, capacity = ?, license = ? WHERE id = 1";

    private final PostgresDatabase database;

    /** The status last audited in the given database, which the caller opens and closes. */
    public PostgresLifecycleAudit(PostgresDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public Optional<AuditedStatus> record(
            AuditedStatus baseline, AuditedStatus now, Instant at, Function<AuditedStatus, List<Entry>> entries) {
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(entries, "entries");
        Optional<AuditedStatus> saved = database.autoCommit(connection -> {
            try (PreparedStatement read = connection.prepareStatement(READ)) {
                return status(read);
            }
        });
        if (saved.isPresent() && saved.get().equals(now)) {
            return Optional.empty();
        }
        return database.transaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(BASELINE)) {
                set(insert, baseline);
                insert.executeUpdate();
            }
            AuditedStatus from;
            try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
                from = status(lock).orElseThrow();
            }
            if (from.equals(now)) {
                return Optional.empty();
            }
            for (Entry entry : entries.apply(from)) {
                PostgresAuditLog.append(connection, at, AuditEvent.SYSTEM, entry.type(), entry.detail());
            }
            try (PreparedStatement move = connection.prepareStatement(MOVE)) {
                set(move, now);
                move.executeUpdate();
            }
            return Optional.of(from);
        });
    }

    private static Optional<AuditedStatus> status(PreparedStatement select) throws SQLException {
        try (ResultSet row = select.executeQuery()) {
            return row.next()
                    ? Optional.of(
                            new AuditedStatus(LicenseState.valueOf(row.getString(1)), row.getInt(2), row.getString(3)))
                    : Optional.empty();
        }
    }

    private static void set(PreparedStatement statement, AuditedStatus status) throws SQLException {
        statement.setString(1, status.state().name());
        statement.setInt(2, status.capacity());
        statement.setString(3, status.license());
    }
}
