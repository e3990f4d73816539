package com.anycontact.innolicense.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The cluster benchmark: ours as clusters of 1 and 3 server nodes on one PostgreSQL ({@link ClusterArbiter}),
 * beside the PostgreSQL row-lock peer ({@link PostgresArbiter}) on the same PostgreSQL server, in alternating
 * rounds of claim + release pairs; then what 10,000 agents renewing every 20 s across 3 nodes cost PostgreSQL
 * ({@link RenewalCostRun}). Prints Markdown.
 *
 * <p>Rounds: every arbiter is started once and warmed up; then, round after round, at each client count, each
 * arbiter runs one row of pairs in turn (their order rotated each round), so that drift of a shared machine falls
 * on all of them alike. Ratios are of the medians, this arbiter ÷ the peer: above 1× in pairs/s means the cluster
 * is faster.
 *
 * <p>On machines of their own: {@code --write-kit DIR} writes a {@link BenchKit} (the nodes' database, a throwaway
 * vendor key, the admin token, {@code start-node.sh}); the nodes are started from it where they run, and {@code
 * --kit DIR --node-url URL,...} then measures them as {@code cluster-N} instead of starting clusters here
 * (docs/benchmarks.md, "On machines of their own").
 *
 * <p>Run (scripts/bench --cluster-only starts PostgreSQL and passes its URL and PID): {@code java -cp
 * bench/target/benchmarks.jar com.anycontact.innolicense.bench.load.ClusterRun --postgres-url
 * "$INNOLICENSE_TEST_POSTGRES_URL" --postgres-pid "$INNOLICENSE_POSTGRES_PID"}
 */
