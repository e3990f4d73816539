package com.anycontact.innolicense.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL 15 server for a cluster round, as {@code scripts/start-postgres} makes one: {@code
 * initdb} in a temporary directory, loopback only, a free port, {@code fsync} and {@code synchronous_commit} on;
 * as root every command runs as the user {@code postgres} ({@code runuser}), since PostgreSQL refuses root. The
 * harness restarts it ({@code pg_ctl stop -m fast}, then {@code start}), kills it ({@code SIGKILL} of the
 * postmaster), fills the disk of its tables ({@link #smallDisk}), and makes a synchronous streaming standby of it ({@code pg_basebackup -R}) that it promotes
 * ({@code pg_ctl promote}). Stopped by {@link #close()}, which deletes the directory after copying the server's
 * log to where the round keeps its files.
 */
final class PostgresServer implements AutoCloseable {

    /** Where Debian's PostgreSQL 15 binaries are; {@code PG_BIN} overrides it. */
    static final Path BIN = Path.of(Objects.requireNonNullElse(System.getenv("PG_BIN"), "/usr/lib/postgresql/15/bin"));

    private static final String DATABASE = "innolicense";

    private final String name;
    private final Path directory;
    private final Path data;
    private final Path logCopy;
    private final int port;
    private boolean running;
    private Path smallDisk;

    private PostgresServer(String name, Path directory, Path logCopy) throws IOException {
        this.name = name;
        this.directory = directory;
        this.data = directory.resolve("data");
        this.logCopy = logCopy;
        this.port = freePort();
    }

    /** Whether the PostgreSQL binaries are installed. */
    static boolean available() {
        return Files.isExecutable(BIN.resolve("postgres"));
    }

    /**
     * A new primary server with the database {@code innolicense}, started.
     *
     * @param name its name in messages and the log file's name, e.g. {@code primary}
     * @param logCopy where its log goes when it is closed
     */
    static PostgresServer primary(String name, Path logCopy) throws IOException, InterruptedException {
        PostgresServer server = new PostgresServer(name, temporaryDirectory(), logCopy);
        server.run(
                BIN.resolve("initdb").toString(),
                "-D",
                server.data.toString(),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8");
        server.start();
        server.sql("postgres", "CREATE DATABASE " + DATABASE);
        return server;
    }

    /**
     * A streaming standby of this server, started, and made this server's synchronous standby: from then on a
     * commit on this server returns only once the standby has flushed it ({@code synchronous_commit=on}).
     */
    PostgresServer synchronousStandby(String standbyName, Path standbyLogCopy)
            throws IOException, InterruptedException {
        PostgresServer standby = new PostgresServer(standbyName, temporaryDirectory(), standbyLogCopy);
        run(
                BIN.resolve("pg_basebackup").toString(),
                "-D",
                standby.data.toString(),
                "-R",
                "-X",
                "stream",
                "-d",
                "host=127.0.0.1 port=" + port + " user=postgres application_name=" + standbyName);
        standby.start();
        sql("postgres", "ALTER SYSTEM SET synchronous_standby_names = '" + standbyName + "'");
        sql("postgres", "SELECT pg_reload_conf()");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!sql(
                        "postgres",
                        "SELECT sync_state FROM pg_stat_replication WHERE application_name = '" + standbyName + "'")
                .contains("sync")) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the standby " + standbyName + " did not become synchronous within 60 s");
            }
            Thread.sleep(100);
        }
        return standby;
    }

    /** This server's port on 127.0.0.1. */
    int port() {
        return port;
    }

    /** The server's name in messages. */
    String name() {
        return name;
    }

    /**
     * The JDBC URL of the database on the servers on these loopback ports (or on relays to them), for {@code
     * --database}: one host, or several with {@code targetServerType=primary}, so that the driver connects to
     * whichever of them accepts writes.
     */
    static String jdbcUrl(List<Integer> ports) {
        List<String> hosts = new ArrayList<>();
        for (int port : ports) {
            hosts.add("127.0.0.1:" + port);
        }
        return "jdbc:postgresql://" + String.join(",", hosts) + "/" + DATABASE + "?user=postgres"
                + (ports.size() > 1 ? "&targetServerType=primary" : "");
    }

    /** {@code pg_ctl stop -m fast}: open transactions are rolled back, connections closed. */
    void stop() throws IOException, InterruptedException {
        run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
        running = false;
    }

    /** {@code pg_ctl start}, waiting until it accepts connections. */
    void start() throws IOException, InterruptedException {
        run(
                BIN.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-l",
                directory.resolve("postgres.log").toString(),
                "-w",
                "-t",
                "60",
                "-o",
                "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c fsync=on"
                        + " -c synchronous_commit=on -c full_page_writes=on -c max_connections=200",
                "start");
        running = true;
    }

    /** {@code SIGKILL} of the postmaster: the server dies at once; its backends exit when they notice. */
    long kill() throws IOException, InterruptedException {
        long pid = Long.parseLong(
                Files.readAllLines(data.resolve("postmaster.pid")).getFirst().strip());
        run("kill", "-KILL", Long.toString(pid));
        ProcessHandle.of(pid).ifPresent(handle -> handle.onExit().join());
        running = false;
        return pid;
    }

    /** {@code pg_ctl promote}: the standby becomes a primary, waiting until it accepts writes. */
    void promote() throws IOException, InterruptedException {
        run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "promote");
    }

    /**
     * Gives the database a small disk of its own (as root only): a {@code tmpfs} of {@code size} mounted in this
     * server's directory as the tablespace in which every table and index of {@code innolicense} made from now on
     * lives ({@code default_tablespace}), the write-ahead log staying on the server's own disk; so that filling it
     * ({@link #fillSmallDisk}) refuses the writes that need more room (SQLSTATE 53100) while PostgreSQL keeps
     * running. Call before the nodes create their tables.
     */
    void smallDisk(String size) throws IOException, InterruptedException {
        Path mount = Files.createDirectories(directory.resolve("small-disk"));
        runAs(false, "mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString());
        smallDisk = mount;
        runAs(false, "chown", "postgres:", mount.toString());
        sql("postgres", "CREATE TABLESPACE small_disk LOCATION '" + mount + "'");
        sql("postgres", "ALTER DATABASE " + DATABASE + " SET default_tablespace = small_disk");
    }

    /** Fills the {@link #smallDisk small disk} with a ballast file; answers how many bytes it took. */
    long fillSmallDisk() throws IOException {
        return FaultRound.fill(smallDisk.resolve("ballast"));
    }

    /** Deletes the ballast of {@link #fillSmallDisk}. */
    void emptySmallDisk() throws IOException {
        Files.deleteIfExists(smallDisk.resolve("ballast"));
    }

    /** Runs one statement with {@code psql} and gives back its unaligned output. */
    String sql(String database, String statement) throws IOException, InterruptedException {
        return run(
                BIN.resolve("psql").toString(),
                "-X",
                "-q",
                "-A",
                "-t",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-U",
                "postgres",
                "-d",
                database,
                "-c",
                statement);
    }

    /** Stops the server (immediately: the round is over), keeps its log and deletes its directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (running) {
            try {
                run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
            } catch (IOException e) {
                // already gone (killed by the round): nothing to stop
            }
            running = false;
        }
        if (smallDisk != null) {
            runAs(false, "umount", smallDisk.toString());
            smallDisk = null;
        }
        Path log = directory.resolve("postgres.log");
        if (Files.exists(log)) {
            Files.copy(log, logCopy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static Path temporaryDirectory() throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("innolicense-faults-pg");
        if (FaultRound.isRoot()) {
            runAs(false, "chown", "postgres:", directory.toString());
        }
        return directory;
    }

    private String run(String... command) throws IOException, InterruptedException {
        return runAs(FaultRound.isRoot(), command);
    }

    private static String runAs(boolean asPostgres, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(Arrays.asList(command));
        Process process = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .directory(Path.of("/tmp").toFile())
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
        return output.strip();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
