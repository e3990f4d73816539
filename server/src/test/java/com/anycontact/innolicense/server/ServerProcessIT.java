package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.license.InstallationId;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code innolicense server} process: it prints its URL, an acked claim and the applied license
 * survive {@code kill -9}, and a restart on the same data directory serves them again.
 */
class ServerProcessIT {

    private static final Path JAR = Path.of("target", "innolicense.jar");
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:(\\d+))");
    private static final String ADMIN_TOKEN = "process-it-bootstrap-admin-token-0123456789";

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    /** A started server process and the port it printed. */
    private record Started(Process process, int port, long millisToListen, List<String> output) {}

    private Started startServer(Path data, Path trust) throws IOException, InterruptedException {
        long begin = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-jar",
                        JAR.toString(),
                        "server",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--data-dir",
                        data.toString(),
                        "--trust",
                        trust.toString())
                .redirectErrorStream(true);
        builder.environment().put("INNOLICENSE_ADMIN_PASSWORD", "a long admin password");
        builder.environment().put("INNOLICENSE_BOOTSTRAP_TOKEN", ADMIN_TOKEN);
        Process process = builder.start();
        processes.add(process);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(output ended: " + e + ")");
            }
        });
        List<String> output = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                assertThat(process.isAlive())
                        .as("server exited early: %s", output)
                        .isTrue();
                continue;
            }
            output.add(line);
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                return new Started(
                        process,
                        Integer.parseInt(matcher.group(2)),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin),
                        output);
            }
        }
        throw new AssertionError("the server printed no URL within 60 s: " + output);
    }

    @AfterEach
    void killAll() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anAckedClaimAndTheLicense_surviveKill9() throws Exception {
        assertThat(JAR).as("run 'mvn package' first").exists();
        Path data = dir.resolve("data");
        Path trust = TestVendor.writePublicKey(dir);

        Started first = startServer(data, trust);
        Api api = new Api(first.port());
        InstallationId installation = new InstallationId(api.get("/api/v1/license", ADMIN_TOKEN)
                .json()
                .path("installationId")
                .asText());
        Api.Reply applied = api.postText(
                "/api/v1/license",
                ADMIN_TOKEN,
                TestVendor.key(installation, 1, 10, java.time.LocalDate.now().minusDays(1)));
        String acd = api.postJson("/api/v1/tokens", ADMIN_TOKEN, "{\"name\": \"acd-1\", \"role\": \"ACD\"}")
                .json()
                .path("token")
                .asText();
        Api.Reply claimed = api.claim(acd, "agent-1");
        assertThat(applied.status()).isEqualTo(200);
        assertThat(claimed.status()).isEqualTo(201);

        first.process().destroyForcibly();
        assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.exists(data.resolve("innolicense.db"))).isTrue();

        Started second = startServer(data, trust);
        Api again = new Api(second.port());
        JsonNode status = again.get("/api/v1/license", ADMIN_TOKEN).json();
        JsonNode seats = again.get("/api/v1/seats", ADMIN_TOKEN).json();

        assertThat(status.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(status.path("installationId").asText()).isEqualTo(installation.value());
        assertThat(seats.path("leases")).singleElement().satisfies(lease -> {
            assertThat(lease.path("agentId").asText()).isEqualTo("agent-1");
            assertThat(java.time.Instant.parse(lease.path("expiresAt").asText()))
                    .as("after a crash a lease is held at least as long as acked (restart grace may extend it)")
                    .isAfterOrEqualTo(java.time.Instant.parse(
                            claimed.json().path("expiresAt").asText()));
        });
        assertThat(again.claim(acd, "agent-1").status())
                .as("the same token, the same seat")
                .isEqualTo(200);
        assertThat(first.output())
                .anySatisfy(
                        line -> assertThat(line).contains("state UNLICENSED", "installation " + installation.value()));
        System.out.printf(
                "server process listened after %d ms (first start) and %d ms (restart)%n",
                first.millisToListen(), second.millisToListen());
    }
}
