package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.access.Role;
import com.anycontact.innolicense.access.StoredUser;
import com.anycontact.innolicense.access.User;
import com.anycontact.innolicense.store.DatabaseUnreachableException;
import com.anycontact.innolicense.store.StoreException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Opening the cluster database: migration, the refusal of a newer schema, and an unreachable server. */
class PostgresDatabaseTest {

    private PostgresSchema schema;

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void open_migratesAnEmptySchemaToTheNewestVersion() throws Exception {
        schema = PostgresSchema.create(getClass());

        schema.open();

        try (Connection connection = schema.connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT max(version::int), count(*) FILTER (WHERE NOT success) FROM flyway_schema_history")) {
            row.next();
            assertThat(row.getInt(1)).isEqualTo(latestMigrationVersion());
            assertThat(row.getInt(2)).isZero();
        }
    }

    @Test
    void aStatementBeyondTheStatementTimeout_isCancelledAs503_withoutTakingTheDatabaseForUnreachable() {
        schema = PostgresSchema.create(getClass());
        PostgresDatabase database = schema.open();
        double beyond = PostgresDatabase.STATEMENT_TIMEOUT.toMillis() / 1000.0 + 0.5;

        assertThatThrownBy(() -> database.autoCommit(connection -> {
                    try (Statement statement = connection.createStatement()) {
                        return statement.execute("SELECT pg_sleep(" + beyond + ")");
                    }
                }))
                .isInstanceOf(DatabaseUnreachableException.class)
                .hasMessageContaining("did not finish a statement in time");
        assertThat(database.isReachable()).as("the circuit stays closed").isTrue();
        boolean batchRan = database.batchTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                return statement.execute("SELECT pg_sleep(" + beyond + ")");
            }
        });
        assertThat(batchRan).as("batch work may run longer").isTrue();
        String afterBatch = database.autoCommit(connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SHOW statement_timeout")) {
                row.next();
                return row.getString(1);
            }
        });
        assertThat(afterBatch)
                .as("the batch's unlimited timeout ended with its transaction")
                .isEqualTo(PostgresDatabase.STATEMENT_TIMEOUT.toSeconds() + "s");
    }

    @Test
    void aCallThatFindsEveryConnectionBusyForItsWholeWait_isRefusedAs503_withoutTakingTheDatabaseForUnreachable()
            throws Exception {
        schema = PostgresSchema.create(getClass());
        PostgresDatabase database = PostgresDatabase.open(schema.url(), 1);
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        Thread slow = Thread.ofPlatform()
                .start(() -> database.batchTransaction(connection -> {
                    holding.countDown();
                    try (Statement statement = connection.createStatement()) {
                        // the pool's one connection, held longer than a call waits for one (batch work has no timeout)
                        return statement.execute("SELECT pg_sleep(6.5)");
                    }
                }));
        try {
            holding.await();

            assertThatThrownBy(() -> database.autoCommit(connection -> {
                        try (Statement statement = connection.createStatement()) {
                            return statement.execute("SELECT 1");
                        }
                    }))
                    .as("refused as the database's slowness (503 database-unavailable), not failed (500)")
                    .isInstanceOf(DatabaseUnreachableException.class)
                    .hasMessageContaining("every connection this node has to it stayed busy");
            assertThat(database.isReachable()).as("the circuit stays closed").isTrue();
        } finally {
            slow.join();
            database.close();
        }
    }

    @Test
    void whenTheDatabaseGoesAway_thePoolLetsGoOfEveryConnection_andTheCallsAfterItsReturnConnectAnew()
            throws Exception {
        schema = PostgresSchema.create(getClass());
        String application = "pool-drop-" + ProcessHandle.current().pid();
        PostgresDatabase database = schema.open(application);
        int held = database.autoCommit(first -> database.autoCommit(second -> database.autoCommit(third -> 3)));
        assertThat(held).isEqualTo(3);
        assertThat(database.pooledConnections())
                .as("three calls at once, three connections")
                .isEqualTo(3);

        try (Connection admin = schema.connect();
                Statement statement = admin.createStatement();
                ResultSet ended = statement.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE application_name = '" + application + "'")) {
            ended.next();
            assertThat(ended.getInt(1))
                    .as("backends ended, as a restart of PostgreSQL ends them")
                    .isEqualTo(3);
        }
        assertThatThrownBy(() -> database.autoCommit(connection -> {
                    try (Statement statement = connection.createStatement()) {
                        return statement.execute("SELECT 1");
                    }
                }))
                .isInstanceOf(DatabaseUnreachableException.class);

        assertThat(database.pooledConnections())
                .as("connections to the server that went away, kept in the pool")
                .isZero();
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!database.isReachable() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(database.isReachable()).isTrue();
        boolean valid = database.autoCommit(connection -> connection.isValid(1));
        assertThat(valid).as("a call after the database is back").isTrue();
    }

    /**
     * A pooled connection the server ended while it was idle (a DBA's {@code idle_session_timeout}, a firewall that
     * drops idle connections) is not an outage: the pool checks a connection idle for more than half a second
     * before it lends it, and makes a new one, so the call goes through and the circuit stays closed.
     */
    @Test
    void aPooledConnectionTheServerEndedWhileIdle_isReplaced_notTakenForAnOutage() throws Exception {
        schema = PostgresSchema.create(getClass());
        PostgresDatabase database =
                schema.open("idle-" + ProcessHandle.current().pid(), "-c idle_session_timeout=300");
        int before = database.autoCommit(connection -> backend(connection));

        Thread.sleep(1_000); // the server ends the idle session after 300 ms

        int after = database.autoCommit(connection -> backend(connection));
        assertThat(after).as("a new backend: the old one was ended").isNotEqualTo(before);
        assertThat(database.isReachable()).isTrue();
    }

    private static int backend(Connection connection) throws java.sql.SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
            pid.next();
            return pid.getInt(1);
        }
    }

    @Test
    void open_twiceOverOneSchema_asTwoNodes_migratesOnceAndBothWork() {
        schema = PostgresSchema.create(getClass());
        PostgresDatabase first = schema.open();

        PostgresDatabase second = schema.open();

        new PostgresUserStore(first).create(new StoredUser(new User("alice", Role.ADMIN, Instant.EPOCH), "h"));
        assertThat(new PostgresUserStore(second).count()).isEqualTo(1);
    }

    @Test
    void open_ofASchemaANewerReleaseMigrated_isRefusedWithAClearMessage() throws Exception {
        int known = latestMigrationVersion();
        schema = PostgresSchema.create(getClass());
        PostgresUrl url = schema.url();
        Flyway.configure()
                .dataSource(url.jdbcUrl(), null, null)
                .locations(PostgresDatabase.MIGRATIONS, "classpath:db/future/postgresql")
                .load()
                .migrate();

        assertThatThrownBy(() -> PostgresDatabase.open(url))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("has schema version 999, newer than this release knows (" + known + ")")
                .hasMessageContaining("Run that release (or newer) on this node")
                .hasMessageNotContaining("password");
    }

    /**
     * A database that lacks a migration older than its newest (a development build before a branch with an older
     * migration number was merged made such databases: V7 came in after V8 to V10 had run): refused with a line
     * that says what is missing and what to do, not Flyway's validation text, and nothing migrated.
     */
    @Test
    void open_ofASchemaThatSkippedAMigration_isRefusedWithAClearMessage_andNothingChanges() throws Exception {
        schema = PostgresSchema.create(getClass());
        schema.open().close();
        try (Connection connection = schema.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM flyway_schema_history WHERE version = '7'");
        }

        assertThatThrownBy(() -> PostgresDatabase.open(schema.url()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("lacks schema migration 7 (alerts)")
                .hasMessageContaining("though it has later ones (up to " + latestMigrationVersion() + ")")
                .hasMessageContaining("cannot be upgraded in place")
                .hasMessageContaining("nothing was changed")
                .hasMessageNotContaining("ignoreMigrationPatterns");
        try (Connection connection = schema.connect();
                Statement statement = connection.createStatement();
                ResultSet seven =
                        statement.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE version = '7'")) {
            seven.next();
            assertThat(seven.getInt(1)).as("V7 applied after all").isZero();
        }
    }

    @Test
    void open_whenNoServerListens_failsWithAMessageNamingTheDatabaseNotThePassword() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        PostgresUrl url = PostgresUrl.parse(
                "postgresql://innolicense:s3cret@127.0.0.1:" + closedPort + "/innolicense", Optional.empty());

        assertThatThrownBy(() -> PostgresDatabase.open(url))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(
                        "cannot connect to the database postgresql://127.0.0.1:" + closedPort + "/innolicense")
                .hasMessageContaining("check that PostgreSQL runs there")
                .hasMessageNotContaining("s3cret");
    }

    /** The highest version among the migration files, {@code V<version>__<name>.sql}. */
    static int latestMigrationVersion() throws Exception {
        Path folder = Path.of(
                PostgresDatabase.class.getResource("/db/migration/postgresql").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("V[0-9]+__.*\\.sql"))
                    .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
                    .max()
                    .orElseThrow();
        }
    }
}
