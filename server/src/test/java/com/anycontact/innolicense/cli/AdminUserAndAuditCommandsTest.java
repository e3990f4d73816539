package com.anycontact.innolicense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.server.LicenseServer;
import com.anycontact.innolicense.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code admin user create|list|delete|password} and {@code admin audit} against a real server in this JVM. */
class AdminUserAndAuditCommandsTest {

    private static final String ADMIN_TOKEN = "cli-test-bootstrap-admin-token-0123456789";
    private static final String PASSWORD = "alice's long password";

    @TempDir
    Path data;

    private LicenseServer server;
    private final CliRunner cli = new CliRunner();

    @BeforeEach
    void start() {
        ServerConfig config = ServerConfig.of("127.0.0.1", 0, data, List.of()).toBuilder()
                .adminPassword(Optional.of("a long admin password"))
                .bootstrapToken(Optional.of(ADMIN_TOKEN))
                .build();
        server = LicenseServer.open(
                config,
                InstantSource.fixed(Instant.parse("2027-01-15T09:00:00Z")),
                () -> 0L, // time stands still: the monotonic clock too
                new PrintStream(new ByteArrayOutputStream()));
        int port = server.start();
        cli.variables.put("INNOLICENSE_SERVER", "http://127.0.0.1:" + port);
        cli.variables.put("INNOLICENSE_TOKEN", ADMIN_TOKEN);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void unlock_liftsTheLoginLockoutOfAUser() {
        LoginProbe probe = new LoginProbe(cli.variables.get("INNOLICENSE_SERVER"));
        for (int i = 0; i < 5; i++) {
            assertThat(probe.login("admin", "wrong password " + i)).isEqualTo(401);
        }
        assertThat(probe.login("admin", "a long admin password")).isEqualTo(429);

        CliRunner.Result unlocked = cli.run("admin", "unlock", "admin");

        assertThat(unlocked.exitCode()).as(unlocked.all()).isZero();
        assertThat(unlocked.err()).contains("Unlocked admin: cleared 1 throttle counter.");
        assertThat(probe.login("admin", "a long admin password")).isEqualTo(200);
        assertThat(cli.run("admin", "unlock", "192.0.2.1").err()).contains("Nothing was throttled for 192.0.2.1.");
    }

    /** Logs in over HTTP and returns the status. */
    private record LoginProbe(String server) {
        int login(String username, String password) {
            try (java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
                return client.send(
                                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server + "/api/v1/session"))
                                        .header("Content-Type", "application/json")
                                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"username\": \""
                                                + username + "\", \"password\": \"" + password + "\"}"))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void userCreate_takesThePasswordFromTheVariable_andListShowsTheUser() {
        cli.variables.put(UserPasswords.VARIABLE, PASSWORD);

        CliRunner.Result created = cli.run("admin", "user", "create", "--username", "alice", "--role", "SUPERVISOR");
        CliRunner.Result listed = cli.run("admin", "user", "list");

        assertThat(created.exitCode()).as(created.all()).isZero();
        assertThat(created.err()).contains("Created user alice with role SUPERVISOR");
        assertThat(created.all()).doesNotContain(PASSWORD);
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).contains("USERNAME", "admin", "alice", "SUPERVISOR");
    }

    @Test
    void userCreate_asksTwiceOnTheTerminal_whenTheVariableIsUnset() {
        cli.terminal = true;
        cli.promptAnswers.add(PASSWORD);
        cli.promptAnswers.add(PASSWORD);

        CliRunner.Result created = cli.run("admin", "user", "create", "--username", "alice", "--role", "ADMIN");

        assertThat(created.exitCode()).as(created.all()).isZero();
        assertThat(cli.prompts).hasSize(2);
        assertThat(cli.prompts.getFirst()).contains("alice");
    }

    @Test
    void userCreate_withTwoDifferentAnswers_createsNothing() {
        cli.terminal = true;
        cli.promptAnswers.add(PASSWORD);
        cli.promptAnswers.add("another long password");

        CliRunner.Result created = cli.run("admin", "user", "create", "--username", "alice", "--role", "ADMIN");

        assertThat(created.exitCode()).isEqualTo(1);
        assertThat(created.err()).contains("differ");
        assertThat(cli.run("admin", "user", "list").out()).doesNotContain("alice");
    }

