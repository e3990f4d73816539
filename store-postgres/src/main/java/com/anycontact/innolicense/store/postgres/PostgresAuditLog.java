package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.audit.AuditQuery;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The audit log in the cluster database, table {@code audit_event}, shared by every node. Append-only: this
 * class only inserts and selects, and triggers in the schema refuse UPDATE, DELETE and TRUNCATE. Each event is
 * one insert, durable when {@link #record} returns; PostgreSQL takes inserts from many connections at once, so
 * there is no group commit as in the SQLite log.
 *
 * <p>Order: IDs come from an identity column, never reused, and grow with every insert; they order the log.
 * With several nodes an event may commit a moment after one with a larger ID, so a reader can see an ID appear
 * below the newest it has already seen. Paging backwards from the newest ({@code beforeId}) still lists every
 * event committed before the first page was read.
 */
public final class PostgresAuditLog implements AuditLog {

    private static final String RECORD = "INSERT INTO audit_event (at, actor, type, detail) VALUES (?, ?, ?, ?)";

    private final PostgresDatabase database;

    /** A log in the given database, which the caller opens and closes. */
    public PostgresAuditLog(PostgresDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public void record(Instant at, String actor, AuditEvent.Type type, String detail) {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(detail, "detail");
        if (actor.isBlank()) {
            throw new IllegalArgumentException("actor must not be blank");
        }
        database.autoCommit(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(RECORD)) {
                insert.setLong(1, at.toEpochMilli());
                insert.setString(2, actor);
                insert.setString(3, type.name());
                insert.setString(4, detail);
                return insert.executeUpdate();
            }
        });
    }

    @Override
    public List<AuditEvent> find(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        StringBuilder select = new StringBuilder("SELECT id, at, actor, type, detail FROM audit_event WHERE TRUE");
        List<Object> parameters = new ArrayList<>();
        query.type().ifPresent(type -> {
            select.append(" AND type = ?");
            parameters.add(type.name());
        });
        query.actor().ifPresent(actor -> {
            select.append(" AND actor = ?");
            parameters.add(actor);
        });
        query.from().ifPresent(from -> {
            select.append(" AND at >= ?");
            parameters.add(PostgresDatabase.ceilingMillis(from));
        });
        query.to().ifPresent(to -> {
            select.append(" AND at < ?");
            parameters.add(PostgresDatabase.ceilingMillis(to));
        });
        query.beforeId().ifPresent(id -> {
            select.append(" AND id < ?");
            parameters.add(id);
        });
        select.append(" ORDER BY id DESC LIMIT ?");
        parameters.add(query.limit());
        return database.autoCommit(connection -> {
            List<AuditEvent> events = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(select.toString())) {
                for (int i = 0; i < parameters.size(); i++) {
                    statement.setObject(i + 1, parameters.get(i));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        events.add(new AuditEvent(
                                rows.getLong(1),
                                Instant.ofEpochMilli(rows.getLong(2)),
                                rows.getString(3),
                                AuditEvent.Type.valueOf(rows.getString(4)),
                                rows.getString(5)));
                    }
                }
            }
            return events;
        });
    }
}
