package com.anycontact.innolicense.store.postgres;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A PgBouncer of one test's own (Debian's {@code pgbouncer}, which {@code .ci/run} installs) in front of a fresh
 * database of the test PostgreSQL server, in the pool mode the test asks for. A database rather than a schema,
 * since PgBouncer refuses the {@code search_path} that the driver's {@code currentSchema} sends when it connects.
 * As root PgBouncer runs as the user postgres (it refuses to run as root); it is stopped by its PID.
 *
 * <p>Skipped loudly, as the other PostgreSQL tests are, when {@value PostgresSchema#VARIABLE} is not set or
 * PgBouncer is not installed.
 */
final class OwnPgBouncer implements AutoCloseable {

    private static final Path PGBOUNCER = Path.of("/usr/sbin/pgbouncer");
    private static final Pattern BASE =
            Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+)(?:\\?user=([A-Za-z0-9_]+))?");

    private final String adminUrl;
    private final String database;
    private final String user;
    private final Path directory;
    private final int port;
    private final long pid;

    private OwnPgBouncer(String adminUrl, String database, String user, Path directory, int port, long pid) {
        this.adminUrl = adminUrl;
        this.database = database;
        this.user = user;
        this.directory = directory;
        this.port = port;
        this.pid = pid;
    }

    /**
     * Starts PgBouncer in front of a fresh database.
     *
     * @param poolMode {@code session}, {@code transaction} or {@code statement}
     * @param settings more lines for its {@code [pgbouncer]} section
     */
    static OwnPgBouncer start(String poolMode, String... settings) throws IOException, InterruptedException {
        String base = System.getenv(PostgresSchema.VARIABLE);
        if (base == null || base.isBlank() || !Files.isExecutable(PGBOUNCER)) {
            String why = PostgresSchema.VARIABLE + " is not set or PgBouncer is not installed (apt-get install"
                    + " pgbouncer): this pooler test is SKIPPED; .ci/run installs it and runs it";
            System.err.println("SKIPPED " + why);
            Assumptions.abort(why);
        }
        Matcher parts = BASE.matcher(base.strip());
        if (!parts.matches()) {
            throw new IllegalStateException("cannot read host, port and database from " + base);
        }
        String user = Optional.ofNullable(parts.group(4)).orElse(System.getProperty("user.name"));
        String database = "pooled_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = DriverManager.getConnection(base.strip());
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database with " + base, e);
        }
        try {
            Path directory = Files.createTempDirectory("innolicense-pgbouncer");
            int port = freePort();
            List<String> config = new ArrayList<>(List.of(
                    "[databases]",
                    "* = host=" + parts.group(1) + " port=" + parts.group(2),
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    "listen_port = " + port,
                    "unix_socket_dir =",
                    "auth_type = trust",
                    "auth_file = " + directory.resolve("users.txt"),
                    "pool_mode = " + poolMode,
                    "default_pool_size = 20",
                    "max_client_conn = 200",
                    "logfile = " + directory.resolve("pgbouncer.log"),
                    "pidfile = " + directory.resolve("pgbouncer.pid")));
            config.addAll(List.of(settings));
            Files.write(directory.resolve("pgbouncer.ini"), config);
            Files.writeString(directory.resolve("users.txt"), "\"" + user + "\" \"\"\n");
            List<String> command = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) {
                run(List.of("chown", "-R", "postgres", directory.toString()));
                command.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            command.addAll(List.of(
                    PGBOUNCER.toString(),
                    "-d",
                    directory.resolve("pgbouncer.ini").toString()));
            run(command);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Path pidFile = directory.resolve("pgbouncer.pid");
            // -d: the daemon may listen before it has written its PID file
            while (!accepts(port)
                    || !Files.exists(pidFile)
                    || Files.readString(pidFile).isBlank()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PgBouncer did not listen on port " + port
                            + " within 10 s; its log: " + directory.resolve("pgbouncer.log"));
                }
                Thread.sleep(20);
            }
            long pid = Long.parseLong(
                    Files.readString(directory.resolve("pgbouncer.pid")).strip());
            return new OwnPgBouncer(base.strip(), database, user, directory, port, pid);
        } catch (IOException | InterruptedException | RuntimeException e) {
            dropDatabase(base.strip(), database);
            throw e;
        }
    }

    /** The database through PgBouncer, as an operator would give it to a node. */
    PostgresUrl url() {
        return PostgresUrl.parse(
                "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + user, Optional.empty());
    }

    /** Whether a table of that name exists in the test database, asked of PostgreSQL directly. */
    boolean hasTable(String table) throws SQLException {
        try (Connection connection =
                        DriverManager.getConnection(adminUrl.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1"));
                var statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            statement.setString(1, table);
            try (var row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /** Stops PgBouncer, drops the test database and removes PgBouncer's files. */
    @Override
    public void close() throws Exception {
        ProcessHandle.of(pid).ifPresent(process -> {
            process.destroy();
            process.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        });
        dropDatabase(adminUrl, database);
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    private static void dropDatabase(String adminUrl, String database) {
        try (Connection admin = DriverManager.getConnection(adminUrl);
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the test database " + database, e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
