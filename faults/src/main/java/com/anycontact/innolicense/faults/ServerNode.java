package com.anycontact.innolicense.faults;

import com.anycontact.innolicense.license.InstallationId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One server process under test, on its own data directory and port, which survive its restarts: the real {@code
 * java -jar innolicense.jar server}, or the same server wired by {@link
 * com.anycontact.innolicense.server.FaultTestServer} with a stepped wall clock or a broken seat store. The harness
 * kills it with {@code SIGKILL}, pauses it with {@code SIGSTOP}, and steps its wall clock through a clock file
 * ({@link Clock}); {@link System#nanoTime()} stays real either way.
 *
 * <p>Modelled on the bench module's {@code ServerProcess}, which starts a server once; this one restarts it on
 * the same data directory and port, so that the agents' calls go on to the same address. Design for several: each
 * node has its own directory, port and clock file; a cluster run makes one per node over a shared database.
 */
final class ServerNode implements AutoCloseable {

    /**
     * The server's flag for trusting a vendor key that is not built in (development trust, docs/trust.md); the only
     * place the harness names it.
     */
    static final String TRUST_FLAG = "--development-trust";

    /** The shared library of Debian's {@code libfaketime} package. */
    static final Path LIBFAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How to launch the server.
     *
     * @param jar the server's shaded jar ({@code server/target/innolicense.jar})
     * @param brokenStore empty for the real server; otherwise the broken seat store {@link
     *     com.anycontact.innolicense.server.FaultTestServer} wires in, e.g. {@code off-by-one}
     * @param leaseTtl the server's lease TTL
     * @param clock how the harness steps the server's wall clock, if at all
     * @param database empty for the embedded SQLite server; otherwise the cluster database's URL ({@code
     *     --database}), with which the node also gets a clock-offset bound of a quarter of the lease TTL (the server
     *     wants less than a third)
     */
    record Launch(Path jar, String brokenStore, Duration leaseTtl, Clock clock, String database) {
        Launch {
            Objects.requireNonNull(jar, "jar");
            Objects.requireNonNull(brokenStore, "brokenStore");
            Objects.requireNonNull(leaseTtl, "leaseTtl");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(database, "database");
        }

        /** An embedded server on SQLite. */
        Launch(Path jar, String brokenStore, Duration leaseTtl, Clock clock) {
            this(jar, brokenStore, leaseTtl, clock, "");
        }

        /** Whether the server is started by {@code FaultTestServer} rather than {@code innolicense server}. */
        boolean faultTestServer() {
            return !brokenStore.isEmpty() || clock == Clock.INJECTED;
        }
    }

    /** How the server's wall clock can be stepped. */
    enum Clock {
        /** Not at all: the system clock. */
        SYSTEM,
        /**
         * A {@link SteppedClock} given to the server as its time source by {@code FaultTestServer}: the default, as
         * fast as the system clock.
         */
        INJECTED,
        /**
         * Debian's libfaketime preloaded into {@code innolicense server} ({@code FAKETIME_TIMESTAMP_FILE}, {@code
         * FAKETIME_DONT_FAKE_MONOTONIC=1}): it moves {@code Instant.now()} and leaves {@code System.nanoTime()}
         * alone, but makes the JVM several times slower (futex storms), see docs/reliability.md.
         */
        FAKETIME
    }

    private final int id;
    private Launch launch;
    private final Path workDirectory;
    private final Path dataDirectory;
    private final Path trustFile;
    private final Path clockFile;
    private final Path log;
    private final Admin admin;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private volatile int port;
    private volatile URI base;
    private volatile Process process;
    private volatile boolean paused;
    private InstallationId installation;

    /**
     * The admin's credentials a node is started with ({@code INNOLICENSE_BOOTSTRAP_TOKEN}, {@code
     * INNOLICENSE_ADMIN_PASSWORD}); the nodes of a cluster share one pair, as they share the user table.
     *
     * @param token the admin API token
     * @param password the password of the user {@code admin}
     */
    record Admin(String token, String password) {
        /** New random credentials. */
        static Admin random() {
            return new Admin(secret(), secret());
        }
    }

    /**
     * A node that is not started yet, with credentials of its own.
     *
     * @param id its number in the run, from 0
     * @param launch how to start it
     * @param workDirectory its directory: the trust file, the clock file and the log; the data directory is
     *     {@code data} inside, which the caller may have mounted a small filesystem on
     * @param vendor the run's vendor, whose public key the server trusts
     */
    ServerNode(int id, Launch launch, Path workDirectory, RunVendor vendor) throws IOException {
        this(id, launch, workDirectory, vendor, Admin.random());
    }

    /**
     * A node that is not started yet.
     *
     * @param id its number in the run, from 0
     * @param launch how to start it
     * @param workDirectory its directory: the trust file, the clock file and the log; the data directory is
     *     {@code data} inside
     * @param vendor the run's vendor, whose public key the server trusts
     * @param admin the admin's credentials, the same for every node of a cluster
     */
    ServerNode(int id, Launch launch, Path workDirectory, RunVendor vendor, Admin admin) throws IOException {
        this.id = id;
        this.launch = Objects.requireNonNull(launch, "launch");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.workDirectory = Files.createDirectories(workDirectory);
        this.dataDirectory = Files.createDirectories(workDirectory.resolve("data"));
        this.trustFile = Files.writeString(workDirectory.resolve("vendor-public-key.pem"), vendor.publicKeyPem());
        this.clockFile = workDirectory.resolve("faketime");
        this.log = workDirectory.resolve("server.log");
        Files.writeString(clockFile, "+0\n");
        this.port = freePort();
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** The node's number in the run. */
    int id() {
        return id;
    }

    /** The server's base URI; it changes only when a restart finds the port taken. */
    URI base() {
        return base;
    }

    /** The data directory, with {@code innolicense.db}. */
    Path dataDirectory() {
        return dataDirectory;
    }

    /** The SQLite database file. */
    Path database() {
        return dataDirectory.resolve("innolicense.db");
    }

    /** The server's log, appended to across restarts. */
    Path log() {
        return log;
    }

    /** The admin token, for the setup calls. */
    String adminToken() {
        return admin.token();
    }

    /**
     * Whether the node says it leads the cluster ({@code cluster.leader} in {@code GET /health/ready}); false when
     * it does not answer within five seconds.
     */
    boolean leads() throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(base.resolve("/health/ready"))
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body()).path("cluster").path("leader").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }

    /** The process ID of the running server. */
    long pid() {
        return process.pid();
    }

    /** Launches the server and waits until it answers the admin token. */
    void start() throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            process = launch();
            try {
                awaitReady();
                return;
            } catch (PortTaken e) {
                if (attempt == 3) {
                    throw new IOException("node " + id + " could not listen on a free port: " + tail());
                }
                port = freePort();
                base = URI.create("http://127.0.0.1:" + port);
            } catch (ExitedAtStart e) {
                // A start that failed by itself (a cluster node that could not connect to PostgreSQL within its
                // connect timeout on an overloaded machine) is not the fault under test: launch it again.
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /**
     * Applies an ACTIVE license with the seats and creates an ACD token; once, after the first start.
     *
     * @return the ACD token, for the agents
     */
    String setUp(RunVendor vendor, int seats) throws IOException, InterruptedException {
        answered(
                admin("/api/v1/license")
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString(vendor.activeLicenseKey(installation, 1, seats)))
                        .build(),
                200,
                "applying a license of " + seats + " seats");
        return Objects.requireNonNull(
                createToken("faults-acd").path("token").textValue(), "the token answer names no token");
    }

    /** The license status as AC Admin shows it ({@code GET /api/v1/license}). */
    JsonNode licenseStatus() throws IOException, InterruptedException {
        return answered(admin("/api/v1/license").GET().build(), 200, "reading the license status");
    }

    /**
     * Creates an API token of the ACD role: an administrator's write, audited as {@code TOKEN_CREATED}.
     *
     * @return the answer: the token, with its {@code createdAt}
     */
    JsonNode createToken(String name) throws IOException, InterruptedException {
        return answered(
                admin("/api/v1/tokens")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode()
                                .put("name", name)
                                .put("role", "ACD")
                                .toString()))
                        .build(),
                201,
                "creating the API token " + name);
    }

    /** The audit entries dated at or after the instant, newest first, at most ten ({@code GET /api/v1/audit}). */
    JsonNode auditFrom(Instant from) throws IOException, InterruptedException {
        return answered(admin("/api/v1/audit?limit=10&from=" + from).GET().build(), 200, "reading the audit log")
                .path("events");
    }

    /** The node's newest audit entries, newest first ({@code GET /api/v1/audit?limit=}). */
    JsonNode newestAudit(int limit) throws IOException, InterruptedException {
        return answered(admin("/api/v1/audit?limit=" + limit).GET().build(), 200, "reading the audit log")
                .path("events");
    }

    private JsonNode answered(HttpRequest request, int expected, String what) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IOException(
                    "node " + id + ": " + what + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** {@code kill -9}: the process dies at once, mid-commit or wherever it was. */
    void kill() throws InterruptedException {
        Process running = process;
        if (paused) {
            resume();
        }
        running.destroyForcibly(); // SIGKILL on Linux
        if (!running.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + id + " (pid " + running.pid() + ") survived SIGKILL");
        }
    }

    /** {@code SIGSTOP}: the process freezes, its sockets keep accepting into the backlog. */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
        paused = true;
    }

    /** {@code SIGCONT}. */
    void resume() throws InterruptedException {
        try {
            signal("CONT");
        } catch (IOException e) {
            throw new IllegalStateException("cannot resume node " + id, e);
        }
        paused = false;
    }

    /**
     * Runs the server with the given clock from its next {@link #start}: the clock file stays the same, so an
     * offset set with {@link #clockOffset} holds across the change. For a node that is stopped.
     */
    void useClock(Clock clock) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("node " + id + " is running: stop it before changing its clock");
        }
        launch = new Launch(launch.jar(), launch.brokenStore(), launch.leaseTtl(), clock, launch.database());
    }

    /**
     * Sets the server's wall clock to real time plus the offset, through libfaketime's timestamp file (re-read at
     * most once a second by the server).
     */
    void clockOffset(Duration offset) throws IOException {
        if (launch.clock() == Clock.SYSTEM) {
            throw new IllegalStateException("node " + id + " was not started with a fake clock");
        }
        long seconds = offset.toSeconds();
        Path next = workDirectory.resolve("faketime.next");
        Files.writeString(next, (seconds >= 0 ? "+" : "") + seconds + "\n");
        Files.move(next, clockFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The last lines of the server's log. */
    String tail() throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Stops the server: SIGCONT if paused, SIGTERM, SIGKILL after ten seconds. */
    @Override
    public void close() throws InterruptedException {
        Process running = process;
        if (running != null && running.isAlive()) {
            if (paused) {
                resume();
            }
            running.destroy();
            if (!running.waitFor(10, TimeUnit.SECONDS)) {
                running.destroyForcibly();
                running.waitFor(10, TimeUnit.SECONDS);
            }
        }
        http.close();
    }

    private Process launch() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx512m", "--enable-native-access=ALL-UNNAMED"));
        if (!launch.faultTestServer()) {
            command.addAll(List.of("-jar", launch.jar().toString(), "server"));
        } else {
            command.addAll(List.of(
                    "-cp",
                    launch.jar() + java.io.File.pathSeparator + ownClasses(),
                    com.anycontact.innolicense.server.FaultTestServer.class.getName()));
            if (!launch.brokenStore().isEmpty()) {
                command.addAll(List.of("--broken-store", launch.brokenStore()));
            }
            if (launch.clock() == Clock.INJECTED) {
                command.addAll(List.of("--clock-file", clockFile.toString()));
            }
        }
        command.addAll(List.of(
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--data-dir",
                dataDirectory.toString(),
                TRUST_FLAG,
                trustFile.toString(),
                "--lease-ttl",
                launch.leaseTtl().toMillis() + "ms"));
        if (!launch.database().isEmpty()) {
            command.addAll(List.of(
                    "--database",
                    launch.database(),
                    "--max-clock-offset",
                    launch.leaseTtl().dividedBy(4).toMillis() + "ms"));
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("INNOLICENSE_BOOTSTRAP_TOKEN", admin.token());
        builder.environment().put("INNOLICENSE_ADMIN_PASSWORD", admin.password());
        if (launch.clock() == Clock.FAKETIME) {
            builder.environment().put("LD_PRELOAD", LIBFAKETIME.toString());
            builder.environment().put("FAKETIME_TIMESTAMP_FILE", clockFile.toString());
            builder.environment().put("FAKETIME_CACHE_DURATION", "1");
            builder.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        }
        Files.writeString(
                log,
                "=== faults: launching node " + id + ": " + String.join(" ", command) + "\n",
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        return builder.start();
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                String tail = tail();
                if (tail.contains("cannot listen on") || tail.contains("Port already in use")) {
                    throw new PortTaken();
                }
                throw new ExitedAtStart("node " + id + " exited with code " + process.exitValue() + ": " + tail);
            }
            try {
                HttpResponse<String> response =
                        http.send(admin("/api/v1/license").GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && !process.isAlive()) {
                    continue; // another process answered on this port: this one's exit is judged above
                }
                if (response.statusCode() == 200) {
                    JsonNode status = JSON.readTree(response.body());
                    installation =
                            new InstallationId(status.path("installationId").asText());
                    return;
                }
                if (response.statusCode() < 500 || System.nanoTime() > deadline) {
                    throw new IOException("node " + id + " answered " + response.statusCode() + " to the admin token: "
                            + response.body());
                }
                // a server fault while starting (a cluster node whose pool is still busy): not ready yet
                Thread.sleep(250);
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("node " + id + " did not listen within " + STARTUP_TIMEOUT + ": " + tail());
                }
                Thread.sleep(50);
            } catch (java.net.http.HttpTimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("node " + id + " did not answer within " + STARTUP_TIMEOUT + ": " + tail());
                }
            }
        }
    }

    private HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + admin.token());
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .redirectErrorStream(true)
                .start();
        String output = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed: " + output);
        }
    }

    /** Where this module's classes are, for the class path of a server started from a main of its own. */
    static String ownClasses() {
        try {
            return Path.of(ServerNode.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot locate the faults module's classes", e);
        }
    }

    /** Every port handed to a node of this run, so that no two nodes are ever given the same one. */
    private static final Set<Integer> PORTS_HANDED_OUT = new HashSet<>();

    /**
     * A port free now and never handed to another node of this run: the kernel may give the same free port to two
     * nodes made one after another before either listens (seen once: two cluster nodes on one port, the second one
     * dead at start while its ready check was answered by the first).
     */
    private static int freePort() throws IOException {
        synchronized (PORTS_HANDED_OUT) {
            while (true) {
                try (ServerSocket socket = new ServerSocket(0)) {
                    if (PORTS_HANDED_OUT.add(socket.getLocalPort())) {
                        return socket.getLocalPort();
                    }
                }
            }
        }
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The server exited while starting, for another reason than its port. */
    private static final class ExitedAtStart extends IOException {
        private static final long serialVersionUID = 1L;

        ExitedAtStart(String message) {
            super(message);
        }
    }

    /** The server exited because its port was taken meanwhile. */
    private static final class PortTaken extends IOException {
        private static final long serialVersionUID = 1L;
    }
}
