package com.anycontact.innolicense.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh, empty schema in the test PostgreSQL server named by {@value #VARIABLE}, for one test: {@link
 * #create()} makes it, {@link #open()} opens (and migrates) it as a node would, {@link #close()} closes every
 * database opened and drops the schema.
 *
 * <p>Where the variable is unset the calling test is skipped, loudly: a JUnit assumption whose message says how
 * to run it, and one line on standard error per test class. {@code .ci/run} starts a throwaway PostgreSQL and sets
 * the variable, so CI never skips them.
 */
final class PostgresSchema implements AutoCloseable {

    /** The environment variable with the JDBC URL of the test server's database. */
    static final String VARIABLE = "INNOLICENSE_TEST_POSTGRES_URL";

    static final String HOW_TO_RUN = VARIABLE + " is not set: the PostgreSQL store tests are SKIPPED. Run them with"
            + " eval \"$(scripts/start-postgres)\" before ./mvnw (and scripts/start-postgres stop afterwards), or"
            + " with .ci/run, which does both";

    private static final Set<String> WARNED = new HashSet<>();

    private final String baseUrl;
    private final String name = "test_" + UUID.randomUUID().toString().replace("-", "");
    private final List<PostgresDatabase> opened = new ArrayList<>();
    private boolean created;

    private PostgresSchema(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * Creates a fresh schema, or skips the calling test when no test server is configured.
     *
     * @param testClass the test, named in the line on standard error
     */
    static PostgresSchema create(Class<?> testClass) {
        String url = System.getenv(VARIABLE);
        if (url == null || url.isBlank()) {
            synchronized (WARNED) {
                if (WARNED.add(testClass.getName())) {
                    System.err.println("SKIPPED " + testClass.getSimpleName() + ": " + HOW_TO_RUN);
                }
            }
            Assumptions.abort(HOW_TO_RUN);
        }
        PostgresSchema schema = new PostgresSchema(url.strip());
        try {
            schema.execute("CREATE SCHEMA " + schema.name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test schema with " + VARIABLE + "=" + url, e);
        }
        schema.created = true;
        return schema;
    }

    /**
     * Waits (at most 30 s) until a backend runs a statement containing {@code queryFragment} and waits for a lock:
     * for tests that arrange an interleaving of two transactions.
     */
    void awaitLockWait(String queryFragment) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection observer = connect();
                PreparedStatement waiting = observer.prepareStatement(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?")) {
            waiting.setString(1, "%" + queryFragment + "%");
            while (System.nanoTime() < deadline) {
                try (ResultSet row = waiting.executeQuery()) {
                    row.next();
                    if (row.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(5);
            }
        }
        throw new AssertionError("no statement with " + queryFragment + " waited for a lock within 30 s");
    }

    /** The URL of the schema, as an operator would give it. */
    PostgresUrl url() {
        String separator = baseUrl.contains("?") ? "&" : "?";
        return PostgresUrl.parse(baseUrl + separator + "currentSchema=" + name, Optional.empty());
    }

    /** Opens the schema as a node does, migrating it on the first open; closed by {@link #close()}. */
    PostgresDatabase open() {
        PostgresDatabase database = PostgresDatabase.open(url(), 4);
        opened.add(database);
        return database;
    }

    /**
     * Opens the schema as a node does, with its pooled connections named {@code applicationName} in {@code
     * pg_stat_activity}, so that a test can find them (and end them, as a network fault would); closed by {@link
     * #close()}.
     */
    PostgresDatabase open(String applicationName) {
        return open(applicationName, null);
    }

    /**
     * Opens the schema as {@link #open(String)} does, with the server settings {@code options} for every
     * connection (the driver's {@code options}, e.g. {@code -c idle_session_timeout=300}), or none when null.
     */
    PostgresDatabase open(String applicationName, String options) {
        String separator = baseUrl.contains("?") ? "&" : "?";
        PostgresUrl named = PostgresUrl.parse(
                baseUrl + separator + "currentSchema=" + name + "&ApplicationName=" + applicationName
                        + (options == null
                                ? ""
                                : "&options="
                                        + java.net.URLEncoder.encode(options, java.nio.charset.StandardCharsets.UTF_8)
                                                .replace("+", "%20")),
                Optional.empty());
        PostgresDatabase database = PostgresDatabase.open(named, 4);
        opened.add(database);
        return database;
    }

    /** Closes every database opened, as a stopped node would, and opens the schema again, as a restarted one. */
    PostgresDatabase reopen() {
        for (PostgresDatabase database : opened) {
            database.close();
        }
        opened.clear();
        return open();
    }

    /** Runs SQL in the schema on a connection of its own, as someone outside the server would. */
    void execute(String sql) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            if (created) {
                statement.execute("SET search_path TO " + name);
            }
            statement.execute(sql);
        }
    }

    /** The one number a query in the schema answers, on a connection of its own. */
    long queryLong(String sql) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** A connection to the schema, for tests that look at tables directly. */
    Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(baseUrl);
        if (created) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET search_path TO " + name);
            }
        }
        return connection;
    }

    /** Closes every database opened and drops the schema with everything in it. */
    @Override
    public void close() {
        for (PostgresDatabase database : opened) {
            database.close();
        }
        opened.clear();
        if (created) {
            created = false;
            try {
                execute("DROP SCHEMA " + name + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop the test schema " + name, e);
            }
        }
    }
}
