package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster node while its PostgreSQL's disk is full: the real server on a real port, on a PostgreSQL server of the
 * test's own whose tables live on a 16 MiB tmpfs that the test fills. Before, every seat call that met the full
 * disk was answered 500 {@code internal-error} with a stack trace in the log, renewals of held seats included, and
 * the usage writer logged one a second. Now a call PostgreSQL refuses is answered 503 {@code store-unavailable}
 * with {@code Retry-After} and nothing of it happens; a release still goes through (it needs no room); the log
 * says once that the database refuses writes and once that it takes them again; no acknowledged claim is lost;
 * and the node serves again as soon as there is room, without a restart.
 */
class PostgresDiskFullTest {

    /** Service is back at once when there is room (the next call is tried); 10 s leaves room for a crowded machine. */
    private static final Duration RECOVERY = Duration.ofSeconds(10);

    /** How long the log may take to say the refusals ended: the quiet time (10 s) after the last, and a write. */
    private static final Duration ENDED_LOGGED = Duration.ofSeconds(40);

    @TempDir
    Path data;

    private final FakeTime clock = new FakeTime(RunningServer.START);
    private OwnPostgres postgres;
    private LicenseServer server;

    /** What the server logs during a test, as the packaged logback.xml lets through. */
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @AfterEach
    void stopEverything() throws Exception {
        rootLogger().detachAppender(log);
        if (server != null) {
            server.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void databaseDiskFull_refusedSeatCallsAre503WithoutAStackTrace_releasesGoThrough_andServiceIsBackOnceThereIsRoom()
            throws Exception {
        postgres = OwnPostgres.start();
        postgres.smallDisk(16);
        server = startNode();
        Api api = Api.of(server);
        api.applyKey(server.installationId(), 1, 20);
        String acd = api.acdToken();
        for (int i = 1; i <= 5; i++) {
            Api.Reply claimed = api.claim(acd, "agent-" + i);
            assertThat(claimed.status()).as(claimed.body()).isEqualTo(201);
        }
        log.start();
        rootLogger().addAppender(log);

        postgres.fillSmallDisk();
        // New agents come and go until the lease table needs a page the disk has no room for.
        Api.Reply refused = null;
        int granted = 0;
        while (refused == null && granted < 5_000) {
            Api.Reply claimed = api.claim(acd, "newcomer-" + granted);
            if (claimed.status() != 201) {
                refused = claimed;
                break;
            }
            Api.Reply released = api.delete("/api/v1/seats/newcomer-" + granted, acd);
            assertThat(released.status()).as(released.body()).isEqualTo(204);
            granted++;
        }
        assertThat(refused).as("a claim refused within 5,000 on a full disk").isNotNull();
        List<Api.Reply> claimsWhileFull = new ArrayList<>(List.of(refused));
        for (int i = 0; i < 3; i++) {
            claimsWhileFull.add(api.claim(acd, "while-full-" + i));
        }
        List<Api.Reply> renewalsWhileFull = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            renewalsWhileFull.add(api.claim(acd, "agent-" + i));
        }
        Api.Reply releaseWhileFull = api.delete("/api/v1/seats/agent-5", acd);
        Api.Reply seatsWhileFull = api.get("/api/v1/seats", RunningServer.ADMIN_TOKEN);
        Api.Reply readyWhileFull = api.get("/health/ready", null);

        long renewed = renewalsWhileFull.stream()
                .filter(reply -> reply.status() == 200)
                .count();
        System.out.printf(
                "PostgresDiskFullTest: the first claim refused after %d granted and released on the full disk;"
                        + " renewals while full: %d of %d answered 200, the rest 503%n",
                granted, renewed, renewalsWhileFull.size());
        for (Api.Reply reply : claimsWhileFull) {
            assertRefusedForRetry(reply);
        }
        for (Api.Reply reply : renewalsWhileFull) {
            // PostgreSQL takes a renewal while its table and indexes have room in place, and refuses it after
            if (reply.status() != 200) {
                assertRefusedForRetry(reply);
            }
        }
        assertThat(releaseWhileFull.status())
                .as("a release needs no room: an agent can log out " + releaseWhileFull.body())
                .isEqualTo(204);
        assertThat(seatsWhileFull.status()).as("reads still answered").isEqualTo(200);
        assertThat(readyWhileFull.status())
                .as("ready: every node shares the full disk, and one out of the load balancer refuses more")
                .isEqualTo(200);

        postgres.emptySmallDisk();
        long back = System.nanoTime();
        Api.Reply again;
        do {
            again = api.claim(acd, "after");
        } while (again.status() == 503 && sleep50() && System.nanoTime() - back < RECOVERY.toNanos());
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        System.out.printf(
                "PostgresDiskFullTest: a claim granted %d ms after the disk had room again%n",
                (System.nanoTime() - back) / 1_000_000);
        List<String> held = api.leasedAgents();
        assertThat(held)
                .as("no acknowledged claim lost")
                .contains("agent-1", "agent-2", "agent-3", "agent-4", "after")
                .doesNotContain("agent-5", "while-full-0", "while-full-1", "while-full-2");

        // The end of the refusals is logged at the first write taken once none was refused for 10 s.
        long waiting = System.nanoTime();
        while (endedLines().isEmpty() && System.nanoTime() - waiting < ENDED_LOGGED.toNanos()) {
            Thread.sleep(500);
            assertThat(api.claim(acd, "after").status()).isEqualTo(200);
        }
        assertThat(endedLines()).hasSize(1);
        assertThat(endedLines().get(0)).contains("calls refused").contains("No space left on device");
        List<ILoggingEvent> warnings = log.list.stream()
                .filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .toList();
        assertThat(warnings).as("warnings with a stack trace").noneMatch(event -> event.getThrowableProxy() != null);
        assertThat(warnings)
                .as("the refusals said once when they began, saying why and what to do")
                .filteredOn(event -> event.getFormattedMessage().contains("refuses writes"))
                .singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage())
                        .contains("No space left on device")
                        .contains("SQLSTATE 53100")
                        .contains("free space on the database server's disk"));
    }

    /**
     * Found by the cluster fault round that fills the database's disk: a denial whose audit entry the full disk
     * refused was logged with a 30-line stack trace, one per denial. The denial is answered as the denial it is; the
     * entry that could not be written is named in one line. Here a trigger refuses the entry with SQLSTATE 53100, as
     * a full disk does, deterministically (and without root).
     */
    @Test
    void denialWhoseAuditEntryTheFullDiskRefuses_isAnsweredAsADenial_andTheLostEntryLoggedInALine() throws Exception {
        postgres = OwnPostgres.start();
        server = startNode();
        Api api = Api.of(server);
        api.applyKey(server.installationId(), 1, 1);
        String acd = api.acdToken();
        assertThat(api.claim(acd, "agent-1").status()).isEqualTo(201);
        try (java.sql.Connection sql =
                        java.sql.DriverManager.getConnection(postgres.url().jdbcUrl(), "postgres", null);
                java.sql.Statement statement = sql.createStatement()) {
            statement.execute("""
                    CREATE FUNCTION refuse_denial_audit() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NEW.type = 'CLAIM_DENIED' THEN
                            RAISE EXCEPTION 'could not extend file "base/1/2": No space left on device'
                                USING ERRCODE = '53100';
                        END IF;
                        RETURN NEW;
                    END $$""");
            statement.execute("CREATE TRIGGER refuse_denial_audit BEFORE INSERT ON audit_event"
                    + " FOR EACH ROW EXECUTE FUNCTION refuse_denial_audit()");
        }
        log.start();
        rootLogger().addAppender(log);

        Api.Reply denied = api.claim(acd, "agent-2");

        assertThat(denied.status()).as(denied.body()).isEqualTo(409);
        assertThat(denied.json().path("type").asText()).endsWith("/seat-limit-reached");
        long waiting = System.nanoTime();
        while (lostAuditLines().isEmpty() && System.nanoTime() - waiting < RECOVERY.toNanos()) {
            Thread.sleep(50);
        }
        assertThat(lostAuditLines()).singleElement().satisfies(event -> {
            assertThat(event.getFormattedMessage())
                    .contains("CLAIM_DENIED")
                    .contains("agent-2")
                    .contains("No space left on device");
            assertThat(event.getThrowableProxy()).as("no stack trace").isNull();
        });
    }

    private List<ILoggingEvent> lostAuditLines() {
        return log.list.stream()
                .filter(event -> event.getFormattedMessage().contains("could not be written"))
                .toList();
    }

    private static void assertRefusedForRetry(Api.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.json().path("type").asText()).endsWith("/store-unavailable");
        assertThat(reply.header("Retry-After")).contains("1");
        assertThat(reply.body())
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("pg_tblspc");
    }

    private List<String> endedLines() {
        return log.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(message -> message.contains("takes writes again"))
                .toList();
    }

    private static boolean sleep50() {
        try {
            Thread.sleep(50);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Logger rootLogger() {
        return (Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private LicenseServer startNode() {
        ServerConfig config = ServerConfig.of("127.0.0.1", 0, data, List.of(TestVendor.publicKey())).toBuilder()
                .adminPassword(Optional.of(RunningServer.ADMIN_PASSWORD))
                .bootstrapToken(Optional.of(RunningServer.ADMIN_TOKEN))
                .database(Optional.of(postgres.url()))
                .cluster(TestPostgres.FAKE_CLOCK)
                .build();
        LicenseServer node = LicenseServer.open(
                config,
                clock,
                clock.ticker(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        node.start();
        return node;
    }
}
