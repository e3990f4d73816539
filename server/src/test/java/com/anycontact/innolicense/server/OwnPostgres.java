package com.anycontact.innolicense.server;

import com.anycontact.innolicense.store.postgres.PostgresUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL server of one test's own, started by {@code scripts/start-postgres}, that the test may stop and start
 * again (an outage of the cluster database) without disturbing the shared test server. Needs the PostgreSQL 15
 * binaries that {@code .ci/run} installs; like {@link TestPostgres}, the test is skipped loudly when {@code
 * INNOLICENSE_TEST_POSTGRES_URL} is not set. As root, {@code pg_ctl} runs as the user postgres, as the script does.
 */
final class OwnPostgres implements AutoCloseable {

    private static final Path PG_BIN = Path.of(System.getenv().getOrDefault("PG_BIN", "/usr/lib/postgresql/15/bin"));

    private final Path root;
    private final Path directory;
    private final int port;
    private List<Long> frozen = List.of();
    private Path smallDisk;

    private OwnPostgres(Path root, Path directory, int port) {
        this.root = root;
        this.directory = directory;
        this.port = port;
    }

    /** Starts a fresh server, or skips the calling test when PostgreSQL tests are not configured. */
    static OwnPostgres start() throws IOException, InterruptedException {
        String shared = System.getenv(TestPostgres.VARIABLE);
        Assumptions.assumeTrue(
                shared != null && !shared.isBlank() && Files.isExecutable(PG_BIN.resolve("pg_ctl")),
                TestPostgres.VARIABLE + " is not set or PostgreSQL 15 is not installed: this outage test is SKIPPED;"
                        + " run it with eval \"$(scripts/start-postgres)\" before ./mvnw, or with .ci/run");
        Path root = repositoryRoot();
        String exports =
                run(root, List.of(root.resolve("scripts/start-postgres").toString()));
        Matcher url = Pattern.compile("127\\.0\\.0\\.1:(\\d+)/").matcher(exports);
        Matcher dir = Pattern.compile("INNOLICENSE_POSTGRES_DIR='([^']+)'").matcher(exports);
        if (!url.find() || !dir.find()) {
            throw new IllegalStateException("scripts/start-postgres printed no URL or directory: " + exports);
        }
        return new OwnPostgres(root, Path.of(dir.group(1)), Integer.parseInt(url.group(1)));
    }

    /** The database as {@code --database} takes it. */
    PostgresUrl url() {
        return PostgresUrl.parse(
                "jdbc:postgresql://127.0.0.1:" + port + "/innolicense?user=postgres", Optional.empty());
    }

    /** Stops the server (fast shutdown: open connections are cut), keeping its files. */
    void stop() throws IOException, InterruptedException {
        pgCtl("stop", "-m", "fast", "-w");
    }

    /** Starts the stopped server again on the same port and files; returns once it accepts connections. */
    void startAgain() throws IOException, InterruptedException {
        pgCtl(
                "start",
                "-w",
                "-l",
                directory.resolve("postgres-again.log").toString(),
                "-o",
                "-p " + port + " -k " + directory.resolve("socket") + " -c listen_addresses=127.0.0.1"
                        + " -c fsync=on -c synchronous_commit=on -c max_connections=200");
    }

    /**
     * Freezes the server: {@code SIGSTOP} to the postmaster and every process it started. Its sockets stay open and
     * its kernel still accepts connections and acknowledges packets, but nothing answers: a frozen host, as far as
     * a client can tell.
     *
     * <p>As root the postmaster's parent is {@code runuser}, which stops itself when its child stops (as job control
     * asks of it) and waits to be continued; left stopped, it never reaped the postmaster, and every run of the
     * test left a stopped {@code runuser}, its shell and a defunct postmaster behind. {@link #thaw} continues it too.
     */
    void freeze() throws IOException, InterruptedException {
        long postmaster = Long.parseLong(Files.readAllLines(directory.resolve("data/postmaster.pid"))
                .get(0)
                .strip());
        ProcessHandle handle = ProcessHandle.of(postmaster)
                .orElseThrow(() -> new IllegalStateException("no postmaster with PID " + postmaster));
        // The postmaster first, and its children listed only once it has stopped: a backend it forks while they are
        // listed (a pool opening a connection) would be left running and answer. It did once, in CI on 2026-12-04: a
        // claim was granted through such a backend while the server was "frozen".
        signal("-STOP", List.of(postmaster));
        awaitStopped(postmaster);
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        List<Long> children = handle.descendants().map(ProcessHandle::pid).toList();
        if (!children.isEmpty()) {
            signal("-STOP", children);
        }
        pids.addAll(children);
        handle.parent()
                .filter(parent ->
                        parent.info().command().map(c -> c.endsWith("/runuser")).orElse(false))
                .ifPresent(runuser -> pids.add(runuser.pid()));
        frozen = pids;
    }

