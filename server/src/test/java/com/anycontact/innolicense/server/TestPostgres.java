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

    private static final java.nio.file.Path PG_BIN =
            java.nio.file.Path.of(System.getenv().getOrDefault("PG_BIN", "/usr/lib/postgresql/15/bin"));

    private final String baseUrl;
    private final String schema;
    private final Optional<String> ownDatabase;

    private TestPostgres(String baseUrl) {
        this(baseUrl, "test_" + UUID.randomUUID().toString().replace("-", ""), Optional.empty());
    }

    private TestPostgres(String baseUrl, String schema, Optional<String> ownDatabase) {
        this.baseUrl = baseUrl;
        this.schema = schema;
        this.ownDatabase = ownDatabase;
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

    /**
     * Opens and starts a cluster node on this database as the tests run one: {@link RunningServer#config} with its
     * data in {@code dataDirectory}, the {@link #FAKE_CLOCK} bound, the fake clock's instants and ticker, its
     * startup lines dropped. The caller closes it.
     */
    LicenseServer startNode(java.nio.file.Path dataDirectory, FakeTime clock) {
        return startNode(url(), dataDirectory, clock);
    }

    /** {@link #startNode(java.nio.file.Path, FakeTime)} on any database, such as an {@code OwnPostgres}. */
    static LicenseServer startNode(PostgresUrl database, java.nio.file.Path dataDirectory, FakeTime clock) {
        LicenseServer node = LicenseServer.open(
                RunningServer.config(dataDirectory).toBuilder()
                        .database(Optional.of(database))
                        .cluster(FAKE_CLOCK)
                        .build(),
                clock,
                clock.ticker(),
                new java.io.PrintStream(
                        new java.io.ByteArrayOutputStream(), true, java.nio.charset.StandardCharsets.UTF_8));
        node.start();
        return node;
    }

    /**
     * Backs the schema up as an operator would ({@code pg_dump -Fc}, a consistent snapshot of everything in it) and
     * restores the backup into a new database of the test server ({@code pg_restore}): the copy, under the same
     * schema name, whose {@link #close()} drops that database.
     */
    TestPostgres backUpAndRestore(java.nio.file.Path directory) throws java.io.IOException, InterruptedException {
        java.util.regex.Matcher parts = java.util.regex.Pattern.compile(
                        "jdbc:postgresql://([^:/]+):(\\d+)/([^?]+)(?:\\?user=([A-Za-z0-9_]+))?")
                .matcher(baseUrl);
        if (!parts.matches()) {
            throw new IllegalStateException("cannot read host, port and database from " + baseUrl);
        }
        String user = Optional.ofNullable(parts.group(4)).orElse(System.getProperty("user.name"));
        java.nio.file.Path dump = directory.resolve(schema + ".dump");
        run(
                PG_BIN.resolve("pg_dump").toString(),
                "-h",
                parts.group(1),
                "-p",
                parts.group(2),
                "-U",
                user,
                "-Fc",
                "-n",
                schema,
                "-f",
                dump.toString(),
                parts.group(3));
        String database = "restored_" + UUID.randomUUID().toString().replace("-", "");
        execute("CREATE DATABASE " + database);
        run(
                PG_BIN.resolve("pg_restore").toString(),
                "-h",
                parts.group(1),
                "-p",
                parts.group(2),
                "-U",
                user,
                "--exit-on-error",
                "-d",
                database,
                dump.toString());
        String copyUrl = "jdbc:postgresql://" + parts.group(1) + ":" + parts.group(2) + "/" + database
                + (parts.group(4) == null ? "" : "?user=" + user);
        return new TestPostgres(copyUrl, schema, Optional.of(database));
    }

    /** Drops the schema with everything in it, or the database of a restored copy. */
    @Override
    public void close() {
        if (ownDatabase.isPresent()) {
            execute(
                    baseUrl.replace("/" + ownDatabase.get(), "/postgres"),
                    "DROP DATABASE IF EXISTS " + ownDatabase.get() + " WITH (FORCE)");
            return;
        }
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static void run(String... command) throws java.io.IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private void execute(String sql) {
        execute(baseUrl, sql);
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on " + url, e);
        }
    }
}
