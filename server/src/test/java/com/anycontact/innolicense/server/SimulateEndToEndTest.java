package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditQuery;
import com.anycontact.innolicense.cli.CliEnvironment;
import com.anycontact.innolicense.cli.Innolicense;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code innolicense simulate} against the real server on a free port, on real time: more agents than seats, so
 * that denials show; crashes, so that the server reaps; never more leases than capacity. The server's lease TTL
 * is 3 s and the run lasts 8 s; waits have deadlines, never fixed sleeps.
 */
class SimulateEndToEndTest {

    private static final int SEATS = 4;
    private static final Duration TTL = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SEATS_PATH = "/api/v1/seats";

    @TempDir
    Path data;

    private LicenseServer server;
    private Api api;
    private String acdToken;

    @BeforeEach
    void start() {
        server = LicenseServer.open(
                RunningServer.config(data).toBuilder().leaseTtl(TTL).build(),
                InstantSource.system(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        api = new Api(server.start());
        Api.Reply applied = api.postText(
                "/api/v1/license",
                RunningServer.ADMIN_TOKEN,
                TestVendor.key(
                        server.installationId(), 1, SEATS, LocalDate.now().minusDays(2)));
        assertThat(applied.status()).isEqualTo(200);
        Api.Reply token = api.postJson(
                "/api/v1/tokens", RunningServer.ADMIN_TOKEN, "{\"name\": \"simulator\", \"role\": \"ACD\"}");
        acdToken = token.json().path("token").asText();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private record Run(int exitCode, String err) {}

    /**
     * Runs the command on a thread of its own. Not on the common pool: the JDK's HttpClient completes the SDK's
     * requests there, and on a 2-core machine the common pool has one worker, which the waiting command would
     * hold.
     */
    private CompletableFuture<Run> simulate(String... args) {
        CompletableFuture<Run> run = new CompletableFuture<>();
        Thread.ofPlatform().name("simulate-command").start(() -> {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            CliEnvironment env = new CliEnvironment(
                    Map.of(), new ByteArrayInputStream(new byte[0]), prompt -> Optional.empty(), Clock.systemUTC());
            int exitCode = Innolicense.run(
                    args,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    env);
            run.complete(new Run(exitCode, err.toString(StandardCharsets.UTF_8)));
        });
        return run;
    }

    private String url() {
        return "http://127.0.0.1:" + server.start();
    }

    /** The URL of a port nothing listens on: its connections are refused. */
    private static String refusingUrl() throws java.io.IOException {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    /** Also: the first of the two servers given refuses connections, so the SDK fails over to the second. */
    @Test
    void moreAgentsThanSeats_areDenied_crashedSeatsAreReaped_andLeasesNeverExceedCapacity() throws Exception {
        CompletableFuture<Run> running = simulate(
                "simulate",
                "--server",
                refusingUrl() + "," + url(),
                "--token",
                acdToken,
                "--agents",
                "10",
                "--pattern",
                "steady",
                "--duration",
                "8s",
                "--crash-rate",
                "0.3",
                "--seed",
                "7");

        int mostLeases = 0;
        while (!running.isDone()) {
            JsonNode seats = api.get(SEATS_PATH, RunningServer.ADMIN_TOKEN).json();
            assertThat(seats.path("capacity").asInt()).isEqualTo(SEATS);
            assertThat(seats.path("leases").size()).isLessThanOrEqualTo(SEATS);
            mostLeases = Math.max(mostLeases, seats.path("leases").size());
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        Run run = running.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(mostLeases).isEqualTo(SEATS);
        assertThat(count(run.err(), "denials")).isPositive();
        assertThat(count(run.err(), "crashes")).as(run.err()).isPositive();
        assertThat(count(run.err(), "renewals")).isPositive();
        // 8 s on an idle machine; "under a minute" leaves a crowded build machine room to end the run and release
        assertThat(run.err()).contains("simulation ended after 0:00:", "10 agents, steady pattern, seed 7");
        await(
                "the crashed agents' seats reaped and the rest released",
                () -> api.get(SEATS_PATH, RunningServer.ADMIN_TOKEN)
                        .json()
                        .path("leases")
                        .isEmpty());
        List<AuditEvent> reaped = server.audit().find(AuditQuery.newest(100).withType(AuditEvent.Type.LEASES_REAPED));
        assertThat(reaped).isNotEmpty();
        assertThat(reaped).allSatisfy(event -> assertThat(event.detail()).contains("expired: sim-agent-"));
        // a denial is audited on its own once a minute per agent at most, and the run lasts less than a minute
        List<AuditEvent> denials = server.audit().find(AuditQuery.newest(1000).withType(AuditEvent.Type.CLAIM_DENIED));
        assertThat(denials).isNotEmpty().hasSizeLessThanOrEqualTo((int) count(run.err(), "denials"));
        assertThat(denials.stream()
                        .map(event -> event.detail().substring(0, event.detail().indexOf(':'))))
                .as("one entry per agent denied")
                .doesNotHaveDuplicates();
    }

    @Test
    void aTokenTheServerRefuses_endsTheSimulationAtOnceWithAnError() throws Exception {
        Run run = simulate(
                        "simulate",
                        "--server",
                        url(),
                        "--token",
                        "il_not-a-token-this-server-knows-0123456789",
                        "--agents",
                        "3",
                        "--pattern",
                        "burst",
                        "--duration",
                        "1m")
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(run.exitCode()).isEqualTo(3);
        // at once, not after the minute it was given: within seconds on an idle machine, under a minute on any
        assertThat(run.err()).contains("simulation failed after 0:00:", "error: the simulation stopped:", "401");
    }

    @Test
    void usageErrors_nameTheOptionAndWhatItTakes() throws Exception {
        Run pattern =
                simulate("simulate", "--token", acdToken, "--pattern", "wavy").get();
        Run duration =
                simulate("simulate", "--token", acdToken, "--duration", "500ms").get();
        Run noToken = simulate("simulate", "--server", url()).get();

        assertThat(pattern.exitCode()).isEqualTo(2);
        assertThat(pattern.err()).contains("--pattern: 'wavy' is not one of shift, steady, burst");
        assertThat(duration.exitCode()).isEqualTo(2);
        assertThat(duration.err()).contains("--duration: '500ms'", "at least 1s");
        assertThat(noToken.exitCode()).isEqualTo(2);
        assertThat(noToken.err()).contains("--token or INNOLICENSE_TOKEN");
    }

    /** A count in the summary: the last one printed. */
    private static long count(String output, String what) {
        Matcher matcher = Pattern.compile(what + " (\\d+)").matcher(output);
        Long last = null;
        while (matcher.find()) {
            last = Long.parseLong(matcher.group(1));
        }
        assertThat(last).as("'%s' in %s", what, output).isNotNull();
        return last;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }
}
