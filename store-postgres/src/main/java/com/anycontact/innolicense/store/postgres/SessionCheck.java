package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Refuses a database reached through a connection pooler that shares PostgreSQL sessions between its client
 * connections (PgBouncer with {@code pool_mode = transaction} or {@code statement}, or any pooler that multiplexes
 * the same way), before anything is written to it.
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
final class SessionCheck {

    /** How many times the check is made before the sessions count as the connections' own. */
    static final int ROUNDS = 4;

    /** duplicate_prepared_statement, invalid_sql_statement_name. */
    private static final java.util.Set<String> PREPARED_STATEMENTS_MIXED_UP = java.util.Set.of("42P05", "26000");

    private static final String NAME = "innolicense-session-check";

    /** How long connecting, and each answer, may take. */
    private static final long TIMEOUT_SECONDS = 5;

    private SessionCheck() {}

    /**
     * Throws unless every connection to the database has a session of its own. A connection that cannot be made
     * is not this check's to report: it returns, and opening the database reports it as it does without a pooler.
     *
     * @throws StoreException naming the pooler's sharing and what to do about it
     */
    static void requireSessionsOfTheirOwn(PostgresUrl url) {
        try (Connection first = PostgresDatabase.connect(url, NAME, TIMEOUT_SECONDS, TIMEOUT_SECONDS);
                Connection second = PostgresDatabase.connect(url, NAME, TIMEOUT_SECONDS, TIMEOUT_SECONDS)) {
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
