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
 *
 * <p>A session-level advisory lock is re-entrant: in the session that holds it, {@code pg_try_advisory_lock}
 * succeeds again. A pooler that hands one PostgreSQL session to several clients (PgBouncer in transaction mode)
 * would so make every node that lands on the holder's session a leader. {@link PostgresDatabase#open} refuses such
 * a pooler, but only when the node opens; in case the pooler is switched under running nodes, the lock also names
 * its holder in the session ({@code innolicense.leader}, set by the statement that takes it), and a node that gets
 * the lock in a session naming another node gives that hold back at once, does not lead, and says why in the log.
 */
public final class PostgresLeaderLock implements LeaderLock {

    /** The first half of the advisory lock's key, the same in every release: "il" and 1. */
    static final int LOCK_CLASS = 0x696c_0001;

    /** How long a query on the lock's connection may wait for the server before the lock counts as lost. */
    static final int SOCKET_TIMEOUT_SECONDS = 3;

    private static final System.Logger LOG = System.getLogger(PostgresLeaderLock.class.getName());

    /** How {@link #TRY} answers when the session is another node's: this, then the holder's node ID. */
    private static final String SHARED = "shared:";

    /**
     * Takes the lock and names this node its holder, in one statement (a pooler may run the next one in another
     * session): the node's ID when taken, null when another session holds it, and {@link #SHARED} followed by the
     * holder's ID when this session held it already for another node — the extra hold then given back (the unlock
     * sits in a WHEN only so that it runs; both of its branches answer the same).
     */
    private static final String TRY = """
            SELECT CASE WHEN pg_try_advisory_lock(?, hashtext(current_schema())) THEN
                CASE WHEN coalesce(current_setting('innolicense.leader', true), '') IN ('', ?)
                    THEN set_config('innolicense.leader', ?, false)
                WHEN pg_advisory_unlock(?, hashtext(current_schema()))
                    THEN '%1$s' || current_setting('innolicense.leader', true)
                ELSE '%1$s' || current_setting('innolicense.leader', true)
                END
            END""".formatted(SHARED);

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

    /** Opens the lock's own connection, named as given. */
    @FunctionalInterface
    interface Connector {
        Connection connect(String applicationName) throws SQLException;
    }

    private final Connector connector;
    private Connection connection;
    private boolean held;
    private String sharedWith;

    /** The lock in the given database, which the caller opens and closes. */
    public PostgresLeaderLock(PostgresDatabase database) {
        this(connector(database));
    }

    /** The lock on connections that {@code connector} makes: for tests that reach the database another way. */
    PostgresLeaderLock(Connector connector) {
        this.connector = Objects.requireNonNull(connector, "connector");
    }

    private static Connector connector(PostgresDatabase database) {
        Objects.requireNonNull(database, "database");
        return name -> database.dedicatedConnection(name, SOCKET_TIMEOUT_SECONDS, SOCKET_TIMEOUT_SECONDS);
    }

    @Override
    public boolean tryAcquire(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        if (held && stillHeld()) {
            return true;
        }
        try {
            if (connection == null || connection.isClosed()) {
                connection = connector.connect(APPLICATION_NAME + nodeId);
            }
            String answer;
            try (PreparedStatement statement = connection.prepareStatement(TRY)) {
                statement.setInt(1, LOCK_CLASS);
                statement.setString(2, nodeId);
                statement.setString(3, nodeId);
                statement.setInt(4, LOCK_CLASS);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    answer = row.getString(1);
                }
            }
            held = nodeId.equals(answer);
            if (answer != null && answer.startsWith(SHARED)) {
                reportShared(nodeId, answer.substring(SHARED.length()));
            } else {
                sharedWith = null;
            }
            return held;
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, "trying the leadership lock failed: " + e.getMessage());
            drop();
            return false;
        }
    }

    /** Says once, while it lasts, that the lock's session is another node's: the pooler shares sessions. */
    private void reportShared(String nodeId, String holder) {
        if (holder.equals(sharedWith)) {
            return;
        }
        sharedWith = holder;
        LOG.log(
                Level.ERROR,
                "node " + nodeId + " does not lead: the PostgreSQL session its leadership connection was given holds"
                        + " the leadership lock for node " + holder + ", so that connection shares sessions with"
                        + " other clients (a pooler in transaction or statement mode, e.g. PgBouncer's pool_mode ="
                        + " transaction), on which two nodes would both lead. Set pool_mode = session for the"
                        + " cluster database, or connect the nodes to PostgreSQL directly, and restart them");
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
