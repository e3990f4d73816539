package com.anycontact.innolicense.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.client.Lease;
import com.anycontact.innolicense.client.LeaseLoss;
import com.anycontact.innolicense.client.LicenseClient;
import com.anycontact.innolicense.client.LicenseServerException;
import com.anycontact.innolicense.server.LicenseServer;
import com.anycontact.innolicense.server.ServerConfig;
import com.anycontact.innolicense.store.sqlite.SqliteAuditLog;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.anycontact.innolicense.store.sqlite.SqliteRetention;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code admin seats release|blocks|unblock} and {@code admin audit verify [--archive]} end to end: a real server
 * in this JVM, an ACD holding a seat through the real SDK, whose listener hears of the release.
 */
class AdminSeatsAndAuditVerifyCommandsTest {

    private static final String ADMIN_TOKEN = "cli-test-bootstrap-admin-token-0123456789";
    private static final Instant NOW = Instant.parse("2027-01-15T09:00:00Z");

    @TempDir
    Path data;

    private LicenseServer server;
    private final CliRunner cli = new CliRunner();
    private LicenseClient client;
    private final LinkedBlockingQueue<LeaseLoss> losses = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        ServerConfig config = ServerConfig.of("127.0.0.1", 0, data, List.of()).toBuilder()
                .adminPassword(Optional.of("a long admin password"))
                .bootstrapToken(Optional.of(ADMIN_TOKEN))
                .leaseTtl(Duration.ofSeconds(3))
                .build();
        server = LicenseServer.open(
                config,
                InstantSource.fixed(NOW),
                () -> 0L, // time stands still, the monotonic clock too: leases never expire here
                new PrintStream(new ByteArrayOutputStream()));
        int port = server.start();
        cli.variables.put("INNOLICENSE_SERVER", "http://127.0.0.1:" + port);
        cli.variables.put("INNOLICENSE_TOKEN", ADMIN_TOKEN);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private LicenseClient client() {
        CliRunner.Result token = cli.run("admin", "token", "create", "--name", "acd-1", "--role", "ACD");
        assertThat(token.exitCode()).as(token.all()).isZero();
        client = LicenseClient.builder()
                .server(URI.create(server.url()))
                .token(token.out().strip())
                .node("acd-1")
                .clock(InstantSource.fixed(NOW))
                .listener((lease, loss) -> losses.add(loss))
                .build();
        return client;
    }

