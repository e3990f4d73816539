package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditQuery;
import com.anycontact.innolicense.cli.Innolicense;
import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.seat.Lease;
import com.anycontact.innolicense.store.PrivateFiles;
import com.anycontact.innolicense.store.postgres.PostgresDatabase;
import com.anycontact.innolicense.store.postgres.PostgresInstallationStore;
import com.anycontact.innolicense.store.postgres.PostgresTokenStore;
import com.anycontact.innolicense.store.postgres.PostgresUsageStore;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.anycontact.innolicense.store.sqlite.SqliteInstallationStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code innolicense admin migrate} with a real embedded server's SQLite data and a real PostgreSQL: a node
 * started on the cluster database afterwards is the same installation, with its license, users, tokens, audit
 * log, usage history, trusted-time mark and leases; a second migration into it is refused and changes nothing.
 */
class AdminMigrateEndToEndTest {

    @TempDir
    Path embeddedData;

    @TempDir
    Path clusterData;

    private final FakeTime clock = new FakeTime(RunningServer.START);
    private TestPostgres database;
    private LicenseServer clusterNode;

    @BeforeEach
    void createDatabase() {
        database = TestPostgres.create(getClass());
    }

    @AfterEach
    void stop() {
        if (clusterNode != null) {
            clusterNode.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void migrate_movesTheWholeInstallation_andASecondMigrationIsRefused() throws Exception {
        RunningServer embedded = RunningServer.start(embeddedData, clock);
        InstallationId installation = embedded.installation();
        embedded.apply(1, 5);
        String acdToken = embedded.token("ACD");
        Api.Reply alice = embedded.api.postJson(
                "/api/v1/users",
                RunningServer.ADMIN_TOKEN,
                "{\"username\": \"Alice\", \"role\": \"SUPERVISOR\", \"password\": \"alice's long password\"}");
        assertThat(alice.status()).as(alice.body()).isEqualTo(201);
        Instant boundExpiry = RunningServer.START.plus(Duration.ofDays(90));
        Api.Reply bound = embedded.api.postJson(
                "/api/v1/tokens",
                RunningServer.ADMIN_TOKEN,
                "{\"name\": \"acd bound\", \"role\": \"ACD\", \"expiresAt\": \"" + boundExpiry
                        + "\", \"node\": \"acd-7\"}");
        assertThat(bound.status()).as(bound.body()).isEqualTo(201);
        String boundId = bound.json().path("id").asText();
        claim(embedded.api, acdToken, "agent-1");
        claim(embedded.api, acdToken, "agent-2");
        clock.advance(Duration.ofSeconds(30));
        claim(embedded.api, acdToken, "agent-1");
        claim(embedded.api, acdToken, "agent-2");
        clock.advance(Duration.ofSeconds(31));
        embedded.tick();
        List<Lease> leasesBefore = embedded.server.ledger().leases();
        int auditBefore = embedded.server.audit().find(AuditQuery.newest(1000)).size();
        embedded.close();
        Instant markBefore;
        try (SqliteDatabase sqlite = SqliteDatabase.open(embeddedData)) {
            markBefore = new SqliteInstallationStore(sqlite).trustedTimeMark();
        }

        Run migrated = migrate();

        assertThat(migrated.exitCode()).as(migrated.err()).isZero();
        assertThat(migrated.out())
                .contains("Migrating the embedded installation in " + embeddedData)
                .contains("copied applied_license: 1 row")
                .contains("copied lease: 2 rows")
                .contains("copied audit_event: " + auditBefore + " rows")
                .contains("Done: installation " + installation + " is now in postgresql://");

        clusterNode = database.startNode(clusterData, clock);
        Api api = Api.of(clusterNode);
        assertThat(clusterNode.installationId()).isEqualTo(installation);
        assertThat(api.get("/api/v1/license", RunningServer.ADMIN_TOKEN)
                        .json()
                        .path("capacity")
                        .asInt())
                .isEqualTo(5);
        assertThat(leasesBefore).hasSize(2);
        assertThat(clusterNode.ledger().leases()).isEqualTo(leasesBefore);
        assertThat(api.postJson(
                                "/api/v1/session",
                                null,
                                "{\"username\": \"alice\", \"password\": \"alice's long password\"}")
                        .status())
                .isEqualTo(200);
        claim(api, acdToken, "agent-3");
        assertThat(clusterNode.ledger().leases())
                .extracting(Lease::claimSequence)
                .doesNotHaveDuplicates()
                .last()
                .isEqualTo(leasesBefore.getLast().claimSequence() + 1);
        assertThat(clusterNode.audit().find(AuditQuery.newest(1000)).size()).isGreaterThan(auditBefore);
        assertThat(clusterNode.audit().verifyChain().intact())
                .as("the copied hash chain goes on on the cluster node")
                .isTrue();
        assertThat(clusterNode.audit().find(AuditQuery.newest(10).withType(AuditEvent.Type.KEY_APPLIED)))
                .hasSize(1);
        try (PostgresDatabase cluster = PostgresDatabase.open(database.url(), 1)) {
            assertThat(new PostgresInstallationStore(cluster).trustedTimeMark()).isAfterOrEqualTo(markBefore);
            assertThat(new PostgresUsageStore(cluster)
                            .minutes(RunningServer.START.minusSeconds(3600), RunningServer.START.plusSeconds(3600)))
                    .isNotEmpty();
            assertThat(new PostgresUsageStore(cluster)
                            .totals(RunningServer.START.minusSeconds(3600), RunningServer.START.plusSeconds(3600))
                            .claims())
                    .isEqualTo(2);
            assertThat(new PostgresTokenStore(cluster).list())
                    .filteredOn(token -> token.id().equals(boundId))
                    .singleElement()
                    .satisfies(token -> {
                        assertThat(token.expiresAt()).contains(boundExpiry);
                        assertThat(token.node()).contains("acd-7");
                    });
            assertThat(new PostgresTokenStore(cluster).list())
                    .filteredOn(token -> !token.id().equals(boundId))
                    .allSatisfy(token -> {
                        assertThat(token.expiresAt()).isEmpty();
                        assertThat(token.node()).isEmpty();
                    });
        }

        // With the mark the directory left behind deleted, the database itself refuses a second copy.
        Files.delete(embeddedData.resolve(MovedToCluster.FILE_NAME));
        Run again = migrate();

        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err())
                .contains("already holds installation " + installation)
                .contains("nothing was changed");
    }

    /**
     * Once moved, the installation is not served from its old directory too, nor moved into a second database:
     * either would give out its seats twice. Deleting the mark, as it says, is the way back.
     */
    @Test
    void aMovedDirectory_isNotServedByAnEmbeddedServer_norMovedAgain_untilItsMarkIsDeleted() throws Exception {
        RunningServer embedded = RunningServer.start(embeddedData, clock);
        InstallationId installation = embedded.installation();
        embedded.close();
        assertThat(migrate().exitCode()).isZero();
        Path mark = embeddedData.resolve(MovedToCluster.FILE_NAME);
        assertThat(Files.readString(mark))
                .contains("installation: " + installation)
                .contains("database: " + database.url())
                .doesNotContain("password");
        assertThat(Files.getPosixFilePermissions(mark)).isEqualTo(PrivateFiles.FILE);

        assertThatThrownBy(() -> RunningServer.start(embeddedData, clock))
                .isInstanceOf(StartupRefused.class)
                .hasMessageContaining("was moved to " + database.url())
                .hasMessageContaining("give out its seats twice")
                .hasMessageContaining("start the cluster nodes with --database")
                .hasMessageContaining("delete " + mark);

        try (TestPostgres second = TestPostgres.create(getClass())) {
            Run twice = migrate(second.jdbcUrl());
            assertThat(twice.exitCode()).as(twice.out() + twice.err()).isEqualTo(1);
            assertThat(twice.err()).contains("was moved to " + database.url()).contains("nothing was changed");
            assertThat(twice.out()).doesNotContain("copied");
        }

        Files.delete(mark);
        RunningServer.start(embeddedData, clock).close();
    }

    /**
     * {@code admin migrate} holds the data directory from its first step to its mark: an embedded server started
     * while the copy waits (here on a lock another session holds on a table the copy writes) is refused, and once
     * the copy is done the mark refuses one. Before, the directory was held only while the seat journal was folded,
     * and a server started in that moment (a crash-restart loop, a forgotten unit) served the installation the
     * cluster was being given — every seat twice.
     */
    @Test
    void aServerStartedWhileTheCopyRuns_isRefused_andOneStartedAfterIt_byTheMark() throws Exception {
        RunningServer.start(embeddedData, clock).close();
        PostgresDatabase.open(database.url(), 1).close(); // the schema, made by a node, say
        java.util.concurrent.CompletableFuture<Run> migration;
        try (java.sql.Connection blocker = java.sql.DriverManager.getConnection(database.jdbcUrl());
                java.sql.Statement statement = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            statement.execute("LOCK TABLE audit_event IN ACCESS EXCLUSIVE MODE");
            migration = java.util.concurrent.CompletableFuture.supplyAsync(this::migrate);
            awaitASessionWaitingForALock(statement, migration);

            assertThatThrownBy(() -> RunningServer.start(embeddedData, clock))
                    .isInstanceOf(com.anycontact.innolicense.store.StoreException.class)
                    .hasMessageContaining("has the seat store in " + embeddedData.toAbsolutePath() + " open");

            blocker.rollback();
        }
        Run done = migration.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(done.exitCode()).as(done.out() + done.err()).isZero();
        assertThatThrownBy(() -> RunningServer.start(embeddedData, clock))
                .isInstanceOf(StartupRefused.class)
                .hasMessageContaining("was moved to " + database.url());
    }

    /** A directory a running embedded server holds is not migrated: refused in a line, the database untouched. */
    @Test
    void migrate_ofADirectoryARunningServerHolds_isRefused_andTouchesNothing() throws Exception {
        RunningServer embedded = RunningServer.start(embeddedData, clock);
        try {
            Run refused = migrate();

            assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(1);
            assertThat(refused.err())
                    .contains("a license server (or another admin command) is using " + embeddedData)
                    .contains("stop it first")
                    .contains("nothing was changed")
                    .doesNotContain("\tat ");
            assertThat(embeddedData.resolve(MovedToCluster.FILE_NAME)).doesNotExist();
            try (java.sql.Connection sql = java.sql.DriverManager.getConnection(database.jdbcUrl());
                    java.sql.ResultSet tables = sql.createStatement()
                            .executeQuery("SELECT count(*) FROM information_schema.tables"
                                    + " WHERE table_schema = current_schema()")) {
                tables.next();
                assertThat(tables.getInt(1))
                        .as("tables in the cluster database")
                        .isZero();
            }
        } finally {
            embedded.close();
        }
    }

    private static void awaitASessionWaitingForALock(
            java.sql.Statement statement, java.util.concurrent.CompletableFuture<Run> migration) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(migration)
                    .as("the migration waits for the table, it does not end")
                    .isNotDone();
            try (java.sql.ResultSet waiting = statement.executeQuery(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'audit_event'::regclass")) {
                waiting.next();
                if (waiting.getInt(1) > 0) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the migration never reached the locked table");
    }

    /**
     * A cluster database that refuses the copy's writes (its disk full, SQLSTATE 53100; a trigger here refuses the
     * audit entries as a full disk would): the command says why in a line, without a stack trace, and nothing of the
     * copy is left — the same command succeeds once the database takes writes, which it would refuse if a part of
     * the installation had been left behind.
     */
    @Test
    void migrate_intoADatabaseThatRefusesWrites_saysWhy_andLeavesNothing_soItCanBeRunAgain() throws Exception {
        RunningServer embedded = RunningServer.start(embeddedData, clock);
        embedded.apply(1, 5);
        embedded.close();
        PostgresDatabase.open(database.url(), 1).close(); // the schema, made by a node, say
        try (java.sql.Connection sql = java.sql.DriverManager.getConnection(database.jdbcUrl());
                java.sql.Statement statement = sql.createStatement()) {
            statement.execute("""
                    CREATE FUNCTION refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        RAISE EXCEPTION 'could not extend file "base/1/2": No space left on device'
                            USING ERRCODE = '53100';
                    END $$""");
            statement.execute("CREATE TRIGGER refuse_write BEFORE INSERT ON audit_event"
                    + " FOR EACH ROW EXECUTE FUNCTION refuse_write()");
        }

        Run refused = migrate();

        assertThat(refused.exitCode())
                .as("exit code 3, an error: " + refused.out() + refused.err())
                .isEqualTo(3);
        assertThat(refused.err())
                .contains("cannot take writes")
                .contains("No space left on device")
                .contains("nothing was changed")
                .doesNotContain("\tat ")
                .doesNotContain("Exception");

        try (java.sql.Connection sql = java.sql.DriverManager.getConnection(database.jdbcUrl());
                java.sql.Statement statement = sql.createStatement()) {
            statement.execute("DROP TRIGGER refuse_write ON audit_event");
        }
        Run again = migrate();
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("Done: installation ");
    }

    @Test
    void migrate_ofADirectoryWithoutAnEmbeddedDatabase_isRefused() {
        Run run = migrate();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no embedded database at " + embeddedData.resolve(SqliteDatabase.FILE_NAME));
    }

    private Run migrate() {
        return migrate(database.jdbcUrl());
    }

    private Run migrate(String databaseUrl) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = Innolicense.run(
                new String[] {"admin", "migrate", "--from-sqlite", embeddedData.toString(), "--database", databaseUrl},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void claim(Api api, String token, String agent) {
        Api.Reply reply = api.putJson("/api/v1/seats/" + agent, token, "{\"node\": \"acd-1\"}");
        assertThat(reply.status()).as(reply.body()).isIn(200, 201);
    }

    private record Run(int exitCode, String out, String err) {}
}
