package com.anycontact.innolicense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.license.Customer;
import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.LicenseSigner;
import com.anycontact.innolicense.license.VendorSigningKey;
import com.anycontact.innolicense.server.LicenseServer;
import com.anycontact.innolicense.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code admin status|apply|token} against a real server in this JVM. */
class AdminCommandsTest {

    private static final String ADMIN_TOKEN = "cli-test-bootstrap-admin-token-0123456789";
    private static final VendorSigningKey VENDOR = VendorSigningKey.generate("cli-test-vendor");

    @TempDir
    Path data;

    @TempDir
    Path files;

    private LicenseServer server;
    private final CliRunner cli = new CliRunner();

    @BeforeEach
    void start() {
        ServerConfig config = ServerConfig.of("127.0.0.1", 0, data, List.of(VENDOR.publicKey())).toBuilder()
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

    private Path keyFile(InstallationId installation, long serial) throws IOException {
        License license = new License(
                "LIC-" + serial,
                serial,
                VENDOR.keyId(),
                new Customer("C-77", "ACME Contact GmbH"),
                "ORD-4711",
                installation,
                License.features(Set.of("ACD")),
                25,
                LocalDate.parse("2026-12-01"),
                ZoneId.of("Europe/Berlin"),
                12,
                14,
                Instant.parse("2026-11-20T09:30:00Z"));
        return Files.writeString(files.resolve("key-" + serial + ".lic"), new LicenseSigner(VENDOR).sign(license));
    }

    @Test
    void status_showsStateInstallationAndCapacity() {
        CliRunner.Result result = cli.run("admin", "status");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("UNLICENSED", server.installationId().value(), "2 concurrent users");
    }

    @Test
    void status_saysTheServerRunsOnDevelopmentTrust_andWhichKeys() {
        CliRunner.Result result = cli.run("admin", "status");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out())
                .contains("DEVELOPMENT: keys given with --development-trust are accepted")
                .contains("anycontact-2026-1, " + VENDOR.keyId() + " (development)");
    }

    @Test
    void status_asJson_hasTheFieldsScriptsUse() {
        CliRunner.Result result = cli.run("admin", "status", "--json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("\"state\"", "\"installationId\"", "\"capacity\"", "\"inUse\"");
    }

    @Test
    void apply_ofAGenuineKey_printsTheNewStatus() throws IOException {
        Path key = keyFile(server.installationId(), 1);

        CliRunner.Result result = cli.run("admin", "apply", key.toString());

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("APPLIED", "ACTIVE", "25 concurrent users", "LIC-1");
    }

    @Test
    void apply_fromStandardInput_works() throws IOException {
        cli.stdin = Files.readString(keyFile(server.installationId(), 1));

        assertThat(cli.run("admin", "apply", "-").exitCode()).isZero();
    }

    @Test
    void apply_ofAKeyForAnotherInstallation_exits1WithTheReasonCode() throws IOException {
        Path key = keyFile(InstallationId.generate(new SecureRandom()), 1);

        CliRunner.Result result = cli.run("admin", "apply", key.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("REJECTED: WRONG_INSTALLATION");
    }

    @Test
    void tokens_areCreatedListedAndRevoked() {
        CliRunner.Result created = cli.run("admin", "token", "create", "--name", "acd-node-1", "--role", "ACD");
        String secret = created.out().strip();
        CliRunner.Result listed = cli.run("admin", "token", "list");
        String id = listed.out()
                .lines()
                .filter(line -> line.contains("acd-node-1"))
                .findFirst()
                .orElseThrow()
                .split("\\s+")[0];
        CliRunner.Result revoked = cli.run("admin", "token", "revoke", id);
        CliRunner.Result again = cli.run("admin", "token", "revoke", id);

        assertThat(created.exitCode()).as(created.all()).isZero();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(32).doesNotContain(" ");
        assertThat(created.err()).contains("shown only this once");
        assertThat(listed.out()).contains("acd-node-1", "ACD").doesNotContain(secret);
        assertThat(revoked.exitCode()).isZero();
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("no API token has the ID");
    }

    @Test
    void tokenCreate_withExpiryAndNode_isShownInTheList() {
        CliRunner.Result created = cli.run(
                "admin",
                "token",
                "create",
                "--name",
                "acd-node-1",
                "--role",
                "ACD",
                "--expires",
                "90d",
                "--node",
                "acd-1");
        CliRunner.Result listed = cli.run("admin", "token", "list");
        CliRunner.Result wrong =
                cli.run("admin", "token", "create", "--name", "x", "--role", "ACD", "--expires", "soon");

        assertThat(created.exitCode()).as(created.all()).isZero();
        assertThat(created.err()).contains("expiring 2027-02-18T09:30:00Z, bound to node acd-1");
        assertThat(listed.out()).contains("EXPIRES", "NODE", "CLAIMS");
        assertThat(listed.out()
                        .lines()
                        .filter(line -> line.contains("acd-node-1"))
                        .findFirst()
                        .orElseThrow())
                .contains("2027-02-18T09:30:00Z", "acd-1", " 0");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("--expires 'soon' is not a positive duration");
    }

    @Test
    void aRefusedToken_exits3AndSaysSo() {
        cli.variables.put("INNOLICENSE_TOKEN", "wrong-token-wrong-token-wrong-token-0000");

        CliRunner.Result result = cli.run("admin", "status");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("refused the API token");
    }

    @Test
    void noToken_exits3AndNamesTheVariable() {
        cli.variables.remove("INNOLICENSE_TOKEN");

        CliRunner.Result result = cli.run("admin", "status");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("INNOLICENSE_TOKEN");
    }

    @Test
    void noServer_exits3WithConnectionRefused() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        CliRunner.Result result = cli.run("admin", "status", "--server", "http://127.0.0.1:" + closedPort);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("cannot connect", "connection refused");
    }

