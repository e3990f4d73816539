package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.audit.AuditChain;
import com.anycontact.innolicense.audit.AuditChainReport;
import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.audit.AuditQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The audit log in the cluster database, table {@code audit_event}, shared by every node. Append-only: this
 * class only inserts and selects, and triggers in the schema refuse UPDATE, DELETE and TRUNCATE. Each event is
 * one transaction, durable when {@link #record} returns.
 *
 * <p>Hash chain ({@link AuditChain}): an append locks the chain head, the one row of {@code audit_chain} ({@code
 * SELECT ... FOR UPDATE}), gives the event the next ID after the head's, the head's hash as its previous hash and
 * its own hash, and moves the head, in one transaction. The row lock serializes appends from every node, so IDs
 * are handed out and committed in chain order and a reader never sees an ID appear below one it has seen. The
 * lock is held for one insert and one update; audit events are far rarer than seat calls.
 */
public final class PostgresAuditLog implements AuditLog {

    private static final String HEAD_LOCKED = "SELECT head_id, head_hash FROM audit_chain WHERE id = 1 FOR UPDATE";
    private static final String RECORD = """
            INSERT INTO audit_event (id, at, actor, type, detail, prev_hash, hash) OVERRIDING SYSTEM VALUE
            VALUES (?, ?, ?, ?, ?, ?, ?)""";
    private static final String MOVE_HEAD = "UPDATE audit_chain SET head_id = ?, head_hash = ? WHERE id = 1";
    private static final String HEAD = "SELECT head_id, head_hash FROM audit_chain WHERE id = 1";
    private static final String ANCHOR = "SELECT anchor_id, anchor_hash FROM audit_chain WHERE id = 1";
    private static final String CHAINED = """
            SELECT id, at, actor, type, detail, prev_hash, hash FROM audit_event WHERE id > ? ORDER BY id LIMIT ?""";

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
        database.transaction(connection -> {
            append(connection, at, actor, type, detail);
            return null;
        });
    }

    /**
     * Appends one event in the caller's transaction on {@code connection}: locks the chain head, inserts the event
     * chained to it and moves the head. For a store whose change and its audit entry commit together.
     */
    static void append(Connection connection, Instant at, String actor, AuditEvent.Type type, String detail)
            throws SQLException {
        AuditChain.Link head;
        try (PreparedStatement lock = connection.prepareStatement(HEAD_LOCKED);
                ResultSet row = lock.executeQuery()) {
            row.next();
            head = new AuditChain.Link(row.getLong(1), row.getString(2));
        }
        long id = head.id() + 1;
        long atMillis = at.toEpochMilli();
        String hash = AuditChain.hash(id, atMillis, actor, type.name(), detail, head.hash());
        try (PreparedStatement insert = connection.prepareStatement(RECORD)) {
            insert.setLong(1, id);
            insert.setLong(2, atMillis);
            insert.setString(3, actor);
            insert.setString(4, type.name());
            insert.setString(5, detail);
            insert.setString(6, head.hash());
            insert.setString(7, hash);
            insert.executeUpdate();
        }
        try (PreparedStatement move = connection.prepareStatement(MOVE_HEAD)) {
            move.setLong(1, id);
            move.setString(2, hash);
            move.executeUpdate();
        }
    }

    /** Checks the hash chain from the anchor to the head, page by page; see {@link AuditChain#verify}. */
    @Override
    public AuditChainReport verifyChain() {
        return AuditChain.verify(new AuditChain.Source() {
            @Override
            public AuditChain.Link anchor() {
                return link(ANCHOR);
            }

            @Override
            public AuditChain.Link head() {
                return link(HEAD);
            }

            @Override
            public List<AuditChain.Entry> after(long afterId, int limit) {
                return database.autoCommit(connection -> {
                    List<AuditChain.Entry> entries = new ArrayList<>();
                    try (PreparedStatement select = connection.prepareStatement(CHAINED)) {
                        select.setLong(1, afterId);
                        select.setInt(2, limit);
                        try (ResultSet rows = select.executeQuery()) {
                            while (rows.next()) {
                                entries.add(new AuditChain.Entry(
                                        rows.getLong(1),
                                        rows.getLong(2),
                                        rows.getString(3),
                                        rows.getString(4),
                                        rows.getString(5),
                                        rows.getString(6),
                                        rows.getString(7)));
                            }
                        }
                    }
                    return entries;
                });
            }
        });
    }

    private AuditChain.Link link(String query) {
        return database.autoCommit(connection -> {
            try (PreparedStatement select = connection.prepareStatement(query);
                    ResultSet row = select.executeQuery()) {
                row.next();
                return new AuditChain.Link(row.getLong(1), row.getString(2));
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
