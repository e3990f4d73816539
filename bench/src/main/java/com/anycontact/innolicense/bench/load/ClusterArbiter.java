package com.anycontact.innolicense.bench.load;

import com.anycontact.innolicense.bench.BenchLicenses;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ours as a cluster: {@code nodes} server processes ({@code innolicense server --database URL}) on one
 * PostgreSQL database of their own, created fresh on the PostgreSQL server the {@code postgres} peer uses, so
 * that both commit to the same server. Client threads are spread round-robin over the nodes (the first request
 * of a thread picks the next node; it stays there), each with one keep-alive socket through the minimal HTTP
 * client of {@link RawHttpArbiter}.
 *
 * <p>Every node trusts the same throwaway vendor key and starts with the same bootstrap admin token; a license
 * is applied on the first node and {@link #reset} waits until every node enforces its capacity (the cluster bus
 * carries it). Between rows the lease and denial tables are emptied with SQL, so that each row starts clean as
 * the peer's does.
 *
 * <p>Or the nodes of a {@link BenchKit}, started where they run ({@link #attach}): the same, on the kit's database,
 * with the kit's vendor key and admin token; closing the arbiter leaves them running.
 */
final class ClusterArbiter implements SeatArbiter {

    private static final Pattern JDBC_DATABASE = Pattern.compile("(jdbc:postgresql://[^/]+/)([^?]*)(.*)");
    private static final Duration LICENSE_PROPAGATION = Duration.ofSeconds(15);

    private final String name;
    private final String databaseUrl;
    private final List<ServerProcess> nodes;
    private final SeatCallConnections connections;

    private ClusterArbiter(String name, String databaseUrl, List<ServerProcess> nodes) {
        this.name = name;
        this.databaseUrl = databaseUrl;
        this.nodes = List.copyOf(nodes);
        this.connections = new SeatCallConnections(nodes.stream()
                .map(node -> new SeatCallConnections.Server(
                        node.base().getHost(),
                        node.base().getPort(),
                        "Authorization: Bearer " + node.acdToken() + "\r\n"))
                .toList());
    }

    /** The arbiter's name for a cluster of the given size, e.g. {@code cluster-3}. */
    static String name(int nodes) {
        return "cluster-" + nodes;
    }

    /**
     * Creates a fresh database {@code bench_cluster_N} on the PostgreSQL server of {@code postgresUrl} (dropping
     * one left from an earlier run) and starts the nodes on it, one after the other, the first one alone so
     * that it migrates the schema and creates the installation.
     *
     * @param postgresUrl the JDBC URL of the peer's database; the cluster's database is made beside it
     * @param nodes how many server nodes
     * @param jar the server's shaded jar
     * @param work a directory for the nodes' data directories and logs
     * @param leaseTtl the nodes' lease TTL
     * @param jvmOptions options of every node's JVM, e.g. {@code -Xmx512m}
     * @param pidDirectory where to note the nodes' PIDs for a script to clean up, or {@code null}
     */
    static ClusterArbiter start(
            String postgresUrl,
            int nodes,
            Path jar,
            Path work,
            Duration leaseTtl,
            List<String> jvmOptions,
            Path pidDirectory)
            throws IOException, InterruptedException, SQLException {
        if (nodes < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, not " + nodes);
        }
        String database = "bench_cluster_" + nodes;
        String databaseUrl = freshDatabase(postgresUrl, database);
        BenchLicenses licenses = BenchLicenses.generate();
        String adminToken = ServerProcess.secret();
        List<ServerProcess> started = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                started.add(ServerProcess.start(
                        jar,
                        Files.createTempDirectory(work, name(nodes) + "-node" + (i + 1) + "-"),
                        leaseTtl,
                        jvmOptions,
                        pidDirectory,
                        licenses,
                        adminToken,
                        List.of("--database", databaseUrl)));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            for (ServerProcess node : started) {
                node.close();
            }
            throw e;
        }
        return new ClusterArbiter(name(nodes), databaseUrl, started);
    }

    /**
     * The cluster of nodes started elsewhere from {@code kit} (on machines of their own, {@code start-node.sh} of
     * the kit), at {@code urls}, first node first: waits until each answers. Closing it leaves them running.
     *
     * @throws IOException when a node does not answer the kit's admin token within the start-up time
     */
    static ClusterArbiter attach(BenchKit kit, List<URI> urls) throws IOException, InterruptedException {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one node: --node-url names none");
        }
        List<ServerProcess> attached = new ArrayList<>();
        try {
            for (URI url : urls) {
                attached.add(ServerProcess.attach(url, kit.licenses(), kit.adminToken()));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            for (ServerProcess node : attached) {
                node.close();
            }
            throw e;
        }
        return new ClusterArbiter(name(urls.size()), kit.databaseUrl(), attached);
    }

    /**
     * Sends every client to the first node, the others idle but in the cluster (their bus, ticks and recounts
     * running): what the other nodes' presence costs, apart from spreading the calls.
     */
    ClusterArbiter firstNodeOnly() {
        connections.firstOnly();
        return this;
    }

    /** The JDBC URL of the cluster's own database. */
    String databaseUrl() {
        return databaseUrl;
    }

    /** The server processes, first node first. */
    List<ServerProcess> nodes() {
        return nodes;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Durability durability() {
        return new Durability(
                Durability.Survives.POWER_LOSS,
                "a PostgreSQL commit per claim, renewal and release (fsync=on, synchronous_commit=on)");
    }

    /**
     * Empties the lease and denial tables, applies a license of {@code capacity} seats on the first node and
     * waits until every node enforces it.
     */
    @Override
    public void reset(int capacity) throws IOException, InterruptedException, SQLException {
        connections.closeAll();
        try (Connection database = DriverManager.getConnection(databaseUrl);
                Statement statement = database.createStatement()) {
            statement.execute("DELETE FROM lease");
            statement.execute("DELETE FROM denial");
            statement.execute("VACUUM ANALYZE lease");
        }
        nodes.getFirst().applyLicense(capacity);
        long deadline = System.nanoTime() + LICENSE_PROPAGATION.toNanos();
        for (ServerProcess node : nodes) {
            while (node.capacity() != capacity) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("node " + node.base() + " did not take the license of " + capacity
                            + " seats within " + LICENSE_PROPAGATION.toSeconds() + " s");
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
    }

    @Override
    public boolean claim(String agent) throws IOException {
        return SeatAnswers.claimed(agent, connections.send("PUT", agent));
    }

    @Override
    public boolean renew(String agent) throws IOException {
        return SeatAnswers.renewed(agent, connections.send("PUT", agent));
    }

    @Override
    public void release(String agent) throws IOException {
        SeatAnswers.released(agent, connections.send("DELETE", agent));
    }

    /** Stops every node. */
    @Override
    public void close() throws InterruptedException {
        connections.closeAll();
        for (ServerProcess node : nodes) {
            node.close();
        }
    }

    /**
     * Makes the database {@code database} afresh on the PostgreSQL server of {@code postgresUrl}, dropping one of
     * that name, and returns its JDBC URL.
     */
    static String freshDatabase(String postgresUrl, String database) throws SQLException {
        Matcher url = JDBC_DATABASE.matcher(postgresUrl);
        if (!url.matches()) {
            throw new IllegalArgumentException(
                    "--postgres-url is not a jdbc:postgresql://HOST:PORT/DATABASE URL: " + postgresUrl);
        }
        try (Connection server = DriverManager.getConnection(postgresUrl);
                Statement statement = server.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + database);
        }
        return url.group(1) + database + url.group(3);
    }
}
