package com.anycontact.innolicense.store.sqlite;

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
 * The audit log in the embedded SQLite database, table {@code audit_event}. Append-only: this class only
 * inserts and selects, and triggers in the schema refuse any UPDATE or DELETE. Events are ordered by their
 * ID, which SQLite assigns and never reuses. Instants are kept as epoch milliseconds: {@code at} loses
 * anything finer, and query bounds are compared so that {@code from} and {@code to} mean the same as for
 * the exact instants.
 */
public final class SqliteAuditLog implements AuditLog {

    private static final String RECORD = "INSERT INTO audit_event (at, actor, type, detail) VALUES (?, ?, ?, ?)";

    private final SqliteDatabase database;

    /** A log in the given database, which the caller opens and closes. */
    public SqliteAuditLog(SqliteDatabase database) {
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
        database.write(sql -> {
            PreparedStatement insert = sql.prepare(RECORD);
            insert.setLong(1, at.toEpochMilli());
            insert.setString(2, actor);
            insert.setString(3, type.name());
            insert.setString(4, detail);
            insert.executeUpdate();
            return null;
        });
    }

    @Override
    public List<AuditEvent> find(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        StringBuilder select = new StringBuilder("SELECT id, at, actor, type, detail FROM audit_event WHERE 1 = 1");
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
            parameters.add(SqliteDatabase.ceilingMillis(from));
        });
        query.to().ifPresent(to -> {
            select.append(" AND at < ?");
            parameters.add(SqliteDatabase.ceilingMillis(to));
        });
        query.beforeId().ifPresent(id -> {
            select.append(" AND id < ?");
            parameters.add(id);
        });
        select.append(" ORDER BY id DESC LIMIT ?");
        parameters.add(query.limit());
        return database.read(sql -> {
            PreparedStatement statement = sql.prepare(select.toString());
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            List<AuditEvent> events = new ArrayList<>();
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
            return events;
        });
    }
}