    @Test
    void statusWait_answersOnceTheServerIsReady() {
        CliRunner.Result result = cli.run("admin", "status", "--wait", "30s");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("UNLICENSED");
    }

    @Test
    void statusWait_forAServerThatNeverComes_exits3AfterTheWait() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        cli.clock = java.time.Clock.systemUTC();

        CliRunner.Result result =
                cli.run("admin", "status", "--wait", "600ms", "--server", "http://127.0.0.1:" + closedPort);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("was not ready within 600ms", "connection refused");
    }

    @Test
    void statusWait_withoutADuration_isAUsageError() {
        CliRunner.Result result = cli.run("admin", "status", "--wait", "soon");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--wait: 'soon' is not a duration");
    }

    @Test
    void tokenList_marksRevokedTokensAndTellsTokensOfTheSameNameApart() throws IOException {
        cli.run("admin", "token", "create", "--name", "acd-node-1", "--role", "ACD");
        cli.run("admin", "token", "create", "--name", "acd-node-1", "--role", "ACD");
        List<String> ids = new java.util.ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(cli.run("admin", "token", "list", "--json").out())
                .path("tokens")
                .forEach(token -> {
                    if (token.path("name").asText().equals("acd-node-1")) {
                        ids.add(token.path("id").asText());
                    }
                });
        String revokedId = ids.get(ids.size() - 1);
        cli.run("admin", "token", "revoke", revokedId);

        CliRunner.Result listed = cli.run("admin", "token", "list");

        assertThat(listed.out().lines().findFirst().orElseThrow()).contains("ID", "NAME", "CREATED BY", "STATUS");
        assertThat(listed.out().lines().filter(line -> line.contains("acd-node-1")))
                .hasSize(2)
                .anySatisfy(line -> assertThat(line).startsWith(revokedId).contains("revoked 20"))
                .anySatisfy(line -> assertThat(line).doesNotStartWith(revokedId).endsWith("active"));
    }

    @Test
    void helpFooters_sayWhatTheCodesMeanForEachCommand() {
        String admin = cli.run("admin", "token", "list", "--help").out();
        String server = cli.run("server", "--help").out();
        String simulate = cli.run("simulate", "--help").out();
        String license = cli.run("license", "verify", "--help").out();

        assertThat(admin).contains("Exit codes:", "server not reachable").doesNotContain("passphrase");
        assertThat(server)
                .contains("stopped on SIGTERM or SIGINT", "port in use")
                .doesNotContain("passphrase");
        assertThat(simulate).contains("the simulation stopped").doesNotContain("passphrase");
        assertThat(license).contains("genuine", "passphrase");
    }

    @Test
    void aBadServerUrl_isAUsageError() {
        CliRunner.Result result = cli.run("admin", "status", "--server", "localhost:8080");

        assertThat(result.exitCode()).isEqualTo(2);
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void server_withATooShortAdminPassword_refusesToStartAndNamesTheVariable() {
        cli.variables.put("INNOLICENSE_ADMIN_PASSWORD", "short");

        CliRunner.Result result = cli.run(
                "server",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--data-dir",
                files.resolve("fresh").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("INNOLICENSE_ADMIN_PASSWORD");
    }

    @Test
    void server_withAnInvalidSetting_namesTheSettingAndItsSource() {
        cli.variables.put("INNOLICENSE_LEASE_TTL", "5x");

        CliRunner.Result result =
                cli.run("server", "--data-dir", data.resolve("unused").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("lease-ttl (from INNOLICENSE_LEASE_TTL): '5x' is not a duration");
    }
}