    /** Waits until the process is stopped (state {@code T} in {@code /proc/PID/stat}), at most 10 s. */
    private static void awaitStopped(long pid) throws IOException, InterruptedException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String line = Files.readString(stat, StandardCharsets.UTF_8);
            char state = line.charAt(line.lastIndexOf(')') + 2);
            if (state == 'T' || state == 't') {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("process " + pid + " did not stop within 10 s (state " + state + ")");
            }
            Thread.sleep(1);
        }
    }

    /** Lets a {@link #freeze frozen} server continue ({@code SIGCONT}), and {@code runuser} last. */
    void thaw() throws IOException, InterruptedException {
        if (!frozen.isEmpty()) {
            signal("-CONT", frozen);
            frozen = List.of();
        }
    }

    private void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        run(root, command);
    }

    /**
     * Gives the database a small disk of its own: a {@code tmpfs} of {@code mebibytes} mounted for the test, as the
     * tablespace in which every table and index a node creates from now on is made ({@code default_tablespace} of
     * the database). The write-ahead log stays on the server's own disk, so that a full small disk refuses the
     * writes that need more room in a table or an index (SQLSTATE 53100) and PostgreSQL itself keeps running, as it
     * does when a tablespace's volume fills. Mounting needs root: as any other user the calling test is skipped,
     * loudly. Call before a node creates its tables.
     */
    void smallDisk(int mebibytes) throws IOException, InterruptedException {
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        if (!asRoot) {
            System.err.println("SKIPPED: a full disk of the cluster database needs root to mount a tmpfs; run the"
                    + " test as root (.ci/run does)");
        }
        Assumptions.assumeTrue(
                asRoot, "mounting a tmpfs for the database's tablespace needs root: this test is SKIPPED");
        Path mount = Files.createDirectories(directory.resolve("small-disk"));
        run(root, List.of("mount", "-t", "tmpfs", "-o", "size=" + mebibytes + "m", "tmpfs", mount.toString()));
        smallDisk = mount;
        run(root, List.of("chown", "postgres", mount.toString()));
        sql("CREATE TABLESPACE small_disk LOCATION '" + mount + "'");
        sql("ALTER DATABASE innolicense SET default_tablespace = small_disk");
    }

    /** Fills the {@link #smallDisk small disk} to the last byte with a file of its own. */
    void fillSmallDisk() throws IOException {
        Path ballast = smallDisk.resolve("ballast");
        byte[] block = new byte[64 * 1024];
        try (var out = Files.newOutputStream(ballast)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        // the last partial block: a byte at a time until none fits
        try (var out = Files.newOutputStream(ballast, java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(0);
                out.flush();
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    /** Deletes what {@link #fillSmallDisk} wrote. */
    void emptySmallDisk() throws IOException {
        Files.deleteIfExists(smallDisk.resolve("ballast"));
    }

    private void sql(String statement) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(
                PG_BIN.resolve("psql").toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-d",
                "innolicense",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                statement));
        run(root, command);
    }

    /** Stops the server and deletes its files (unmounting its small disk first, if it has one). */
    @Override
    public void close() throws IOException, InterruptedException {
        thaw();
        if (smallDisk != null) {
            emptySmallDisk();
            if (Files.exists(directory.resolve("data/postmaster.pid"))) {
                pgCtl("stop", "-m", "immediate", "-w");
            }
            run(root, List.of("umount", smallDisk.toString()));
            smallDisk = null;
        }
        run(root, List.of(root.resolve("scripts/start-postgres").toString(), "stop", directory.toString()));
    }

    private void pgCtl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(PG_BIN.resolve("pg_ctl").toString());
        command.add("-D");
        command.add(directory.resolve("data").toString());
        command.addAll(List.of(arguments));
        run(root, command);
    }

    private static String run(Path directory, List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("own-postgres", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(false)
                    .redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().putAll(Map.of("LC_ALL", "C"));
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within 120 s");
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        command + " failed with exit code " + process.exitValue() + ": " + printed);
            }
            return printed;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Path repositoryRoot() {
        Path at = Path.of("").toAbsolutePath();
        while (at != null && !Files.isRegularFile(at.resolve("scripts/start-postgres"))) {
            at = at.getParent();
        }
        if (at == null) {
            throw new IllegalStateException(
                    "no scripts/start-postgres above " + Path.of("").toAbsolutePath());
        }
        return at;
    }
}
