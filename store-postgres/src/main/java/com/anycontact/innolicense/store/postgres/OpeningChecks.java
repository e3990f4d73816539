package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a node checks of the cluster database when it opens it, before it migrates or writes anything: that the
 * server is a primary, not a standby in recovery, and that the connections have sessions of their own, not ones a
 * pooler shares between its clients (PgBouncer with {@code pool_mode = transaction} or {@code statement}, or any
 * pooler that multiplexes the same way). Each failure is a {@link StoreException} that says what to change.
 *
 * <p>A standby refuses every write; a node started on one would serve nothing, yet take a leadership lock of that
 * server's own beside the primary's leader. The URL should name the primary, or every host with {@code
 * targetServerType=primary} so that the driver finds whichever accepts writes.
 *
 * <p>A node keeps state in its sessions that such a pooler hands to other clients between transactions: the
 * leadership lock is a session-level advisory lock, the cluster bus listens with {@code LISTEN}, and the JDBC
 * driver prepares statements on the server. Through PgBouncer in transaction mode two nodes were both found
 * leading (each one's {@code pg_try_advisory_lock} ran in the session that held the lock, where it succeeds
 * again), and calls failed with "prepared statement S_1 does not exist". A pooler in session mode gives each
 * client connection a session of its own for as long as it lasts, which is all a node needs.
 *
 * <p>The check, on two connections of its own: A asks for its backend's process ID; B begins a transaction and
 * asks for its own, keeping the transaction open; A asks again. Where every connection has a session of its own
 * (PostgreSQL itself, or a pooler in session mode), B's process is never A's and A's never changes. A
 * transaction pooler gives B the server connection A just left (PgBouncer reuses the one freed last), or, when it
 * gives B another, must give A a server connection other than the one B now holds — unless B's happened to be
 * neither, so the check is made a few times. A pooler in statement mode refuses B's transaction outright. It
 * never refuses a direct connection: a false refusal is impossible; a transaction pooler that escapes it every
 * time is unlikely (each round it would have to hand A its old server connection back while B holds another).
 */
final class OpeningChecks {

    /** How many times the check is made before the sessions count as the connections' own. */
    static final int ROUNDS = 4;

    /** duplicate_prepared_statement, invalid_sql_statement_name. */
    private static final java.util.Set<String> PREPARED_STATEMENTS_MIXED_UP = java.util.Set.of("42P05", "26000");

    private static final String NAME = "innolicense-opening-check";

    /** How long connecting, and each answer, may take. */
    private static final long TIMEOUT_SECONDS = 5;

    private OpeningChecks() {}

    /**
     * Throws unless the database is a primary and every connection to it has a session of its own. A connection
     * that cannot be made is not these checks' to report: they return, and opening the database reports it as it
     * does otherwise.
     *
     * @throws StoreException naming what is wrong and what to do about it
     */
    static void require(PostgresUrl url) {
        try (Connection first = PostgresDatabase.connect(url, NAME, TIMEOUT_SECONDS, TIMEOUT_SECONDS);
                Connection second = PostgresDatabase.connect(url, NAME, TIMEOUT_SECONDS, TIMEOUT_SECONDS)) {
            if (inRecovery(first)) {
                throw new StoreException(
                        "the database " + url + " is a standby (in recovery), which refuses every"
                                + " write; nothing was written to it. Point the nodes at the primary, or list every server"
                                + " of the database with targetServerType=primary"
                                + " (postgresql://db1:5432,db2:5432/innolicense?targetServerType=primary) so that a node"
                                + " connects to whichever accepts writes",
                        null);
            }
            for (int round = 0; round < ROUNDS; round++) {
                if (sessionsShared(url, first, second)) {
                    throw shared(url, "two connections were served by the same PostgreSQL session");
                }
            }
        } catch (SQLException e) {
            // The driver names its prepared statements per connection; only a shared session loses or repeats them.
            if (SqlStates.find(e, PREPARED_STATEMENTS_MIXED_UP::contains).isPresent()) {
                throw shared(
                        url,
                        "the driver's prepared statements were lost or found twice in one connection's" + " session: "
                                + DatabaseCircuit.rootMessage(e));
            }
            // Not reachable, or failing: opening the database says so, in its own words.
        }
    }

    private static boolean inRecovery(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT pg_is_in_recovery()")) {
            row.next();
            return row.getBoolean(1);
        }
    }

    private static boolean sessionsShared(PostgresUrl url, Connection first, Connection second) throws SQLException {
        int before = backend(first);
        second.setAutoCommit(false);
        int held;
        try {
            held = backend(second);
        } catch (SQLException e) {
            if (second.isValid((int) TIMEOUT_SECONDS) || !first.isValid((int) TIMEOUT_SECONDS)) {
                throw e; // an ordinary failure, or the database gone: not a pooler's refusal
            }
            // The first connection still works and the second was dropped for its transaction: statement mode.
            throw shared(url, "it closed a connection that began a transaction: " + DatabaseCircuit.rootMessage(e));
        }
        if (held == before || backend(first) != before) {
            return true; // the second's transaction ends with its connection
        }
        second.rollback();
        second.setAutoCommit(true);
        return false;
    }

    private static int backend(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        }
    }

    private static StoreException shared(PostgresUrl url, String evidence) {
        return new StoreException(
                "the database " + url + " is reached through a connection pooler that shares"
                        + " PostgreSQL sessions between connections (" + evidence
                        + "), such as PgBouncer with pool_mode ="
                        + " transaction or statement: a node keeps its leadership lock, its LISTEN for the cluster bus and"
                        + " its prepared statements in its sessions, and through such a pooler two nodes could both lead;"
                        + " nothing was written to the database. Connect the nodes to PostgreSQL directly, or through"
                        + " PgBouncer with pool_mode = session (docs/cluster.md, \"Connection poolers\")",
                null);
    }
}
