package com.anycontact.innolicense.store.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A streaming standby of the test PostgreSQL server ({@code pg_basebackup -R}, asynchronous: the test server's
 * commits do not wait for it), on a loopback port of its own, stopped and removed by {@link #close()}. As root its
 * commands run as the user postgres. Skipped loudly where {@value PostgresSchema#VARIABLE} is not set or the
 * PostgreSQL 15 binaries are missing.
 */
final class OwnStandby implements AutoCloseable {

    private static final Path BIN = Path.of(System.getenv().getOrDefault("PG_BIN", "/usr/lib/postgresql/15/bin"));
    private static final Pattern HOST_PORT = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/");

    private final Path directory;
    private final String primaryHostPort;
    private final int port;

    private OwnStandby(Path directory, String primaryHostPort, int port) {
        this.directory = directory;
        this.primaryHostPort = primaryHostPort;
        this.port = port;
    }

    static OwnStandby start() throws IOException, InterruptedException {
        String base = System.getenv(PostgresSchema.VARIABLE);
        if (base == null || base.isBlank() || !Files.isExecutable(BIN.resolve("pg_basebackup"))) {
            String why = PostgresSchema.VARIABLE + " is not set or the PostgreSQL 15 binaries are missing: this"
                    + " standby test is SKIPPED; .ci/run runs it";
            System.err.println("SKIPPED " + why);
            Assumptions.abort(why);
        }
        Matcher primary = HOST_PORT.matcher(base);
        if (!primary.find()) {
            throw new IllegalStateException("cannot read host and port from " + base);
        }
        Path directory = Files.createTempDirectory("innolicense-standby");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        OwnStandby standby = new OwnStandby(directory, primary.group(1) + ":" + primary.group(2), port);
        try {
            if (isRoot()) {
                run(List.of("chown", "postgres", directory.toString()));
            }
            Path data = directory.resolve("data");
            standby.asPostgres(
                    BIN.resolve("pg_basebackup").toString(),
                    "-D",
                    data.toString(),
                    "-R",
                    "-X",
                    "stream",
                    "-d",
                    "host=" + primary.group(1) + " port=" + primary.group(2) + " user=postgres");
            standby.asPostgres(
                    BIN.resolve("pg_ctl").toString(),
                    "-D",
                    data.toString(),
                    "-w",
                    "-l",
                    directory.resolve("standby.log").toString(),
                    "-o",
                    "-p " + port
                            + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=500",
                    "start");
            return standby;
        } catch (IOException | InterruptedException | RuntimeException e) {
            standby.close();
            throw e;
        }
    }

    /** The primary's {@code host:port}, as the test URL names it. */
    String primaryHostPort() {
        return primaryHostPort;
    }

    /** The standby's {@code host:port}. */
    String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** Stops the standby ({@code pg_ctl stop -m immediate}) and removes its files. */
    @Override
    public void close() throws IOException, InterruptedException {
        Path data = directory.resolve("data");
        if (Files.exists(data.resolve("postmaster.pid"))) {
            asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
        }
        try (var files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    private void asPostgres(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        if (isRoot()) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.addAll(List.of(command));
        run(line);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
