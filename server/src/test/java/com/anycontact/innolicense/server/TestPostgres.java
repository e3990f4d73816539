package com.anycontact.innolicense.server;

import com.anycontact.innolicense.store.postgres.PostgresUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh, empty schema in the test PostgreSQL server named by {@code INNOLICENSE_TEST_POSTGRES_URL}, as a
 * cluster database for one test; dropped by {@link #close()}. Without the variable the test is skipped loudly
 * (a JUnit assumption saying how to run it, and a line on standard error); {@code .ci/run} sets it.
 */
final class TestPostgres implements AutoCloseable {

    static final String VARIABLE = "INNOLICENSE_TEST_POSTGRES_URL";

    /**
     * Cluster settings for nodes on a {@link FakeTime} far from the test database's real clock ({@link
     * RunningServer#START} is in 2027): a clock offset bound of ten years, so that such a node serves seats. Only
     * for tests that are not about the clock check; {@code ClockSkewTest} runs nodes on clocks that follow real
     * time, with the default bound.
     */
    static final ServerConfig.ClusterSettings FAKE_CLOCK =
            ServerConfig.ClusterSettings.DEFAULT.withMaxClockOffset(java.time.Duration.ofDays(3650));

    private static final Set<String> WARNED = new HashSet<>();

    private final String baseUrl;
    private final String schema = "test_" + UUID.randomUUID().toString().replace("-", "");

    private TestPostgres(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Creates the schema, or skips the calling test when no test server is configured. */
    static TestPostgres create(Class<?> testClass) {
        String url = System.getenv(VARIABLE);
        if (url == null || url.isBlank()) {
            String message = VARIABLE + " is not set: the cluster-database tests are SKIPPED. Run them with eval"
                    + " \"$(scripts/start-postgres)\" before ./mvnw (scripts/start-postgres stop afterwards), or"
                    + " with .ci/run, which does both";
            synchronized (WARNED) {
                if (WARNED.add(testClass.getName())) {
                    System.err.println("SKIPPED " + testClass.getSimpleName() + ": " + message);
                }
            }
            Assumptions.abort(message);
        }
        TestPostgres database = new TestPostgres(url.strip());
        database.execute("CREATE SCHEMA " + database.schema);
        return database;
    }

    /** The JDBC URL of the schema, as an operator would give it to {@code --database}. */
    String jdbcUrl() {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** {@link #jdbcUrl()}, read. */
    PostgresUrl url() {
        return PostgresUrl.parse(jdbcUrl(), Optional.empty());
    }

    /** Drops the schema with everything in it. */
    @Override
    public void close() {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(baseUrl);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' with " + VARIABLE + "=" + baseUrl, e);
        }
    }
}