@Command(
        name = "ClusterRun",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Measures ours as a cluster on PostgreSQL beside the PostgreSQL row-lock peer; prints Markdown.")
public final class ClusterRun implements Callable<Integer> {

    @Option(
            names = "--postgres-url",
            defaultValue = "${env:INNOLICENSE_TEST_POSTGRES_URL}",
            description = "JDBC URL of a throwaway PostgreSQL (scripts/start-postgres): the peer's database; each"
                    + " cluster gets a fresh database beside it (default $INNOLICENSE_TEST_POSTGRES_URL)")
    String postgresUrl;

    @Option(
            names = "--postgres-pid",
            defaultValue = "${env:INNOLICENSE_POSTGRES_PID}",
            description = "the postmaster's PID, for PostgreSQL's CPU time in the renewal run (default"
                    + " $INNOLICENSE_POSTGRES_PID; without it, the parent of this run's backend, when PostgreSQL runs"
                    + " on this machine)")
    Long postgresPid;

    @Option(
            names = "--nodes",
            split = ",",
            defaultValue = "1,3",
            description = "cluster sizes, each an arbiter cluster-N (default ${DEFAULT-VALUE})")
    List<Integer> nodes;

    @Option(
            names = "--thin-tiers",
            split = ",",
            description = "also the thinnest HTTP tier in front of the peer's statements (ThinTier), in this many"
                    + " processes, each an arbiter thin-N: what a middle tier costs by itself (default: none)")
    List<Integer> thinTiers = List.of();

    @Option(
            names = "--first-node-only",
            description = "send every client of the pair rows to the first node of each cluster, the other nodes"
                    + " idle in it (a diagnostic: what their presence costs apart from spreading the calls)")
    boolean firstNodeOnly;

    @Option(
            names = "--clients",
            split = ",",
            defaultValue = "8,64",
            description = "concurrent clients of the pair rows (default ${DEFAULT-VALUE})")
    List<Integer> clients;

    @Option(names = "--rounds", defaultValue = "3", description = "rounds of pair rows (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--duration",
            defaultValue = "8s",
            description = "measured part of each row (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "2s", description = "warm-up before each row (default ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(
            names = "--arbiter-warmup",
            defaultValue = "20s",
            description = "once per arbiter before the rounds: pairs, then renewals, at 8 clients; a cluster of N"
                    + " nodes N times as long, so that each node's JIT sees as many calls; 0s to skip"
                    + " (default ${DEFAULT-VALUE})")
    Duration arbiterWarmup;

    @Option(
            names = "--operations",
            split = ",",
            description = "instead of --warmup and --duration: operations per client, warm-up then measured")
    List<Integer> operations;

    @Option(
            names = "--capacity",
            defaultValue = "1000",
            description = "seats in the pair rows (default ${DEFAULT-VALUE})")
    int capacity;

    @Option(
            names = "--renewal-agents",
            defaultValue = "10000",
            description = "agents holding a lease in the renewal run; 0 to skip it (default ${DEFAULT-VALUE})")
    int renewalAgents;

    @Option(names = "--renewal-nodes", defaultValue = "3", description = "default ${DEFAULT-VALUE}")
    int renewalNodes;

    @Option(
            names = "--renewal-workers",
            defaultValue = "48",
            description = "client threads of the renewal run (default ${DEFAULT-VALUE})")
    int renewalWorkers;

    @Option(
            names = "--renewal-idle",
            defaultValue = "10s",
            description = "the idle cluster measured before the fill (default ${DEFAULT-VALUE})")
    Duration renewalIdle;

    @Option(
            names = "--renewal-hold",
            defaultValue = "60s",
            description = "how long the renewals are measured (default ${DEFAULT-VALUE})")
    Duration renewalHold;

    @Option(
            names = "--lease-ttl",
            defaultValue = "60s",
            description = "the nodes' lease TTL; the renewal run renews every third of it (default ${DEFAULT-VALUE})")
    Duration leaseTtl;

    @Option(
            names = "--server-jar",
            defaultValue = "server/target/innolicense.jar",
            description = "default ${DEFAULT-VALUE}")
    Path serverJar;

    @Option(names = "--server-heap", defaultValue = "512m", description = "each node's -Xmx (default ${DEFAULT-VALUE})")
    String serverHeap;

    @Option(
            names = "--work-dir",
            description = "where the nodes' data and logs go (default: a new temporary directory)")
    Path workDirectory;

    @Option(names = "--pid-dir", description = "where to note the PIDs of the nodes started, for a script to clean up")
    Path pidDirectory;

    @Option(names = "--out", description = "also write the Markdown to this file")
    Path out;

    @Option(
            names = "--write-kit",
            paramLabel = "DIR",
            description = "only write a kit for nodes on machines of their own into DIR (a new or empty directory):"
                    + " a fresh database beside --postgres-url's, a throwaway vendor key, the admin token and"
                    + " start-node.sh, which starts one node where it runs; then measure them with --kit and"
                    + " --node-url")
    Path writeKit;

    @Option(
            names = "--kit",
            paramLabel = "DIR",
            description = "measure the nodes started from this kit (--write-kit) at --node-url, instead of starting"
                    + " clusters of --nodes here; the lease TTL is the kit's")
    Path kit;

    @Option(
            names = "--node-url",
            split = ",",
            paramLabel = "URL",
            description = "the nodes started from --kit, first node first, e.g. http://10.0.0.11:8080; the clients"
                    + " are spread over them, as cluster-N")
    List<URI> nodeUrls = List.of();

    @Spec
    CommandSpec spec;

    private final PrintStream stdout;
    private final PrintStream stderr;

    /** The cluster of --kit and --node-url, or {@code null}. */
    private ClusterArbiter remoteCluster;

    ClusterRun(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Runs the cluster benchmark; see {@code --help}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The cluster benchmark as a function: parses, runs, prints; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return new CommandLine(new ClusterRun(out, err))
                .registerConverter(Duration.class, LoadRun::duration)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    // A node or a database that cannot be reached, a kit that cannot be read: what is wrong, in a
                    // line, without a stack trace. Anything else is a bug of the benchmark and keeps its trace.
                    if (e instanceof IOException || e instanceof SQLException) {
                        err.println("ClusterRun: " + e.getMessage());
                        return 1;
                    }
                    throw e;
                })
                .execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (postgresUrl == null || postgresUrl.isBlank()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--postgres-url is not given and INNOLICENSE_TEST_POSTGRES_URL is not set: start a throwaway"
                            + " PostgreSQL with eval \"$(scripts/start-postgres)\"");
        }
        if (writeKit != null) {
            return writeKit();
        }
        BenchKit remote = remoteKit();
        Path work = workDirectory != null ? workDirectory : Files.createTempDirectory("innolicense-clusterrun-");
        Files.createDirectories(work);
        Map<String, SeatArbiter> open = new LinkedHashMap<>();
        StringBuilder markdown = new StringBuilder();
        try {
            stderr.println("== " + PostgresArbiter.NAME);
            open.put(PostgresArbiter.NAME, new PostgresArbiter(postgresUrl, Collections.max(clients)));
            if (remote != null) {
                stderr.println("== " + ClusterArbiter.name(nodeUrls.size()) + ": the nodes at " + nodeUrls);
                remoteCluster = ClusterArbiter.attach(remote, nodeUrls);
                open.put(remoteCluster.name(), firstNodeOnly ? remoteCluster.firstNodeOnly() : remoteCluster);
            }
            for (int size : remote != null ? List.<Integer>of() : nodes) {
                stderr.println("== " + ClusterArbiter.name(size) + ": starting " + size + " node(s)");
                ClusterArbiter cluster = ClusterArbiter.start(
                        postgresUrl, size, serverJar, work, leaseTtl, List.of("-Xmx" + serverHeap), pidDirectory);
                open.put(ClusterArbiter.name(size), firstNodeOnly ? cluster.firstNodeOnly() : cluster);
            }
            for (int tiers : thinTiers) {
                stderr.println("== " + ThinTierArbiter.name(tiers) + ": starting " + tiers + " process(es)");
                open.put(
                        ThinTierArbiter.name(tiers),
                        ThinTierArbiter.start(postgresUrl, tiers, List.of("-Xmx" + serverHeap), pidDirectory));
            }
            if (rounds > 0) {
                markdown.append(rounds(open));
            }
            if (renewalAgents > 0) {
                markdown.append('\n').append(renewals(open, work));
            }
        } finally {
            for (SeatArbiter arbiter : open.values()) {
                arbiter.close();
            }
        }
        stdout.println(markdown);
        if (out != null) {
            Files.writeString(out, markdown.toString(), StandardCharsets.UTF_8);
        }
        return 0;
    }

    /** The kit of --kit, its lease TTL taken; {@code null} when the clusters are started here. */
    private BenchKit remoteKit() throws IOException {
        if (kit == null && nodeUrls.isEmpty()) {
            return null;
        }
        if (kit == null || nodeUrls.isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--kit and --node-url go together: the kit the nodes were started from, and where they answer");
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--nodes")) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--nodes sizes the clusters started here; with --kit the cluster is the nodes of --node-url");
        }
        for (URI url : nodeUrls) {
            if (!"http".equals(url.getScheme()) || url.getHost() == null || url.getPort() < 0) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--node-url " + url + " is not http://HOST:PORT: the benchmark's client speaks plain HTTP to"
                                + " each node's own port (NODE_PORT of start-node.sh)");
            }
        }
        BenchKit read;
        try {
            read = BenchKit.read(kit);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--kit: " + e.getMessage());
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--lease-ttl") && !leaseTtl.equals(read.leaseTtl())) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--lease-ttl " + leaseTtl.toMillis() + "ms differs from the kit's "
                            + read.leaseTtl().toMillis()
                            + "ms, with which its nodes run: leave --lease-ttl out, or write a new kit with it");
        }
        leaseTtl = read.leaseTtl();
        return read;
    }

    private int writeKit() throws IOException, SQLException {
        if (kit != null || !nodeUrls.isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--write-kit only writes a kit; measure its nodes in a second run with --kit and --node-url");
        }
        try {
            BenchKit.requireNewDirectory(writeKit);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--write-kit: " + e.getMessage());
        }
        BenchKit written = BenchKit.create(postgresUrl, leaseTtl);
        written.write(writeKit);
        String host =
                URI.create(written.databaseUrl().substring("jdbc:".length())).getHost();
        if (host == null || host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")) {
            stderr.println("Warning: the nodes will connect to " + host + ", which is only right where a node runs on"
                    + " the database's machine; give --postgres-url an address that the nodes' machines reach.");
        }
        stdout.print(written.instructions(writeKit, postgresUrl));
        return 0;
    }

    private String rounds(Map<String, SeatArbiter> open) throws Exception {
        LoadDriver driver = new LoadDriver(runLength());
        for (SeatArbiter arbiter : open.values()) {
            warmUp(arbiter);
        }
        Map<String, List<Measurement>> measured = new LinkedHashMap<>();
        List<String> order = new ArrayList<>(open.keySet());
        for (int round = 1; round <= rounds; round++) {
            stderr.println("== round " + round + " of " + rounds + ": " + order);
            for (int c : clients) {
                for (String name : order) {
                    SeatArbiter arbiter = open.get(name);
                    arbiter.reset(capacity);
                    Measurement m = driver.pairs(arbiter, c);
                    stderr.printf(
                            Locale.ROOT,
                            "%s pairs %d clients: %s/s, p99 %s µs, %d denied, %d errors%n",
                            name,
                            c,
                            Report.count(m.perSecond()),
                            Report.micros(m.latency().p99()),
                            m.denials(),
                            m.errors());
                    measured.computeIfAbsent(name + "@" + c, key -> new ArrayList<>())
                            .add(m);
                }
            }
            Collections.rotate(order, 1);
        }
        return roundsMarkdown(open, measured);
    }

    private String roundsMarkdown(Map<String, SeatArbiter> open, Map<String, List<Measurement>> measured) {
        StringBuilder table = new StringBuilder(String.format(
                Locale.ROOT,
                "Cluster rounds %s: claim + release pairs, %d rounds, %s per row, the arbiters taking turns (order"
                        + " rotated each round) after a %d s warm-up of each (a cluster of N nodes N times as long);"
                        + " %d seats; %s, %d cores, Java %s. Ratios are of the medians, this arbiter ÷"
                        + " postgres at the same clients: above 1× the cluster does more pairs/s, or has the larger"
                        + " p99.%n%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                rounds,
                lengthText(),
                arbiterWarmup.toSeconds(),
                capacity,
                remoteCluster == null
                        ? "every node and the load generator on this machine"
                        : "the nodes at " + nodeUrls.stream().map(URI::toString).collect(Collectors.joining(", "))
                                + " (started from a kit, where they run), the load generator on this machine",
                Runtime.getRuntime().availableProcessors(),
                Runtime.version()));
        table.append("| arbiter | survives | clients |");
        for (int round = 1; round <= rounds; round++) {
            table.append(" round ").append(round).append(" |");
        }
        table.append(" median pairs/s | ÷ postgres | median claim p99 µs | p99 ÷ postgres | errors |\n|---|---|---:|");
        table.append("---:|".repeat(rounds)).append("---:|---:|---:|---:|---:|\n");
        for (int c : clients) {
            List<Measurement> peer = measured.getOrDefault(PostgresArbiter.NAME + "@" + c, List.of());
            double peerPairs = median(peer, Measurement::perSecond);
            double peerP99 = median(peer, m -> m.latency().p99());
            for (Map.Entry<String, SeatArbiter> arbiter : open.entrySet()) {
                List<Measurement> runs = measured.getOrDefault(arbiter.getKey() + "@" + c, List.of());
                table.append("| ")
                        .append(arbiter.getKey())
                        .append(" | ")
                        .append(arbiter.getValue().durability().survives().label())
                        .append(" | ")
                        .append(c)
                        .append(" |");
                for (Measurement run : runs) {
                    table.append(' ').append(Report.count(run.perSecond())).append(" |");
                }
                double pairs = median(runs, Measurement::perSecond);
                double p99 = median(runs, m -> m.latency().p99());
                table.append(' ')
                        .append(Report.count(pairs))
                        .append(" | ")
                        .append(Report.ratio(pairs, peerPairs))
                        .append(" | ")
                        .append(Report.micros(p99))
                        .append(" | ")
                        .append(Report.ratio(p99, peerP99))
                        .append(" | ")
                        .append(runs.stream().mapToLong(Measurement::errors).sum())
                        .append(" |\n");
            }
        }
        return table.toString();
    }

    private String renewals(Map<String, SeatArbiter> open, Path work) throws Exception {
        if (postgresPid == null) {
            postgresPid = postmaster().orElse(null);
        }
        if (postgresPid == null) {
            return "The renewal run was left out: the postmaster's PID is not known (--postgres-pid or"
                    + " INNOLICENSE_POSTGRES_PID) and PostgreSQL does not run on this machine.\n";
        }
        ProcessTreeCpu postgres = new ProcessTreeCpu(postgresPid);
        if (!postgres.readable()) {
            return "The renewal run was left out: /proc/" + postgresPid + "/stat cannot be read.\n";
        }
        String name = ClusterArbiter.name(
                remoteCluster != null ? remoteCluster.nodes().size() : renewalNodes);
        ClusterArbiter cluster;
        boolean own = false;
        if (remoteCluster != null) {
            cluster = remoteCluster;
        } else if (open.get(name) instanceof ClusterArbiter started) {
            cluster = started;
        } else {
            stderr.println("== " + name + ": starting " + renewalNodes + " node(s) for the renewal run");
            cluster = ClusterArbiter.start(
                    postgresUrl, renewalNodes, serverJar, work, leaseTtl, List.of("-Xmx" + serverHeap), pidDirectory);
            own = true;
        }
        try {
            Duration interval = leaseTtl.dividedBy(3);
            stderr.printf(
                    Locale.ROOT,
                    "== renewals: %,d agents on %d nodes, every %d s, %d s held%n",
                    renewalAgents,
                    cluster.nodes().size(),
                    interval.toSeconds(),
                    renewalHold.toSeconds());
            RenewalCostRun.Result result = new RenewalCostRun(cluster, postgres)
                    .run(renewalAgents, renewalWorkers, interval, renewalIdle, renewalHold);
            return String.format(
                            Locale.ROOT,
                            "Renewal cost %s: %,d agents on %s (lease TTL %d s, renewed every %d s), %d client"
                                    + " threads, the agents spread evenly over the nodes; PostgreSQL's CPU time is"
                                    + " that of the postmaster and all its children, from /proc.%n%n",
                            Instant.now().truncatedTo(ChronoUnit.SECONDS),
                            renewalAgents,
                            name,
                            leaseTtl.toSeconds(),
                            interval.toSeconds(),
                            renewalWorkers)
                    + result.markdown();
        } finally {
            if (own) {
                cluster.close();
            }
        }
    }

    /** The postmaster of a PostgreSQL on this machine: the parent of a backend of ours. */
    private Optional<Long> postmaster() throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgresUrl);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            Path stat = Path.of("/proc", Long.toString(row.getLong(1)), "stat");
            if (!Files.isReadable(stat)) {
                return Optional.empty();
            }
            String text = Files.readString(stat);
            return Optional.of(
                    Long.parseLong(text.substring(text.lastIndexOf(')') + 2).split(" ")[1]));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void warmUp(SeatArbiter arbiter) throws Exception {
        if (arbiterWarmup.isZero() || arbiterWarmup.isNegative()) {
            return;
        }
        // A node's code is compiled by its JIT as calls come; the calls of a cluster are spread over its nodes, and
        // three JVMs compiling at once on 2 cores compile slowly: with the one warm-up for every arbiter, a cluster
        // of 3 was measured while its nodes' compiler threads still took most of their processor time (a profile
        // of a node: 60 % in C2), and did half the pairs it did once warm.
        Duration length = switch (arbiter) {
            case ClusterArbiter cluster ->
                arbiterWarmup.multipliedBy(cluster.nodes().size());
            case ThinTierArbiter thin ->
                arbiterWarmup.multipliedBy(thin.processes().size());
            default -> arbiterWarmup;
        };
        stderr.println("== warming up " + arbiter.name() + " for " + length.toSeconds() + " s");
        LoadDriver warm = new LoadDriver(new RunLength.Timed(Duration.ZERO, length.dividedBy(2)));
        arbiter.reset(capacity);
        warm.pairs(arbiter, 8);
        if (!(arbiter instanceof ThinTierArbiter)) {
            arbiter.reset(capacity);
            warm.renewals(arbiter, 8);
        }
    }

    private RunLength runLength() {
        if (operations == null) {
            return new RunLength.Timed(warmup, duration);
        }
        if (operations.size() != 2) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--operations takes two counts: warm-up,measured");
        }
        return new RunLength.Counted(operations.get(0), operations.get(1));
    }

    private String lengthText() {
        return operations != null
                ? operations.get(1) + " operations per client measured after " + operations.get(0) + " of warm-up"
                : duration.toSeconds() + " s measured after " + warmup.toSeconds() + " s warm-up";
    }

    private static double median(List<Measurement> runs, ToDoubleFunction<Measurement> value) {
        double[] values = runs.stream().mapToDouble(value).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
