package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.cluster.LeaderLock;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

/**
 * The cluster's leadership lock: a PostgreSQL session-level advisory lock, held on a connection of its own (not
 * one of the pool's, which are shared and reused), so that it lasts exactly as long as that connection. When the
 * node dies, or its connection breaks, PostgreSQL ends the session and lets the lock go, and another node takes
 * it at its next try.
 *
 * <p>The lock's key is two integers: {@link #LOCK_CLASS} and the hash of the connection's schema ({@code
 * hashtext(current_schema())}), so that installations kept in different schemas of one database each have a
 * leader. Advisory locks are database-wide: their keys are not in any schema.
 *
 * <p>{@link #stillHeld()} asks the lock's own session whether it holds the lock ({@code pg_locks}, its backend
 * process); any failure to answer within {@link #SOCKET_TIMEOUT_SECONDS} counts as not held, and the connection
 * is dropped.
 *
 * <p>A holder that is stopped (SIGSTOP, a frozen virtual machine) or cut off without its connection closing keeps
 * its session, and so the lock, for as long as the database's TCP keepalive takes to notice, if ever. So the lock's
 * connection is named after its node ({@code application_name} {@code innolicense-leader <node ID>}), and a node
 * that fails to take the lock ends the holder's session ({@code pg_terminate_backend}, waiting up to a second for
 * it to end) when the holder's node is missing from {@code cluster_node} — no heartbeat within the bound, by the
 * database's clock — or, for a node that has no row yet, when the session is older than the bound. Ending a
 * session of the same database user needs no privilege beyond being that user. Used from one thread.
 */
public final class PostgresLeaderLock implements LeaderLock {

    /** The first half of the advisory lock's key, the same in every release: "il" and 1. */
    static final int LOCK_CLASS = 0x696c_0001;

    /** How long a query on the lock's connection may wait for the server before the lock counts as lost. */
    static final int SOCKET_TIMEOUT_SECONDS = 3;

    private static final System.Logger LOG = System.getLogger(PostgresLeaderLock.class.getName());

    private static final String TRY = "SELECT pg_try_advisory_lock(?, hashtext(current_schema()))";
    private static final String HELD = """
            SELECT count(*) FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()
              AND classid = ?::integer::oid AND objid = hashtext(current_schema())::oid AND objsubid = 2""";
    private static final String END_MISSING_HOLDER = """
            SELECT pg_terminate_backend(activity.pid, 1000)
            FROM pg_locks lock
            JOIN pg_stat_activity activity ON activity.pid = lock.pid
            LEFT JOIN cluster_node node ON activity.application_name = ? || node.node_id
            WHERE lock.locktype = 'advisory' AND lock.granted
              AND lock.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND lock.classid = ?::integer::oid AND lock.objid = hashtext(current_schema())::oid
              AND lock.objsubid = 2 AND activity.pid <> pg_backend_pid()
              AND coalesce(node.last_seen, (extract(epoch FROM activity.backend_start) * 1000)::bigint)
                  < %s - ?""".formatted(PostgresNodeRegistry.NOW_MILLIS);
    private static final String APPLICATION_NAME = "innolicense-leader ";
    private static final String UNLOCK = "SELECT pg_advisory_unlock(?, hashtext(current_schema()))";

    private final PostgresDatabase database;
    private Connection connection;
    private boolean held;

    /** The lock in the given database, which the caller opens and closes. */
    public PostgresLeaderLock(PostgresDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    @Override
    public boolean tryAcquire(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        if (held && stillHeld()) {
            return true;
        }
        try {
            if (connection == null || connection.isClosed()) {
                connection = database.dedicatedConnection(
                        APPLICATION_NAME + nodeId, SOCKET_TIMEOUT_SECONDS, SOCKET_TIMEOUT_SECONDS);
            }
            try (PreparedStatement statement = connection.prepareStatement(TRY)) {
                statement.setInt(1, LOCK_CLASS);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    held = row.getBoolean(1);
                }
            }
            return held;
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, "trying the leadership lock failed: " + e.getMessage());
            drop();
            return false;
        }
    }

    @Override
    public boolean endMissingHolder(Duration missingAfter) {
        Objects.requireNonNull(missingAfter, "missingAfter");
        if (connection == null) {
            return false;
        }
        try (PreparedStatement statement = connection.prepareStatement(END_MISSING_HOLDER)) {
            statement.setString(1, APPLICATION_NAME);
            statement.setInt(2, LOCK_CLASS);
            statement.setLong(3, missingAfter.toMillis());
            boolean ended = false;
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ended |= rows.getBoolean(1);
                }
            }
            return ended;
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, "looking for a missing leader failed: " + e.getMessage());
            drop();
            return false;
        }
    }

    @Override
    public boolean stillHeld() {
        if (!held || connection == null) {
            return false;
        }
        try (PreparedStatement statement = connection.prepareStatement(HELD)) {
            statement.setInt(1, LOCK_CLASS);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                held = row.getLong(1) > 0;
            }
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "the connection holding the leadership lock failed: " + e.getMessage());
            drop();
        }
        return held;
    }

    @Override
    public void release() {
        if (!held || connection == null) {
            return;
        }
        held = false;
        try (PreparedStatement statement = connection.prepareStatement(UNLOCK)) {
            statement.setInt(1, LOCK_CLASS);
            statement.executeQuery().close();
        } catch (SQLException e) {
            drop();
        }
    }

    @Override
    public void close() {
        release();
        drop();
    }

    /** Closes the connection, which lets the lock go if the server still has the session. */
    private void drop() {
        held = false;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.log(Level.DEBUG, "closing the leadership connection failed: " + e.getMessage());
            }
            connection = null;
        }
    }
}