    @Test
    void seatsRelease_withAReasonAndABlock_isHeardByTheSdkListener_andListed_untilUnblocked() throws Exception {
        Lease lease = client().claim("agent-7");

        CliRunner.Result released =
                cli.run("admin", "seats", "release", "agent-7", "--reason", "PC hung", "--block", "5m");

        assertThat(released.exitCode()).as(released.all()).isZero();
        assertThat(released.err())
                .contains("Released the seat of agent-7; its claims are refused until 2027-01-15T09:05:00Z.");
        LeaseLoss loss = losses.poll(15, TimeUnit.SECONDS);
        assertThat(loss).as("the listener is told at the next renewal").isNotNull();
        assertThat(loss.reason()).isEqualTo(LeaseLoss.Reason.RELEASED_BY_ADMINISTRATOR);
        assertThat(loss.detail()).contains("released by the administrator", "PC hung", "2027-01-15T09:05:00Z");
        assertThat(lease.isHeld()).isFalse();

        CliRunner.Result blocks = cli.run("admin", "seats", "blocks");
        assertThat(blocks.exitCode()).as(blocks.all()).isZero();
        assertThat(blocks.out()).contains("agent-7", "2027-01-15T09:05:00Z", "PC hung");
        LicenseServerException refused =
                catchThrowableOfType(LicenseServerException.class, () -> client.claim("agent-7"));
        assertThat(refused.problemType()).contains("agent-blocked");

        CliRunner.Result unblocked = cli.run("admin", "seats", "unblock", "agent-7");
        assertThat(unblocked.exitCode()).as(unblocked.all()).isZero();
        assertThat(client.claim("agent-7").isHeld()).isTrue();
        assertThat(cli.run("admin", "seats", "unblock", "agent-7").exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(cli.run("admin", "audit", "--type", "SEAT_FORCE_RELEASED").out())
                .contains("agent agent-7: seat released; reason: PC hung; claims refused until 2027-01-15T09:05:00Z");
    }

    @Test
    void seatsRelease_ofAnAgentWithoutASeat_isRefused_andABadBlockIsAUsageError() {
        CliRunner.Result notHeld = cli.run("admin", "seats", "release", "agent-9");
        CliRunner.Result badBlock = cli.run("admin", "seats", "release", "agent-9", "--block", "forever");

        assertThat(notHeld.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(notHeld.err()).contains("agent agent-9 holds no seat");
        assertThat(badBlock.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(badBlock.err()).contains("--block 'forever' is not a duration");
    }

    @Test
    void auditVerify_findsTheChainIntact_thenNamesTheEntryEditedByHand() throws Exception {
        cli.run("admin", "token", "create", "--name", "a", "--role", "SUPERVISOR");
        cli.run("admin", "token", "create", "--name", "b", "--role", "SUPERVISOR");

        CliRunner.Result intact = cli.run("admin", "audit", "verify");

        assertThat(intact.exitCode()).as(intact.all()).isZero();
        assertThat(intact.out()).contains("The audit chain is intact", "Head hash: ");
        long edited = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(cli.run("admin", "audit", "--type", "TOKEN_CREATED", "--limit", "1", "--json")
                        .out())
                .path("events")
                .get(0)
                .path("id")
                .asLong();
        try (Connection connection =
                        DriverManager.getConnection("jdbc:sqlite:" + data.resolve(SqliteDatabase.FILE_NAME));
                Statement statement = connection.createStatement()) {
            statement.execute("DROP TRIGGER audit_event_not_updated");
            statement.execute("UPDATE audit_event SET actor = 'someone else' WHERE id = " + edited);
        }

        CliRunner.Result broken = cli.run("admin", "audit", "verify");

        assertThat(broken.exitCode()).as(broken.all()).isEqualTo(ExitCode.REFUSED);
        assertThat(broken.out()).contains("The audit chain is BROKEN at entry " + edited + ": ", "was altered");
    }

    @Test
    void auditVerifyArchive_checksArchiveFilesOffline_eachAndInOrder(@TempDir Path other) throws Exception {
        Path first;
        Path second;
        try (SqliteDatabase database = SqliteDatabase.open(other)) {
            SqliteAuditLog audit = new SqliteAuditLog(database);
            SqliteRetention retention = new SqliteRetention(database);
            for (int day = 0; day < 4; day++) {
                audit.record(NOW.plus(Duration.ofDays(day)), "admin", AuditEvent.Type.LOGIN, "day " + day);
            }
            first = retention
                    .archiveAudit(NOW.plus(Duration.ofDays(2)), other.resolve("archive"))
                    .orElseThrow();
            second = retention
                    .archiveAudit(NOW.plus(Duration.ofDays(3)), other.resolve("archive"))
                    .orElseThrow();
            assertThat(audit.verifyChain().intact()).isTrue();
        }

        CliRunner.Result both = cli.run("admin", "audit", "verify", "--archive", first.toString(), second.toString());
        CliRunner.Result swapped =
                cli.run("admin", "audit", "verify", "--archive", second.toString(), first.toString());

        assertThat(both.exitCode()).as(both.all()).isZero();
        assertThat(both.out()).contains("All 2 archive files verify: 3 entries.");
        assertThat(swapped.exitCode()).as(swapped.all()).isEqualTo(ExitCode.REFUSED);
        String text = Files.readString(first, StandardCharsets.UTF_8);
        Files.writeString(first, text.replace("\"day 1\"", "\"day 9\""), StandardCharsets.UTF_8);
        CliRunner.Result edited = cli.run("admin", "audit", "verify", "--archive", first.toString());
        assertThat(edited.exitCode()).as(edited.all()).isEqualTo(ExitCode.REFUSED);
        assertThat(edited.out()).contains("BROKEN at entry 2: entry 2 was altered");
    }
}
