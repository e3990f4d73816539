package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server's log: JSON lines in a log file for log shippers, and no secret in it or on the console,
 * even with the server's own areas at DEBUG.
 */
class ServerLogIT {

    private static final String PASSWORD = "log-test admin password 7f3a";
    private static final String TOKEN = "log-test-bootstrap-admin-token-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void jsonLinesInTheLogFile_andNoSecretAnywhere() throws Exception {
        Path log = dir.resolve("logs").resolve("innolicense.log");
        ServerProcess server = ServerProcess.start(
                dir.resolve("data"),
                Map.of("INNOLICENSE_ADMIN_PASSWORD", PASSWORD, "INNOLICENSE_BOOTSTRAP_TOKEN", TOKEN),
                "--log-format",
                "json",
                "--log-file",
                log.toString(),
                "--log-level",
                "com.anycontact.innolicense=debug");
        try {
            int port = awaitPortInLog(server, log);
            Api api = new Api(port);
            assertThat(api.get("/api/v1/license", TOKEN).status()).isEqualTo(200);
            assertThat(api.get("/api/v1/license", "not-" + TOKEN).status()).isEqualTo(401);
            new ProcessBuilder("kill", "-TERM", Long.toString(server.process().pid()))
                    .start()
                    .waitFor();
            assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(server.process().exitValue()).isZero();
        } finally {
            server.kill();
        }

        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = lines.stream().map(line -> parse(json, line)).toList();
        assertThat(events)
                .anySatisfy(event -> {
                    assertThat(event.path("level").asText()).isEqualTo("INFO");
                    assertThat(event.path("loggerName").asText()).endsWith("LicenseServer");
                    assertThat(event.path("formattedMessage").asText()).contains("innolicense server listening on");
                })
                .anySatisfy(event ->
                        assertThat(event.path("formattedMessage").asText()).contains("stopped"));
        String everything = String.join("\n", lines) + String.join("\n", server.awaitOutput());
        assertThat(everything).doesNotContain(PASSWORD).doesNotContain(TOKEN);
    }

    private static JsonNode parse(ObjectMapper json, String line) {
        try {
            return json.readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    private static int awaitPortInLog(ServerProcess server, Path log) throws Exception {
        java.util.regex.Pattern listening =
                java.util.regex.Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    java.util.regex.Matcher matcher = listening.matcher(parse(new ObjectMapper(), line)
                            .path("formattedMessage")
                            .asText());
                    if (matcher.find()) {
                        return Integer.parseInt(matcher.group(1));
                    }
                }
            }
            assertThat(server.process().isAlive())
                    .as("server exited: %s", server.output())
                    .isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("no startup line in " + log + ": " + server.output());
    }
}
