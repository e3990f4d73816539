package com.anycontact.innolicense.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The load generator: runs the same load shapes against our seat ledger (in process and over HTTP)
 * and its peers (Redis, ZooKeeper, PostgreSQL), one arbiter after the other on the same machine,
 * and prints Markdown tables with absolute numbers, ratios to ours and what an acked claim survives.
 *
 * <p>Shapes, each at every client count of {@code --clients}: claim + release pairs per second with
 * the claim's p50/p99/p99.9 latency; renewals per second (each client holds one lease and renews it
 * in a loop); and a contention run ({@code --contention-clients} clients, {@code
 * --contention-capacity} seats, each claiming, holding for {@code --hold} and releasing) that counts
 * grants, denials and any moment with more seats held than the capacity. Clients are platform
 * threads in a closed loop. With {@code --scale}, instead, the scale run ({@link ScaleRun}).
 *
 * <p>Run (scripts/bench starts the peers and passes their addresses): {@code java -cp
 * bench/target/benchmarks.jar com.anycontact.innolicense.bench.load.LoadRun --duration 10s --warmup
 * 3s --clients 1,8,64 --arbiters ours-http,ours-inproc,redis,zookeeper,postgres --redis-url
 * redis://127.0.0.1:6390 --postgres-url 'jdbc:postgresql://127.0.0.1:5433/innolicense?user=postgres'}
 */
@Command(
        name = "LoadRun",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Measures the seat ledger beside its peers under the same load; prints Markdown.")
public final class LoadRun implements Callable<Integer> {

    @Option(
            names = "--duration",
            defaultValue = "10s",
            description = "measured part of each run (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "3s", description = "warm-up before each run (default ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(
            names = "--arbiter-warmup",
            defaultValue = "10s",
            description = "once per arbiter before its first row: claim + release pairs, then renewals, at 8 clients"
                    + " (JIT, connection pools, caches); 0s to skip (default ${DEFAULT-VALUE})")
    Duration arbiterWarmup;

    @Option(
            names = "--operations",
            split = ",",
            description = "instead of --warmup and --duration: operations per client, warm-up then measured,"
                    + " e.g. 100,1000 (for quick checks)")
    List<Integer> operations;

    @Option(
            names = "--clients",
            split = ",",
            defaultValue = "1,8,64",
            description = "concurrent clients of the pair and renewal runs (default ${DEFAULT-VALUE})")
    List<Integer> clients;

    @Option(
            names = "--arbiters",
            split = ",",
            defaultValue = "ours-http,ours-inproc,redis,zookeeper,postgres",
            description =
                    "ours-http, ours-http-raw, ours-inproc, ours-inproc-sqlite, redis, redis-aof-everysec, redis-aof-always,"
                            + " zookeeper, postgres"
                            + " (default ${DEFAULT-VALUE})")
    List<String> arbiters;

    @Option(
            names = "--scenarios",
            split = ",",
            defaultValue = "pairs,renewals,contention",
            description = "pairs, renewals, contention (default ${DEFAULT-VALUE})")
    List<String> scenarios;

    @Option(
            names = "--capacity",
            defaultValue = "1000",
            description = "seats in the pair and renewal runs (default ${DEFAULT-VALUE})")
    int capacity;

    @Option(names = "--contention-clients", defaultValue = "64", description = "default ${DEFAULT-VALUE}")
    int contentionClients;

    @Option(names = "--contention-capacity", defaultValue = "32", description = "default ${DEFAULT-VALUE}")
    int contentionCapacity;

    @Option(
            names = "--hold",
            defaultValue = "2ms",
            description =
                    "how long a contention client holds a seat, and waits after a denial (default ${DEFAULT-VALUE})")
    Duration hold;

    @Option(names = "--redis-url", description = "redis-server with persistence off, e.g. redis://127.0.0.1:6390")
    String redisUrl;

    @Option(names = "--redis-everysec-url", description = "redis-server with appendonly yes, appendfsync everysec")
    String redisEverysecUrl;

    @Option(names = "--redis-always-url", description = "redis-server with appendonly yes, appendfsync always")
    String redisAlwaysUrl;

    @Option(
            names = "--postgres-url",
            defaultValue = "${env:INNOLICENSE_TEST_POSTGRES_URL}",
            description =
                    "JDBC URL of a throwaway PostgreSQL (scripts/start-postgres); default $INNOLICENSE_TEST_POSTGRES_URL")
    String postgresUrl;

    @Option(
            names = "--zk-claim-wait",
            defaultValue = "5s",
            description = "how long a ZooKeeper claim may wait (default ${DEFAULT-VALUE})")
    Duration zkClaimWait;

    @Option(
            names = "--server-jar",
            defaultValue = "server/target/innolicense.jar",
            description = "default ${DEFAULT-VALUE}")
    Path serverJar;

    @Option(
            names = "--server-heap",
            defaultValue = "512m",
            description = "the server's -Xmx (default ${DEFAULT-VALUE})")
    String serverHeap;

    @Option(
            names = "--baseline",
            split = ",",
            defaultValue = "ours-http-raw,ours-http,ours-inproc",
            description =
                    "the arbiter ratios compare with: the first of these that was measured (default ${DEFAULT-VALUE})")
    List<String> baseline;

    @Option(names = "--work-dir", description = "where databases and logs go (default: a new temporary directory)")
    Path workDirectory;

    @Option(
            names = "--pid-dir",
            description = "where to note the PIDs of server processes started, for a script to clean up")
    Path pidDirectory;

    @Option(names = "--out", description = "also write the Markdown to this file")
    Path out;

    @Option(
            names = "--rounds",
            defaultValue = "0",
            description = "instead of the tables: the claim + release pairs of the arbiters at the clients and the"
                    + " contention run (as --scenarios names them), this many rounds, the arbiters taking turns"
                    + " within each round (their order rotated each round), so that drift of the machine falls on"
                    + " all of them alike; prints every round and the medians")
    private int rounds;

    @Option(names = "--scale", description = "run the scale test against one server instead")
    boolean scale;

    @Option(names = "--scale-leases", defaultValue = "100000", description = "default ${DEFAULT-VALUE}")
    int scaleLeases;

    @Option(names = "--scale-hold", defaultValue = "60s", description = "default ${DEFAULT-VALUE}")
    Duration scaleHold;

    @Option(names = "--scale-workers", defaultValue = "64", description = "default ${DEFAULT-VALUE}")
    int scaleWorkers;

    @Option(
            names = "--scale-probe-rate",
            defaultValue = "50",
            description = "prober logout + login cycles per second (default ${DEFAULT-VALUE})")
    int scaleProbeRate;

    @Option(names = "--scale-fill-timeout", defaultValue = "5m", description = "default ${DEFAULT-VALUE}")
    Duration scaleFillTimeout;

    @Option(
            names = "--lease-ttl",
            defaultValue = "60s",
            description = "the server's lease TTL in the scale run; leases are renewed every third of it"
                    + " (default ${DEFAULT-VALUE}, the server's: 100,000 leases make 5,000 renewals/s)")
    Duration leaseTtl;

    private final PrintStream stdout;
    private final PrintStream stderr;

    LoadRun(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Runs the load generator; see {@code --help}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The load generator as a function: parses, runs, prints; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine line = new CommandLine(new LoadRun(out, err))
                .registerConverter(Duration.class, LoadRun::duration)
                .setOut(new java.io.PrintWriter(out, true))
                .setErr(new java.io.PrintWriter(err, true));
        return line.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        Path work = workDirectory != null ? workDirectory : Files.createTempDirectory("innolicense-loadrun-");
        Files.createDirectories(work);
        try {
            String markdown = scale ? scale(work) : rounds > 0 ? rounds(work) : compare(work);
            stdout.println(markdown);
            if (out != null) {
                Files.writeString(out, markdown, StandardCharsets.UTF_8);
            }
            return 0;
        } finally {
            if (workDirectory == null) {
                deleteRecursively(work);
            }
        }
    }

    private String compare(Path work) throws Exception {
        LoadDriver driver = new LoadDriver(runLength());
        Report report = new Report();
        for (String name : arbiters) {
            stderr.println("== " + name);
            SeatArbiter arbiter;
            try {
                arbiter = open(name, work);
            } catch (Exception e) {
                stderr.println(name + ": not measured: " + e);
                report.failed(name, String.valueOf(e.getMessage()));
                continue;
            }
            try (arbiter) {
                report.arbiter(name, arbiter.durability());
                warmUp(arbiter);
                if (scenarios.contains("pairs")) {
                    for (int c : clients) {
                        arbiter.reset(capacity);
                        report.add(progress(driver.pairs(arbiter, c)));
                    }
                }
                if (scenarios.contains("renewals")) {
                    for (int c : clients) {
                        arbiter.reset(capacity);
                        report.add(progress(driver.renewals(arbiter, c)));
                    }
                }
                if (scenarios.contains("contention")) {
                    arbiter.reset(contentionCapacity);
                    ContentionResult result =
                            driver.contention(arbiter, contentionClients, contentionCapacity, hold.toNanos());
                    stderr.printf(
                            Locale.ROOT,
                            "%s contention: %d grants, %d denials, max in use %d, %d violations%n",
                            name,
                            result.grants(),
                            result.denials(),
                            result.maxInUse(),
                            result.violations());
                    report.add(result);
                }
            } catch (Exception e) {
                stderr.println(name + ": failed: " + e);
                report.failed(name, "failed during the run: " + e.getMessage());
            }
        }
        return header(report.baseline(baseline)) + "\n" + report.markdown(report.baseline(baseline));
    }

    /**
     * The pair runs and the contention run of every arbiter (those of them {@link #scenarios} names), {@link
     * #rounds} times, the arbiters taking turns: one row of one arbiter, then the next arbiter's, and the order
     * rotated each round. All arbiters stay open throughout.
     */
    private String rounds(Path work) throws Exception {
        LoadDriver driver = new LoadDriver(runLength());
        Map<String, SeatArbiter> open = new LinkedHashMap<>();
        Map<String, Durability> durability = new LinkedHashMap<>();
        Map<String, List<Measurement>> measured = new LinkedHashMap<>();
        Map<String, List<ContentionResult>> contended = new LinkedHashMap<>();
        try {
            for (String name : arbiters) {
                stderr.println("== " + name);
                SeatArbiter arbiter = open(name, work);
                open.put(name, arbiter);
                durability.put(name, arbiter.durability());
                warmUp(arbiter);
            }
            List<String> order = new ArrayList<>(open.keySet());
            for (int round = 1; round <= rounds; round++) {
                stderr.println("== round " + round + " of " + rounds + ": " + order);
                for (int c : scenarios.contains("pairs") ? clients : List.<Integer>of()) {
                    for (String name : order) {
                        SeatArbiter arbiter = open.get(name);
                        arbiter.reset(capacity);
                        measured.computeIfAbsent(name + "@" + c, key -> new ArrayList<>())
                                .add(progress(driver.pairs(arbiter, c)));
                    }
                }
                for (String name : scenarios.contains("contention") ? order : List.<String>of()) {
                    SeatArbiter arbiter = open.get(name);
                    arbiter.reset(contentionCapacity);
                    contended
                            .computeIfAbsent(name, key -> new ArrayList<>())
                            .add(progress(
                                    driver.contention(arbiter, contentionClients, contentionCapacity, hold.toNanos())));
                }
                Collections.rotate(order, 1);
            }
        } finally {
            for (SeatArbiter arbiter : open.values()) {
                arbiter.close();
            }
        }
        return roundsMarkdown(measured, durability) + contentionRoundsMarkdown(contended, durability);
    }

    private String roundsMarkdown(Map<String, List<Measurement>> measured, Map<String, Durability> durability) {
        String base =
                baseline.stream().filter(durability::containsKey).findFirst().orElse(arbiters.getFirst());
        StringBuilder table = new StringBuilder();
        table.append(String.format(
                Locale.ROOT,
                "Rounds %s: claim + release pairs, %d rounds, %s per row, the arbiters taking turns (order rotated"
                        + " each round) after a %d s warm-up of each; %d cores, Java %s. Ratios are of the medians,"
                        + " this arbiter ÷ %s at the same clients.%n%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                rounds,
                lengthText(),
                arbiterWarmup.toSeconds(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.version(),
                base));
        table.append("| arbiter | survives | clients |");
        for (int round = 1; round <= rounds; round++) {
            table.append(" round ").append(round).append(" |");
        }
        table.append(" median pairs/s | ÷ ").append(base).append(" | median claim p99 µs |\n|---|---|---:|");
        table.append("---:|".repeat(rounds)).append("---:|---:|---:|\n");
        for (int c : clients) {
            double baseMedian = median(measured.getOrDefault(base + "@" + c, List.of()), Measurement::perSecond);
            for (String name : durability.keySet()) {
                List<Measurement> runs = measured.getOrDefault(name + "@" + c, List.of());
                table.append("| ")
                        .append(name)
                        .append(" | ")
                        .append(durability.get(name).survives().label())
                        .append(" | ")
                        .append(c)
                        .append(" |");
                for (Measurement run : runs) {
                    table.append(' ').append(Report.count(run.perSecond())).append(" |");
                }
                double median = median(runs, Measurement::perSecond);
                table.append(' ')
                        .append(Report.count(median))
                        .append(" | ")
                        .append(Report.ratio(median, baseMedian))
                        .append(" | ")
                        .append(Report.micros(median(runs, run -> run.latency().p99())))
                        .append(" |\n");
            }
        }
        return table.toString();
    }

    /** The contention runs of the rounds, if any: grants per second in each round and the medians. */
    private String contentionRoundsMarkdown(
            Map<String, List<ContentionResult>> contended, Map<String, Durability> durability) {
        if (contended.isEmpty()) {
            return "";
        }
        String base =
                baseline.stream().filter(contended::containsKey).findFirst().orElse(arbiters.getFirst());
        java.util.function.ToDoubleFunction<ContentionResult> grantsPerSecond =
                run -> run.seconds() > 0 ? run.grants() / run.seconds() : 0;
        double baseMedian = median(contended.getOrDefault(base, List.of()), grantsPerSecond);
        StringBuilder table = new StringBuilder(String.format(
                Locale.ROOT,
                "%nContention in the same rounds: %d clients on %d seats, each holding a seat granted for %d ms and"
                        + " waiting as long after a denial; grants per second. Ratios are of the medians, this"
                        + " arbiter ÷ %s.%n%n",
                contentionClients,
                contentionCapacity,
                hold.toMillis(),
                base));
        table.append("| arbiter | survives |");
        for (int round = 1; round <= rounds; round++) {
            table.append(" round ").append(round).append(" |");
        }
        table.append(" median grants/s | ÷ ")
                .append(base)
                .append(" | median denials/s | median claim p99 µs | violations |\n|---|---|");
        table.append("---:|".repeat(rounds)).append("---:|---:|---:|---:|---:|\n");
        for (String name : durability.keySet()) {
            List<ContentionResult> runs = contended.getOrDefault(name, List.of());
            table.append("| ")
                    .append(name)
                    .append(" | ")
                    .append(durability.get(name).survives().label())
                    .append(" |");
            for (ContentionResult run : runs) {
                table.append(' ')
                        .append(Report.count(grantsPerSecond.applyAsDouble(run)))
                        .append(" |");
            }
            double median = median(runs, grantsPerSecond);
            long violations =
                    runs.stream().mapToLong(ContentionResult::violations).sum();
            table.append(' ')
                    .append(Report.count(median))
                    .append(" | ")
                    .append(Report.ratio(median, baseMedian))
                    .append(" | ")
                    .append(Report.count(median(runs, run -> run.seconds() > 0 ? run.denials() / run.seconds() : 0)))
                    .append(" | ")
                    .append(Report.micros(median(runs, run -> run.claimLatency().p99())))
                    .append(" | ")
                    .append(violations == 0 ? "0" : "**" + violations + "**")
                    .append(" |\n");
        }
        return table.toString();
    }

    private static <T> double median(List<T> runs, java.util.function.ToDoubleFunction<T> value) {
        double[] values = runs.stream().mapToDouble(value).sorted().toArray();
        if (values.length == 0) {
            return 0;
        }
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private void warmUp(SeatArbiter arbiter) throws Exception {
        if (arbiterWarmup.isZero() || arbiterWarmup.isNegative()) {
            return;
        }
        LoadDriver warm = new LoadDriver(new RunLength.Timed(Duration.ZERO, arbiterWarmup.dividedBy(2)));
        arbiter.reset(capacity);
        warm.pairs(arbiter, 8);
        arbiter.reset(capacity);
        warm.renewals(arbiter, 8);
    }

    private RunLength runLength() {
        if (operations == null) {
            return new RunLength.Timed(warmup, duration);
        }
        if (operations.size() != 2) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--operations takes two counts: warm-up,measured");
        }
        return new RunLength.Counted(operations.get(0), operations.get(1));
    }

    private ContentionResult progress(ContentionResult c) {
        stderr.printf(
                Locale.ROOT,
                "%s contention %d clients on %d seats: %s grants/s, %d grants, %d denials, claim p99 %s µs, max in use"
                        + " %d, %d violations, %d errors%n",
                c.arbiter(),
                c.clients(),
                c.capacity(),
                Report.count(c.seconds() > 0 ? c.grants() / c.seconds() : 0),
                c.grants(),
                c.denials(),
                Report.micros(c.claimLatency().p99()),
                c.maxInUse(),
                c.violations(),
                c.errors());
        return c;
    }

    private Measurement progress(Measurement m) {
        stderr.printf(
                Locale.ROOT,
                "%s %s %d clients: %s/s, p50 %s µs, p99 %s µs, %d denied, %d errors%n",
                m.arbiter(),
                m.scenario().name().toLowerCase(Locale.ROOT),
                m.clients(),
                Report.count(m.perSecond()),
                Report.micros(m.latency().p50()),
                Report.micros(m.latency().p99()),
                m.denials(),
                m.errors());
        return m;
    }

    private String scale(Path work) throws Exception {
        ServerProcess server = ServerProcess.start(
                serverJar, work.resolve("scale-server"), leaseTtl, serverJvmOptions(), pidDirectory);
        try (HttpArbiter arbiter = new HttpArbiter(server, true)) {
            ScaleRun.Result result = new ScaleRun(server, arbiter)
                    .run(scaleLeases, scaleWorkers, scaleHold, scaleProbeRate, scaleFillTimeout);
            return "Scale run " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ": one server (-Xmx" + serverHeap
                    + ", lease TTL " + leaseTtl.toSeconds() + " s), " + scaleWorkers
                    + " client threads renewing at the hint, a prober at " + scaleProbeRate
                    + " logout + login cycles/s.\n\n" + result.markdown();
        }
    }

    private SeatArbiter open(String name, Path work) throws Exception {
        int connections = clients.stream().mapToInt(Integer::intValue).max().orElse(1);
        connections = Math.max(connections, contentionClients);
        return switch (name) {
            case HttpArbiter.NAME ->
                new HttpArbiter(
                        ServerProcess.start(
                                serverJar,
                                Files.createTempDirectory(work, "server-"),
                                Duration.ofMillis(SeatArbiter.LEASE_TTL_MILLIS),
                                serverJvmOptions(),
                                pidDirectory),
                        true);
            case RawHttpArbiter.NAME ->
                new RawHttpArbiter(ServerProcess.start(
                        serverJar,
                        Files.createTempDirectory(work, "server-"),
                        Duration.ofMillis(SeatArbiter.LEASE_TTL_MILLIS),
                        serverJvmOptions(),
                        pidDirectory));
            case LedgerArbiter.JOURNALED, LedgerArbiter.SQLITE ->
                new LedgerArbiter(name, Files.createTempDirectory(work, "inproc-"));
            case "redis" ->
                new RedisArbiter(
                        name,
                        new Durability(Durability.Survives.NOTHING, "persistence off: no RDB, no AOF"),
                        required(redisUrl, "--redis-url"),
                        connections);
            case "redis-aof-everysec" ->
                new RedisArbiter(
                        name,
                        new Durability(
                                Durability.Survives.PROCESS_CRASH, "AOF written before the reply, fsync'd each second"),
                        required(redisEverysecUrl, "--redis-everysec-url"),
                        connections);
            case "redis-aof-always" ->
                new RedisArbiter(
                        name,
                        new Durability(Durability.Survives.POWER_LOSS, "AOF fsync'd before the reply"),
                        required(redisAlwaysUrl, "--redis-always-url"),
                        connections);
            case ZooKeeperArbiter.NAME -> new ZooKeeperArbiter(zkClaimWait);
            case PostgresArbiter.NAME -> new PostgresArbiter(required(postgresUrl, "--postgres-url"), connections);
            default -> throw new IllegalArgumentException("unknown arbiter '" + name + "'");
        };
    }

    private List<String> serverJvmOptions() {
        List<String> options = new ArrayList<>();
        options.add("-Xmx" + serverHeap);
        return options;
    }

    /** How long each row ran, for the headers. */
    private String lengthText() {
        return operations != null
                ? operations.get(1) + " operations per client measured after " + operations.get(0) + " of warm-up"
                : duration.toSeconds() + " s measured after " + warmup.toSeconds() + " s warm-up";
    }

    private String header(String comparedWith) {
        String length = lengthText();
        return String.format(
                Locale.ROOT,
                "Load run %s: %s per row, after a %d s warm-up of each arbiter; clients are platform threads in a closed"
                        + " loop; %d seats in the pair and renewal runs; contention: %d clients, %d seats, hold %d"
                        + " ms; lease TTL %d s; %d cores, Java %s. Ratios are this arbiter ÷ %s at the same"
                        + " clients.%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                length,
                arbiterWarmup.toSeconds(),
                capacity,
                contentionClients,
                contentionCapacity,
                hold.toMillis(),
                SeatArbiter.LEASE_TTL_MILLIS / 1000,
                Runtime.getRuntime().availableProcessors(),
                Runtime.version(),
                comparedWith);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static String required(String value, String option) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " is not given");
        }
        return value;
    }

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /** Reads {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT90S}). */
    static Duration duration(String text) {
        Matcher matcher = SHORT_DURATION.matcher(text.strip());
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(text.strip());
        } catch (RuntimeException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a duration; use e.g. 500ms, 10s, 2m");
        }
    }
}
