package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.demo.Demo;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo on the real server in this JVM on a free port: a sample license applied, the printed admin password
 * signs in, simulated agents hold seats within seconds, and stopping leaves nothing behind. On real time; the
 * one wait has a deadline: a minute, like {@code DemoProcessIT}'s, though agents hold seats within seconds on an
 * idle machine, since the wait ends when they do and a crowded machine must not fail it.
 */
class DemoServerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern PASSWORD = Pattern.compile("user admin, password (\\S+)");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dataDirectory;

    private Demo demo;
    private LicenseServer server;

    @AfterEach
    void stop() {
        if (demo != null) {
            demo.stopAgents();
        }
        if (server != null) {
            server.close();
        }
        if (demo != null) {
            demo.deleteData();
        }
    }

    private Api start() {
        return start(Path.of("data-not-used"), false);
    }

    private Api start(Path dataDirectory, boolean dataDirectoryGiven) {
        ServerConfig loaded = ServerConfig.of("127.0.0.1", 0, dataDirectory, List.of());
        demo = Demo.prepare(loaded, dataDirectoryGiven, Clock.system(ZoneId.of("Europe/Berlin")));
        server = LicenseServer.open(
                demo.config(), InstantSource.system(), new PrintStream(out, true, StandardCharsets.UTF_8));
        Api api = new Api(server.start());
        demo.begin(
                server,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return api;
    }

    @Test
    void demo_appliesTheSampleLicense_signsInWithThePrintedPassword_andAgentsHoldSeatsWithinSeconds() {
        Api api = start();
        String banner = out.toString(StandardCharsets.UTF_8);
        Matcher password = PASSWORD.matcher(banner);
        assertThat(password.find()).as(banner).isTrue();
        Api.Reply login = api.postJson(
                "/api/v1/session", null, "{\"username\": \"admin\", \"password\": \"" + password.group(1) + "\"}");
        assertThat(login.status()).isEqualTo(200);
        String setCookie = login.header("Set-Cookie").orElseThrow();
        Map<String, String> cookie = Map.of("Cookie", setCookie.substring(0, setCookie.indexOf(';')));

        JsonNode license =
                api.request("GET", "/api/v1/license", null, null, cookie).json();
        assertThat(license.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(license.path("capacity").asInt()).isEqualTo(Demo.SEATS);
        assertThat(license.path("license").path("customer").path("name").asText())
                .isEqualTo(Demo.CUSTOMER);
        assertThat(license.path("features"))
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("ACD", "IVR", "RECORDING", "REPORTING", "CHAT");
        assertThat(license.path("trust").path("mode").asText()).isEqualTo("DEVELOPMENT");
        assertThat(license.path("trust").path("keys"))
                .anySatisfy(key -> assertThat(key.path("source").asText()).isEqualTo("DEVELOPMENT"));

        long deadline = System.nanoTime() + WAIT.toNanos();
        int held = 0;
        while (held < 5) {
            assertThat(System.nanoTime()).as("waiting for agents to hold seats").isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            held = api.request("GET", "/api/v1/seats", null, null, cookie)
                    .json()
                    .path("leases")
                    .size();
        }

        JsonNode tokens =
                api.request("GET", "/api/v1/tokens", null, null, cookie).json().path("tokens");
        assertThat(tokens).extracting(token -> token.path("name").asText()).contains("bootstrap", "demo-simulator");
        assertThat(banner)
                .contains("Open      " + server.url())
                .contains(Demo.CUSTOMER + ": 50 seats, ACD, CHAT, IVR, RECORDING, REPORTING; ACTIVE until ")
                .contains("(deleted when the server stops)");
    }

    @Test
    void demo_refusesADataDirectoryThatHoldsAnInstallation() {
        Path existing = dataDirectory.resolve("real");
        RunningServer.start(existing).close();

        ServerConfig loaded = ServerConfig.of("127.0.0.1", 0, existing, List.of());
        assertThatThrownBy(() -> Demo.prepare(loaded, true, Clock.systemUTC()))
                .isInstanceOf(StartupRefused.class)
                .hasMessageContaining("never runs on an existing installation")
                .hasMessageContaining(existing.toString());
    }

    @Test
    void aDemoLicenseLeftInADataDirectory_isIgnoredByANormalServer_andBlocksNoLaterVendorKey() {
        Path directory = dataDirectory.resolve("was-empty");
        start(directory, true);
        demo.stopAgents();
        server.close();
        server = null;
        demo = null;

        try (RunningServer normal = RunningServer.start(directory)) {
            JsonNode status =
                    normal.api.get("/api/v1/license", RunningServer.ADMIN_TOKEN).json();
            assertThat(status.path("state").asText()).isEqualTo("UNLICENSED");
            assertThat(status.path("capacity").asInt()).isEqualTo(2);
            assertThat(status.path("ignoredLicenses")).singleElement().satisfies(ignored -> {
                assertThat(ignored.path("licenseId").asText()).startsWith("DEMO-");
                assertThat(ignored.path("reason").asText()).isEqualTo("UNKNOWN_KEY_ID");
            });

            normal.apply(1, 10);
            assertThat(normal.api
                            .get("/api/v1/license", RunningServer.ADMIN_TOKEN)
                            .json()
                            .path("capacity")
                            .asInt())
                    .isEqualTo(10);
        }
    }

    @Test
    void demo_revokesItsSetupToken_andStoppingDeletesItsTemporaryData() {
        Api api = start();
        Path data = demo.config().dataDirectory();
        assertThat(Files.exists(data.resolve("innolicense.db"))).isTrue();

        Api.Reply withSetupToken =
                api.get("/api/v1/license", demo.config().bootstrapToken().orElseThrow());

        demo.stopAgents();
        server.close();
        server = null;
        demo.deleteData();
        assertThat(withSetupToken.status()).isEqualTo(401);
        assertThat(data).doesNotExist();
        assertThat(demo.simulation().orElseThrow().progress().held()).isZero();
        demo = null;
    }
}
