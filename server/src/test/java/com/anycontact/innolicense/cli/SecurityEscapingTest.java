package com.anycontact.innolicense.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.license.Customer;
import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.LicenseSigner;
import com.anycontact.innolicense.license.VendorSigningKey;
import com.anycontact.innolicense.server.LicenseServer;
import com.anycontact.innolicense.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security regression suite, escaping (issue 11 item 10): a rejected key whose content carries a terminal
 * escape sequence and a bidi override reaches neither the audit log nor the CLI's terminal output as those
 * characters, only as their visible escapes.
 */
class SecurityEscapingTest {

    private static final String ADMIN_TOKEN = "escaping-test-bootstrap-admin-token-0123456789";
    private static final VendorSigningKey VENDOR = VendorSigningKey.generate("escaping-test-vendor");
    /** Clears the screen, then reverses the text that follows. */
    private static final String HOSTILE = "\u001b[2J\u001b]0;pwned\u0007\u202e";

    @TempDir
    Path data;

    @TempDir
    Path files;

    private LicenseServer server;
    private String url;
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
        url = "http://127.0.0.1:" + server.start();
        cli.variables.put("INNOLICENSE_SERVER", url);
        cli.variables.put("INNOLICENSE_TOKEN", ADMIN_TOKEN);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aRejectedKeysControlCharacters_reachNeitherTheAuditLogNorTheTerminal() throws Exception {
        Path key = Files.writeString(files.resolve("hostile.lic"), hostileKey());

        CliRunner.Result apply = cli.run("admin", "apply", key.toString());
        CliRunner.Result audit = cli.run("admin", "audit", "--type", "KEY_REJECTED");
        CliRunner.Result auditJson = cli.run("admin", "audit", "--type", "KEY_REJECTED", "--json");
        String auditApi = get("/api/v1/audit?type=KEY_REJECTED");

        assertThat(apply.exitCode()).as(apply.all()).isEqualTo(1);
        assertThat(apply.all()).contains("REJECTED: MALFORMED", "\\u001b[2J");
        assertThat(audit.out()).contains("\\u001b[2J", "\\u202e");
        assertThat(List.of(apply.all(), audit.all(), auditJson.all(), auditApi))
                .allSatisfy(text -> assertThat(text)
                        .doesNotContain("\u001b", "\u0007", "\u202e")
                        .doesNotContain("\\u001B", "\\u202E"));
        assertThat(auditJson.exitCode()).isZero();
    }

    /** A key whose content's serial carries {@link #HOSTILE}: the parser rejects it, quoting the serial. */
    private String hostileKey() {
        License license = new License(
                "LIC-1",
                1,
                VENDOR.keyId(),
                new Customer("C-77", "ACME Contact GmbH"),
                "ORD-4711",
                server.installationId(),
                License.features(Set.of("ACD")),
                25,
                LocalDate.parse("2026-12-01"),
                ZoneId.of("Europe/Berlin"),
                12,
                14,
                Instant.parse("2026-11-20T09:30:00Z"));
        String[] lines = new LicenseSigner(VENDOR).sign(license).strip().split("\n");
        StringBuilder base64 = new StringBuilder();
        for (int i = 1; i < lines.length - 1; i++) {
            base64.append(lines[i].strip());
        }
        String body = new String(Base64.getDecoder().decode(base64.toString()), StandardCharsets.ISO_8859_1);
        String hostile = body.replace(
                "serial: 1\n",
                "serial: 1" + new String(HOSTILE.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1) + "\n");
        assertThat(hostile).isNotEqualTo(body);
        return lines[0] + "\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'})
                        .encodeToString(hostile.getBytes(StandardCharsets.ISO_8859_1))
                + "\n" + lines[lines.length - 1] + "\n";
    }

    private String get(String path) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                            HttpRequest.newBuilder(URI.create(url + path))
                                    .header("Authorization", "Bearer " + ADMIN_TOKEN)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        }
    }
}