    @Test
    void userCreate_withoutVariableOrTerminal_exits3NamingTheVariable() {
        CliRunner.Result created = cli.run("admin", "user", "create", "--username", "alice", "--role", "ADMIN");

        assertThat(created.exitCode()).isEqualTo(3);
        assertThat(created.err()).contains(UserPasswords.VARIABLE);
    }

    @Test
    void userCreate_withAShortPassword_exits1WithTheServersRule() {
        cli.variables.put(UserPasswords.VARIABLE, "short");

        CliRunner.Result created = cli.run("admin", "user", "create", "--username", "alice", "--role", "ADMIN");

        assertThat(created.exitCode()).isEqualTo(1);
        assertThat(created.err()).contains("12 characters");
    }

    @Test
    void userCreate_withTheAcdRole_isAUsageError() {
        cli.variables.put(UserPasswords.VARIABLE, PASSWORD);

        CliRunner.Result created = cli.run("admin", "user", "create", "--username", "alice", "--role", "ACD");

        assertThat(created.exitCode()).isEqualTo(2);
    }

    @Test
    void userDelete_removesTheUser_andRefusesTheLastAdmin() {
        cli.variables.put(UserPasswords.VARIABLE, PASSWORD);
        cli.run("admin", "user", "create", "--username", "alice", "--role", "SUPERVISOR");

        CliRunner.Result deleted = cli.run("admin", "user", "delete", "alice");
        CliRunner.Result unknown = cli.run("admin", "user", "delete", "alice");
        CliRunner.Result lastAdmin = cli.run("admin", "user", "delete", "admin");

        assertThat(deleted.exitCode()).as(deleted.all()).isZero();
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no user is named 'alice'");
        assertThat(lastAdmin.exitCode()).isEqualTo(1);
        assertThat(lastAdmin.err()).contains("last user with the role ADMIN");
    }

    @Test
    void userPassword_setsANewPassword() {
        cli.variables.put(UserPasswords.VARIABLE, "a brand new admin password");

        CliRunner.Result set = cli.run("admin", "user", "password", "admin");

        assertThat(set.exitCode()).as(set.all()).isZero();
        assertThat(set.err()).contains("Set the password of user admin");
    }

    @Test
    void audit_showsTheNewestEventsAsATable() {
        cli.variables.put(UserPasswords.VARIABLE, PASSWORD);
        cli.run("admin", "user", "create", "--username", "alice", "--role", "SUPERVISOR");

        CliRunner.Result audit = cli.run("admin", "audit", "--type", "USER_CREATED");

        assertThat(audit.exitCode()).as(audit.all()).isZero();
        List<String> lines = audit.out().lines().toList();
        assertThat(lines.getFirst()).contains("ID", "AT", "ACTOR", "TYPE", "DETAIL");
        assertThat(lines.get(1)).contains("USER_CREATED", "user alice with role SUPERVISOR");
        assertThat(lines.get(2)).contains("bootstrap", "user admin");
    }

    @Test
    void audit_withALimit_saysHowToGetTheNextPage() {
        CliRunner.Result audit = cli.run("admin", "audit", "--limit", "1");

        assertThat(audit.exitCode()).as(audit.all()).isZero();
        assertThat(audit.out().lines()).hasSize(2);
        assertThat(audit.err()).contains("--before ");
    }

    @Test
    void audit_asJson_isTheServersPage() {
        CliRunner.Result audit = cli.run("admin", "audit", "--json", "--limit", "5");

        assertThat(audit.exitCode()).isZero();
        assertThat(audit.out()).contains("\"events\"", "\"nextBefore\"");
    }

    @Test
    void audit_ofAnUnknownType_exits1WithTheServersReason() {
        CliRunner.Result audit = cli.run("admin", "audit", "--type", "NO_SUCH_TYPE");

        assertThat(audit.exitCode()).isEqualTo(1);
        assertThat(audit.err()).contains("parameter 'type' must be one of");
    }
}
