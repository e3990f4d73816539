package com.anycontact.innolicense.bench.load;

import com.anycontact.innolicense.bench.BenchLicenses;
import com.anycontact.innolicense.license.InstallationId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Our license server as a separate process: {@code java -jar innolicense.jar server} on a free
 * loopback port with a fresh data directory, trusting a vendor key made for this run. Once it is up
 * it holds an admin token (from {@code INNOLICENSE_BOOTSTRAP_TOKEN}) and an ACD token, and applies
 * license keys with ever higher serials to set the capacity.
 *
 * <p>Or a server this run did not start ({@link #attach}): a node on a machine of its own, started from a
 * {@link BenchKit}. Then there is no process here: its processor time and memory cannot be read, and {@link
 * #close} leaves it running.
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The process, or {@code null} for a server started elsewhere ({@link #attach}). */
    private final Process process;

    private final URI base;
    private final String adminToken;
    private final HttpClient http;
    private final BenchLicenses licenses;
    private final Path pidFile;
    private InstallationId installation;
    private String acdToken;
    private long serial;

    private ServerProcess(
            Process process, URI base, String adminToken, HttpClient http, BenchLicenses licenses, Path pidFile) {
        this.process = process;
        this.base = base;
        this.adminToken = adminToken;
        this.http = http;
        this.licenses = licenses;
        this.pidFile = pidFile;
    }

    /**
     * Starts the server and waits until it answers.
     *
     * @param jar the server's shaded jar ({@code server/target/innolicense.jar})
     * @param workDirectory a fresh directory for the data, the trust file and the log
     * @param leaseTtl the server's lease TTL
     * @param jvmOptions options for the server's JVM, e.g. {@code -Xmx512m}
     * @param pidDirectory where to note the server's PID so that a script can stop it after a crash
     *     of this process, or {@code null}
     */
    static ServerProcess start(
            Path jar, Path workDirectory, Duration leaseTtl, List<String> jvmOptions, Path pidDirectory)
            throws IOException, InterruptedException {
        return start(
                jar, workDirectory, leaseTtl, jvmOptions, pidDirectory, BenchLicenses.generate(), secret(), List.of());
    }

    /**
     * Starts a server as {@link #start(Path, Path, Duration, List, Path)} does, trusting the given vendor key,
     * with the given admin token and further {@code server} options: how the nodes of one cluster start ({@code
     * --database URL}, the same key and token on every node).
     *
     * @param licenses the vendor key the server trusts and its licenses are signed with
     * @param adminToken the value of {@code INNOLICENSE_BOOTSTRAP_TOKEN}
     * @param serverOptions further options of the {@code server} command, e.g. {@code --database URL}
     */
    static ServerProcess start(
            Path jar,
            Path workDirectory,
            Duration leaseTtl,
            List<String> jvmOptions,
            Path pidDirectory,
            BenchLicenses licenses,
            String adminToken,
            List<String> serverOptions)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no server jar at " + jar + "; build it with ./mvnw -B -pl server -am package");
        }
        Files.createDirectories(workDirectory);
        Path trust = workDirectory.resolve("vendor-public-key.pem");
        Files.writeString(trust, licenses.publicKey().toPem());
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                jar.toString(),
                "server",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--data-dir",
                workDirectory.resolve("data").toString(),
                "--development-trust",
                trust.toString(),
                "--lease-ttl",
                leaseTtl.toMillis() + "ms"));
        command.addAll(serverOptions);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(workDirectory.resolve("server.log").toFile());
        builder.environment().put("INNOLICENSE_BOOTSTRAP_TOKEN", adminToken);
        builder.environment().put("INNOLICENSE_ADMIN_PASSWORD", secret());
        Process process = builder.start();
        Path pidFile = null;
        if (pidDirectory != null) {
            Files.createDirectories(pidDirectory);
            pidFile = pidDirectory.resolve("server-" + process.pid() + ".pid");
            Files.writeString(pidFile, process.pid() + "\n");
        }
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        ServerProcess server =
                new ServerProcess(process, URI.create("http://127.0.0.1:" + port), adminToken, http, licenses, pidFile);
        try {
            server.awaitReady(workDirectory.resolve("server.log"));
            server.acdToken = server.createAcdToken();
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * A server started elsewhere (a node on a machine of its own, from a {@link BenchKit}): waits until it answers
     * the kit's admin token, then makes an ACD token on it.
     *
     * @param base the server's base URI, e.g. {@code http://10.0.0.12:8080}
     * @param licenses the vendor key the server trusts
     * @param adminToken its bootstrap admin token
     */
    static ServerProcess attach(URI base, BenchLicenses licenses, String adminToken)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        ServerProcess server = new ServerProcess(null, base, adminToken, http, licenses, null);
        try {
            server.awaitReady(null);
            server.acdToken = server.createAcdToken();
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            http.close();
            throw e;
        }
    }

    /** The server's base URI, e.g. {@code http://127.0.0.1:41234}. */
    URI base() {
        return base;
    }

    /** An ACD token, for seat requests. */
    String acdToken() {
        return acdToken;
    }

    /** The server's process ID. */
    long pid() {
        return localProcess("its process ID").pid();
    }

    /** Whether the process still runs; for a server started elsewhere, whether it answers {@code /health/live}. */
    boolean isAlive() {
        if (process != null) {
            return process.isAlive();
        }
        try {
            HttpResponse<Void> live = http.send(
                    HttpRequest.newBuilder(base.resolve("/health/live"))
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return live.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Applies a license with the given seats, active from yesterday, with a serial above every
     * earlier one, so that it takes effect at once.
     *
     * @throws IOException when the server does not answer 200
     */
    void applyLicense(int seats) throws IOException, InterruptedException {
        serial++;
        String key = licenses.keyText(licenses.activeLicense(installation, serial, seats));
        HttpResponse<String> response = http.send(
                admin("/api/v1/license")
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString(key))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("applying a license of " + seats + " seats answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    /** The capacity this server enforces now, as {@code GET /api/v1/license} says. */
    int capacity() throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(admin("/api/v1/license").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the license status answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).path("capacity").asInt(-1);
    }

    /**
     * Runs a diagnostic command on the server's JVM with {@code jcmd}, e.g. {@code GC.heap_info}.
     *
     * @return what jcmd printed
     */
    String jcmd(String... arguments) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> command = new ArrayList<>();
        command.add(jcmd.toString());
        command.add(Long.toString(localProcess("jcmd").pid()));
        command.addAll(List.of(arguments));
        Process run = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!run.waitFor(60, TimeUnit.SECONDS) || run.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", arguments) + " failed: " + output);
        }
        return output;
    }

    /**
     * The CPU time the server process has used so far (user and system), from {@code /proc}, or
     * -1 where that cannot be read.
     */
    Duration cpuTime() {
        if (process == null) {
            return Duration.ofNanos(-1);
        }
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ofNanos(-1));
    }

    /**
     * The server process's resident memory now and at its peak ({@code VmRSS} and {@code VmHWM} of {@code
     * /proc/<pid>/status}), in bytes; both -1 where that cannot be read.
     */
    Memory memory() {
        if (process == null) {
            return new Memory(-1, -1);
        }
        try {
            long resident = -1;
            long peak = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    resident = kilobytes(line) * 1024;
                } else if (line.startsWith("VmHWM:")) {
                    peak = kilobytes(line) * 1024;
                }
            }
            return new Memory(resident, peak);
        } catch (IOException | RuntimeException e) {
            return new Memory(-1, -1);
        }
    }

    private static long kilobytes(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }

    /** A process's resident memory now and at its peak, in bytes. */
    record Memory(long resident, long peak) {}

    /**
     * Stops the server: SIGTERM, then SIGKILL after ten seconds. A server started elsewhere is left running:
     * only this run's HTTP client is closed.
     */
    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            http.close();
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        http.close();
        if (pidFile != null) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Process localProcess(String what) {
        if (process == null) {
            throw new IllegalStateException(
                    "the server at " + base + " runs elsewhere: " + what + " cannot be had from here");
        }
        return process;
    }

    /**
     * Waits until the server answers the admin token, and learns its installation and the highest serial applied
     * on it (a kit's database keeps the licenses of earlier runs, and a key must have a higher serial to apply).
     *
     * @param log the server's log, quoted when it fails to start; {@code null} for a server started elsewhere
     */
    private void awaitReady(Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (true) {
            if (process != null && !process.isAlive()) {
                throw new IOException("the server exited with code " + process.exitValue() + ": " + tail(log));
            }
            try {
                HttpResponse<String> response =
                        http.send(admin("/api/v1/license").GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    JsonNode status = JSON.readTree(response.body());
                    installation =
                            new InstallationId(status.path("installationId").asText());
                    serial = Math.max(
                            status.path("license").path("serial").asLong(0),
                            status.path("pending").path("serial").asLong(0));
                    return;
                }
                throw new IOException(
                        "the server answered " + response.statusCode() + " to the admin token: " + response.body());
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the server at " + base + " did not listen within " + STARTUP_TIMEOUT + ": "
                            + (log != null ? tail(log) : "is it started, and is the address right?"));
                }
                Thread.sleep(100);
            }
        }
    }

    private String createAcdToken() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                admin("/api/v1/tokens")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench-acd\",\"role\":\"ACD\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new IOException("creating an ACD token answered " + response.statusCode() + ": " + response.body());
        }
        return Objects.requireNonNull(
                JSON.readTree(response.body()).path("token").textValue(), "the token answer names no token");
    }

    private HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken);
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String secret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
