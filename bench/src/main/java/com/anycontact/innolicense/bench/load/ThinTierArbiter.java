package com.anycontact.innolicense.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code tiers} {@link ThinTier} processes in front of the PostgreSQL peer's statements, on a table of their own in
 * the peer's database; client threads spread round-robin over them as {@link ClusterArbiter} spreads them over
 * nodes, through the same minimal HTTP client. What the middle tier costs on this machine, without anything the
 * cluster does besides (ClusterRun {@code --thin-tiers}).
 */
final class ThinTierArbiter implements SeatArbiter {

    private final String name;
    private final String jdbcUrl;
    private final String table;
    private final List<Process> processes;
    private final List<Path> pidFiles;
    private final SeatCallConnections connections;

    private ThinTierArbiter(
            String name,
            String jdbcUrl,
            String table,
            List<Process> processes,
            List<Integer> ports,
            List<Path> pidFiles) {
        this.pidFiles = pidFiles;
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.table = table;
        this.processes = processes;
        this.connections = new SeatCallConnections(ports.stream()
                .map(port -> new SeatCallConnections.Server("127.0.0.1", port, ""))
                .toList());
    }

    static String name(int tiers) {
        return "thin-" + tiers;
    }

    /**
     * Creates the table and starts the processes with {@code jvmOptions}, this JVM's java and class path, noting
     * each one's PID in {@code pidDirectory} (unless null) for a script to stop after a crash of this process.
     */
    static ThinTierArbiter start(String jdbcUrl, int tiers, List<String> jvmOptions, Path pidDirectory)
            throws IOException, SQLException, InterruptedException {
        String table = "thin_seat_" + tiers;
        try (Connection database = DriverManager.getConnection(jdbcUrl);
                Statement statement = database.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + table);
            statement.execute(
                    "CREATE TABLE " + table + " (slot int PRIMARY KEY, agent_id text UNIQUE, expires_at bigint)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        List<Process> started = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        List<Path> pidFiles = new ArrayList<>();
        try {
            for (int i = 0; i < tiers; i++) {
                int port;
                try (ServerSocket free = new ServerSocket(0)) {
                    port = free.getLocalPort();
                }
                List<String> command = new ArrayList<>(List.of(java));
                command.addAll(jvmOptions);
                command.addAll(
                        List.of("-cp", classPath, ThinTier.class.getName(), Integer.toString(port), jdbcUrl, table));
                Process process = new ProcessBuilder(command)
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
                started.add(process);
                if (pidDirectory != null) {
                    Files.createDirectories(pidDirectory);
                    Path pidFile = pidDirectory.resolve("thin-" + process.pid() + ".pid");
                    Files.writeString(pidFile, process.pid() + "\n");
                    pidFiles.add(pidFile);
                }
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                if (!"listening".equals(out.readLine())) {
                    throw new IOException("a thin tier did not start");
                }
                ports.add(port);
            }
        } catch (IOException | RuntimeException e) {
            started.forEach(Process::destroyForcibly);
            throw e;
        }
        return new ThinTierArbiter(name(tiers), jdbcUrl, table, started, ports, pidFiles);
    }

    /** The processes, for their processor time. */
    List<Process> processes() {
        return processes;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Durability durability() {
        return new Durability(Durability.Survives.POWER_LOSS, "the peer's statements, fsync=on, synchronous_commit=on");
    }

    @Override
    public void reset(int capacity) throws SQLException {
        connections.closeAll();
        try (Connection database = DriverManager.getConnection(jdbcUrl);
                Statement statement = database.createStatement()) {
            statement.execute("TRUNCATE " + table);
            statement.execute("INSERT INTO " + table + " (slot) SELECT generate_series(1, " + capacity + ")");
            statement.execute("VACUUM ANALYZE " + table);
        }
    }

    @Override
    public boolean claim(String agent) throws IOException {
        return SeatAnswers.claimed(agent, connections.send("PUT", agent));
    }

    /** Not served: the thin tier answers claims and releases only (its warm-up has no renewals). */
    @Override
    public boolean renew(String agent) {
        throw new UnsupportedOperationException("the thin tier has no renewal");
    }

    @Override
    public void release(String agent) throws IOException {
        SeatAnswers.released(agent, connections.send("DELETE", agent));
    }

    @Override
    public void close() throws InterruptedException {
        connections.closeAll();
        for (Process process : processes) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        for (Path pidFile : pidFiles) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                // left behind; the process it names has ended
            }
        }
    }
}
