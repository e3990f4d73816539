package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.access.InMemorySessionStore;
import com.anycontact.innolicense.access.Principal;
import com.anycontact.innolicense.access.Role;
import com.anycontact.innolicense.access.SessionStore;
import com.anycontact.innolicense.access.StoredSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Browser sessions in the cluster database (table {@code browser_session}, migration V10), shared by every node:
 * a session made on one node is found by all, and deleting it on one ends it on all. A session is kept by the
 * digest of its ID, never the ID. A use is one guarded {@code UPDATE} that only moves the deadlines on and never
 * touches an ended session, so two nodes recording uses at once keep the later, and no use revives a session that
 * another node ended.
 *
 * <p>The bound is kept at each login: the ended sessions and then the least recently used are deleted until the
 * new one fits. Logins on several nodes at the same moment may each find room for theirs, leaving the table a few
 * rows over the bound until the next login.
 */
public final class PostgresSessionStore implements SessionStore {

    private static final String COLUMNS =
            "digest, principal_kind, principal_id, principal_name, role, remote_address, created_at, last_seen_at,"
                    + " expires_at";

    private static final String INSERT =
            "INSERT INTO browser_session (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String COUNT = "SELECT count(*) FROM browser_session";

    private static final String DELETE_LEAST_RECENTLY_USED = """
            DELETE FROM browser_session WHERE digest IN (
                SELECT digest FROM browser_session ORDER BY last_seen_at, seq LIMIT ?)
            RETURNING digest""";

    private static final String FIND = "SELECT " + COLUMNS + " FROM browser_session WHERE digest = ?";

    private static final String TOUCH = """
            UPDATE browser_session
            SET last_seen_at = GREATEST(last_seen_at, ?), expires_at = GREATEST(expires_at, ?)
            WHERE digest = ? AND expires_at > ?""";

    private static final String DELETE = "DELETE FROM browser_session WHERE digest = ?";

    private static final String DELETE_ALL = """
            DELETE FROM browser_session
            WHERE principal_kind = ? AND lower(principal_id COLLATE "C") = lower(?::text COLLATE "C")
            RETURNING digest""";

    private static final String DELETE_ENDED = "DELETE FROM browser_session WHERE expires_at <= ? RETURNING digest";

    private final PostgresDatabase database;
    private final int maxSessions;

    /** A store of at most {@link InMemorySessionStore#DEFAULT_MAX_SESSIONS} sessions in the given database. */
    public PostgresSessionStore(PostgresDatabase database) {
        this(database, InMemorySessionStore.DEFAULT_MAX_SESSIONS);
    }

    /**
     * A store in the given database, which the caller opens and closes.
     *
     * @param maxSessions how many sessions are kept at most, positive
     */
    public PostgresSessionStore(PostgresDatabase database, int maxSessions) {
        this.database = Objects.requireNonNull(database, "database");
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be positive, got " + maxSessions);
        }
        this.maxSessions = maxSessions;
    }

    @Override
    public List<String> create(StoredSession session, Instant now) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(now, "now");
        return database.transaction(connection -> {
            List<String> dropped = new ArrayList<>();
            long kept = count(connection);
            if (kept >= maxSessions) {
                dropped.addAll(deleteEnded(connection, now));
                kept -= dropped.size();
            }
            if (kept >= maxSessions) {
                try (PreparedStatement delete = connection.prepareStatement(DELETE_LEAST_RECENTLY_USED)) {
                    delete.setLong(1, kept - maxSessions + 1);
                    dropped.addAll(digests(delete));
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                Principal principal = session.principal();
                insert.setString(1, session.digest());
                insert.setString(2, principal.kind().name());
                insert.setString(3, principal.id());
                insert.setString(4, principal.name());
                insert.setString(5, principal.role().name());
                insert.setString(6, session.remoteAddress());
                insert.setLong(7, session.createdAt().toEpochMilli());
                insert.setLong(8, session.lastSeenAt().toEpochMilli());
                insert.setLong(9, session.expiresAt().toEpochMilli());
                insert.executeUpdate();
            }
            return dropped;
        });
    }

    @Override
    public Optional<StoredSession> find(String digest) {
        Objects.requireNonNull(digest, "digest");
        return database.autoCommit(connection -> {
            try (PreparedStatement find = connection.prepareStatement(FIND)) {
                find.setString(1, digest);
                try (ResultSet row = find.executeQuery()) {
                    return row.next() ? Optional.of(session(row)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean touch(String digest, Instant lastSeenAt, Instant expiresAt, Instant now) {
        Objects.requireNonNull(digest, "digest");
        return database.autoCommit(connection -> {
            try (PreparedStatement touch = connection.prepareStatement(TOUCH)) {
                touch.setLong(1, lastSeenAt.toEpochMilli());
                touch.setLong(2, expiresAt.toEpochMilli());
                touch.setString(3, digest);
                touch.setLong(4, now.toEpochMilli());
                return touch.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean delete(String digest) {
        Objects.requireNonNull(digest, "digest");
        return database.autoCommit(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
                delete.setString(1, digest);
                return delete.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<String> deleteAll(Principal.Kind kind, String principalId) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(principalId, "principalId");
        return database.autoCommit(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(DELETE_ALL)) {
                delete.setString(1, kind.name());
                delete.setString(2, principalId);
                return digests(delete);
            }
        });
    }

    @Override
    public List<String> deleteEnded(Instant now) {
        Objects.requireNonNull(now, "now");
        return database.autoCommit(connection -> deleteEnded(connection, now));
    }

    @Override
    public int size() {
        return database.autoCommit(connection -> (int) count(connection));
    }

    private static List<String> deleteEnded(Connection connection, Instant now) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(DELETE_ENDED)) {
            delete.setLong(1, now.toEpochMilli());
            return digests(delete);
        }
    }

    private static long count(Connection connection) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(COUNT);
                ResultSet row = count.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static List<String> digests(PreparedStatement returning) throws SQLException {
        List<String> digests = new ArrayList<>();
        try (ResultSet rows = returning.executeQuery()) {
            while (rows.next()) {
                digests.add(rows.getString(1));
            }
        }
        return digests;
    }

    private static StoredSession session(ResultSet row) throws SQLException {
        return new StoredSession(
                row.getString(1),
                new Principal(
                        row.getString(4),
                        Role.valueOf(row.getString(5)),
                        Principal.Kind.valueOf(row.getString(2)),
                        row.getString(3)),
                row.getString(6),
                Instant.ofEpochMilli(row.getLong(7)),
                Instant.ofEpochMilli(row.getLong(8)),
                Instant.ofEpochMilli(row.getLong(9)));
    }
}
