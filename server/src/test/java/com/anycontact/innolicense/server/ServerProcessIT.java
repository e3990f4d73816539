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
                        "--development-trust",
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
        InstallationId installation = installation(api);
        applyLicense(api, installation, 10);
        String acd = acdToken(api);
        Api.Reply claimed = api.claim(acd, "agent-1");
        assertThat(claimed.status()).isEqualTo(201);

        first.process().destroyForcibly();
        assertThat(first.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
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

    /**
     * Eight ACD threads log their agents in and out as fast as the server answers, through the fast path
     * (the same token over and over), when the server is killed: after the restart every agent whose last
     * answered call was a claim holds its seat, and every agent whose last answered call was a release holds
     * none. The one call each thread had in flight at the kill may have gone either way, so its agent is
     * not judged. (That an answer waits for its commit is shown deterministically by {@code
     * JournaledSeatStoreTest}, which holds the writer back; a kill at a random moment rarely falls between a
     * commit and its answers. This test shows the whole server keeps what it answered.)
     */
    @Test
    void claimsAndReleasesAnsweredByTheFastPath_surviveKill9MidLoad() throws Exception {
        Path data = dir.resolve("data");
        Path trust = TestVendor.writePublicKey(dir);
        Started first = startServer(data, trust);
        Api api = new Api(first.port());
        applyLicense(api, installation(api), 1000);
        String acd = acdToken(api);

        int threads = 8;
        int agentsPerThread = 20;
        java.util.Map<String, Boolean> ackedHeld = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.Set<String> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong answered = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> acds = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            acds.add(Thread.ofPlatform().start(() -> {
                Api mine = new Api(first.port());
                java.util.Random random = new java.util.Random(thread);
                while (!killed.get()) {
                    String agent = "agent-" + thread + "-" + random.nextInt(agentsPerThread);
                    boolean claim = !ackedHeld.getOrDefault(agent, false);
                    inFlight.add(agent);
                    Api.Reply reply;
                    try {
                        reply = claim ? mine.claim(acd, agent) : mine.delete("/api/v1/seats/" + agent, acd);
                    } catch (RuntimeException e) {
                        return; // the server is gone: this call's outcome is unknown
                    }
                    int expected = claim ? 201 : 204;
                    if (reply.status() != expected) {
                        throw new AssertionError(agent + ": " + reply.status() + " " + reply.body());
                    }
                    ackedHeld.put(agent, claim);
                    inFlight.remove(agent);
                    answered.incrementAndGet();
                }
            }));
        }
        // the kill comes once 2,000 calls were answered: in a few seconds on an idle machine, and in at most two
        // minutes on a crowded one, as this waits for a count of calls, not for a rate
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (answered.get() < 2_000 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        String scrape = api.get("/metrics", ADMIN_TOKEN).body();
        first.process().destroyForcibly();
        killed.set(true);
        assertThat(first.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        for (Thread acd1 : acds) {
            acd1.join(30_000);
        }
        assertThat(answered.get()).as("calls answered before the kill").isGreaterThanOrEqualTo(2_000);
        double fast = Api.sample(scrape, "innolicense_http_seat_fast_total");
        assertThat(fast).as("seat calls the fast path answered").isGreaterThan(1_000);

        Started second = startServer(data, trust);
        Api again = new Api(second.port());
        java.util.Set<String> held = new java.util.HashSet<>();
        again.get("/api/v1/seats", ADMIN_TOKEN)
                .json()
                .path("leases")
                .forEach(lease -> held.add(lease.path("agentId").asText()));
        java.util.Set<String> judged = new java.util.TreeSet<>(ackedHeld.keySet());
        judged.removeAll(inFlight);
        java.util.List<String> wrong = new ArrayList<>();
        for (String agent : judged) {
            if (ackedHeld.get(agent) != held.contains(agent)) {
                wrong.add(agent + (ackedHeld.get(agent) ? " acked held, lost" : " acked released, held"));
            }
        }
        System.out.printf(
                "kill -9 mid-load: %d calls answered (%.0f by the fast path), %d agents judged, %d held after the"
                        + " restart, %d wrong %s%n",
                answered.get(), fast, judged.size(), held.size(), wrong.size(), wrong);
        assertThat(wrong).isEmpty();
        assertThat(judged).hasSizeGreaterThan(threads * agentsPerThread / 2);
    }

    private static InstallationId installation(Api api) {
        return new InstallationId(api.get("/api/v1/license", ADMIN_TOKEN)
                .json()
                .path("installationId")
                .asText());
    }

    /** Applies a license with the seats, started yesterday, and requires it applied. */
    private static void applyLicense(Api api, InstallationId installation, int seats) {
        Api.Reply applied = api.postText(
                "/api/v1/license",
                ADMIN_TOKEN,
                TestVendor.key(installation, 1, seats, java.time.LocalDate.now().minusDays(1)));
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
    }

    private static String acdToken(Api api) {
        return api.postJson("/api/v1/tokens", ADMIN_TOKEN, "{\"name\": \"acd-1\", \"role\": \"ACD\"}")
                .json()
                .path("token")
                .asText();
    }
}
