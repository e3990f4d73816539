package com.anycontact.innolicense.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of the suite: a fresh server (data directory, vendor key, license, ACD token), the agents working it
 * over HTTP, the planned faults injected at random moments spread over the run, and the history checked.
 *
 * <p>Fault by fault: a {@link FaultEvent.Kind#KILL} is {@code kill -9} and an immediate restart on the same data
 * directory and port; a {@link FaultEvent.Kind#PAUSE} is {@code SIGSTOP} for 1.5 lease TTLs, then {@code SIGCONT};
 * a clock step moves the server's wall clock an hour back or forward (through its clock file); a
 * {@link FaultEvent.Kind#DISK_FULL} fills the data directory's own small tmpfs with a ballast file for 1.5 TTLs,
 * then deletes it; a {@link FaultEvent.Kind#FOREIGN_LOCK} runs {@link SqliteWriteLock} for 1.5 TTLs. A fault whose
 * means are missing (not root for the tmpfs, no libfaketime when asked for) is skipped, loudly.
 */
final class FaultRound {

    /**
     * How long a clock step takes to reach the server: libfaketime re-reads its file at most once a second, the
     * injected clock every 100 ms.
     */
    private static final Duration CLOCK_STEP_LATENCY = Duration.ofMillis(1_200);

    private static final Duration CLOCK_STEP = Duration.ofHours(1);
    private static final String TMPFS_SIZE = "48m";

    /**
     * What to run.
     *
     * @param name the round's name, e.g. {@code kill}
     * @param faults the faults to inject, in order
     * @param length how long the agents run
     * @param agents how many agent threads
     * @param capacity the licensed seats
     * @param ttl the lease TTL
     * @param brokenStore empty for the real server, or the broken store to start ({@code off-by-one})
     * @param clock how clock steps reach the server (when the round has any)
     * @param seed the seed of every random choice
     */
    record Plan(
            String name,
            List<FaultEvent.Kind> faults,
            Duration length,
            int agents,
            int capacity,
            Duration ttl,
            String brokenStore,
            ServerNode.Clock clock,
            long seed) {
        Plan {
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(name, "name");
            faults = List.copyOf(faults);
            Objects.requireNonNull(length, "length");
            Objects.requireNonNull(ttl, "ttl");
            Objects.requireNonNull(brokenStore, "brokenStore");
        }

        /** Whether the server is deliberately broken, so that violations are expected. */
        boolean broken() {
            return !brokenStore.isEmpty();
        }
    }

    /**
     * What a round found.
     *
     * @param plan what was run
     * @param faults the faults injected
     * @param skipped the faults not injected, and why
     * @param agentsSeen how many agent IDs logged in
     * @param check the checker's verdict
     * @param directory where the history, the violations and the server log are
     * @param wallNanos how long the round took, startup included
     * @param outage how the nodes answered while the cluster database was down ({@link Outage#NONE} without such a
     *     fault)
     * @param cutOff how the nodes cut off from the database answered while they were ({@link Outage#NONE} without
     *     such a fault)
     * @param slowed how the nodes whose traffic with the database was slowed answered while it was ({@link
     *     Outage#NONE} without such a fault)
     */
    record Outcome(
            Plan plan,
            List<FaultEvent> faults,
            List<String> skipped,
            int agentsSeen,
            HistoryChecker.Result check,
            Path directory,
            long wallNanos,
            Outage outage,
            Outage cutOff,
            Outage slowed) {}

    /**
     * The seat calls invoked while the cluster database was down (from the stop or kill until it accepted
     * connections again), or on a node while it was cut off from it, as the agents saw them.
     *
     * @param calls how many were answered
     * @param unavailable how many of them were answered 503 {@code database-unavailable} or {@code store-unavailable} (a full disk) with {@code Retry-After}
     *     and no stack trace ({@link SeatClient} marks a refusal without either; the rest were served: a node's circuit can let a call through just after the database came back)
     * @param unanswered how many got no answer within the client's timeout (a hang)
     * @param medianNanos the median time to the answer, of the answered ones
     * @param worstNanos the longest time to the answer, of the answered ones
     */
    record Outage(int calls, int unavailable, int unanswered, long medianNanos, long worstNanos) {
        static final Outage NONE = new Outage(0, 0, 0, 0, 0);

        /** The calls of the history invoked during the faults of the cluster database. */
        static Outage of(List<Op> history, List<FaultEvent> faults) {
            return during(
                    history,
                    faults.stream()
                            .filter(f -> f.node() == FaultEvent.ALL_NODES)
                            .toList());
        }

        /**
         * The calls of the history invoked on a node during its faults of one kind: while it was cut off from the
         * database ({@link FaultEvent.Kind#PARTITION}), or while its traffic with it was slowed ({@link
         * FaultEvent.Kind#LATENCY}).
         */
        static Outage onNodes(List<Op> history, List<FaultEvent> faults, FaultEvent.Kind kind) {
            return during(history, faults.stream().filter(f -> f.kind() == kind).toList());
        }

        /** The calls invoked during these faults, on the fault's node (any node for the database's). */
        private static Outage during(List<Op> history, List<FaultEvent> faults) {
            List<Long> latencies = new ArrayList<>();
            int unavailable = 0;
            int unanswered = 0;
            for (Op op : history) {
                boolean during = faults.stream()
                        .anyMatch(f -> (f.node() == FaultEvent.ALL_NODES || f.node() == op.node())
                                && op.invokedNanos() >= f.startedNanos()
                                && op.invokedNanos() < f.endedNanos());
                if (!during) {
                    continue;
                }
                if (op.outcome() == Op.Outcome.UNKNOWN) {
                    unanswered++;
                } else if (op.outcome() == Op.Outcome.ANSWERED) {
                    latencies.add(op.answeredNanos() - op.invokedNanos());
                    if (op.status() == 503
                            && (op.problem().equals("database-unavailable")
                                    || op.problem().equals("store-unavailable"))) {
                        unavailable++;
                    }
                }
            }
            latencies.sort(null);
            return new Outage(
                    latencies.size(),
                    unavailable,
                    unanswered,
                    latencies.isEmpty() ? 0 : latencies.get(latencies.size() / 2),
                    latencies.isEmpty() ? 0 : latencies.getLast());
        }
    }

    private final Plan plan;
    private final Path jar;
    private final Path directory;
    private final Duration recoveryBound;
    private final PrintStream out;
    private final Random random;
    private final List<FaultEvent> injected = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private Duration clockOffset = Duration.ZERO;
    private long origin;

    FaultRound(Plan plan, Path jar, Path directory, Duration recoveryBound, PrintStream out) {
        this.plan = Objects.requireNonNull(plan, "plan");
        this.jar = Objects.requireNonNull(jar, "jar");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.recoveryBound = Objects.requireNonNull(recoveryBound, "recoveryBound");
        this.out = Objects.requireNonNull(out, "out");
        this.random = new Random(plan.seed());
    }

    /** Runs the round and checks its history. */
    Outcome run() throws IOException, InterruptedException {
        long began = System.nanoTime();
        origin = began;
        List<FaultEvent.Kind> faults = available(plan.faults());
        boolean disk = faults.contains(FaultEvent.Kind.DISK_FULL);
        boolean clock =
                faults.stream().anyMatch(k -> k == FaultEvent.Kind.CLOCK_BACK || k == FaultEvent.Kind.CLOCK_FORWARD);
        RunVendor vendor = new RunVendor();
        ServerNode node = new ServerNode(
                0,
                new ServerNode.Launch(
                        jar, plan.brokenStore(), plan.ttl(), clock ? plan.clock() : ServerNode.Clock.SYSTEM),
                directory.resolve("node-0"),
                vendor);
        boolean mounted = false;
        List<AcdAgent> agents = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        long end;
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(plan.ttl().dividedBy(2))
                .build();
        try {
            if (disk) {
                mount(node.dataDirectory());
                mounted = true;
            }
            node.start();
            String token = node.setUp(vendor, plan.capacity());
            SeatClient client = new SeatClient(node, token, plan.ttl().dividedBy(2), http);
            for (int i = 0; i < plan.agents(); i++) {
                AcdAgent agent = new AcdAgent(
                        String.format(Locale.ROOT, "acd%02d", i), client, plan.ttl(), random.nextLong(), running::get);
                agents.add(agent);
                threads.add(Thread.ofPlatform().name("agent-" + i).start(agent));
            }
            long start = System.nanoTime();
            long warmup = plan.ttl().toNanos();
            long tail = plan.ttl().multipliedBy(2).toNanos();
            long span = Math.max(0, plan.length().toNanos() - warmup - tail);
            long slot = faults.isEmpty() ? 0 : span / faults.size();
            for (int i = 0; i < faults.size(); i++) {
                long at = start + warmup + i * slot + (slot > 0 ? random.nextLong(slot / 2) : 0);
                sleepUntil(at);
                awaitService(client, start);
                inject(faults.get(i), node);
            }
            sleepUntil(Math.max(start + plan.length().toNanos(), System.nanoTime() + tail));
            awaitService(client, start);
        } finally {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(plan.ttl().toMillis() * 4);
            }
            end = System.nanoTime();
            node.close();
            http.close();
            if (mounted) {
                unmount(node.dataDirectory());
            }
        }
        List<Op> history = new ArrayList<>();
        agents.forEach(agent -> history.addAll(agent.history()));
        HistoryChecker checker = new HistoryChecker(
                new HistoryChecker.Settings(plan.capacity(), plan.ttl(), recoveryBound, Duration.ofMillis(500)));
        HistoryChecker.Result result = checker.check(history, injected, end);
        write(directory, history, injected, result, began);
        int agentsSeen = (int) history.stream().map(Op::agent).distinct().count();
        return new Outcome(
                plan,
                List.copyOf(injected),
                List.copyOf(skipped),
                agentsSeen,
                result,
                directory,
                System.nanoTime() - began,
                Outage.NONE,
                Outage.NONE,
                Outage.NONE);
    }

    /**
     * Waits until the server has answered a seat call invoked after the last fault ended, or the recovery bound
     * has passed: the next fault, or the end of the round, does not cut a recovery short.
     */
    private void awaitService(SeatClient client, long start) throws InterruptedException {
        long lastEnded =
                injected.stream().mapToLong(FaultEvent::endedNanos).max().orElse(start);
        while (client.lastServedInvocation() < lastEnded && System.nanoTime() < lastEnded + recoveryBound.toNanos()) {
            Thread.sleep(250);
        }
    }

    /** The planned faults this machine can inject; the others are reported as skipped. */
    private List<FaultEvent.Kind> available(List<FaultEvent.Kind> planned) {
        List<FaultEvent.Kind> available = new ArrayList<>();
        for (FaultEvent.Kind kind : planned) {
            String missing = switch (kind) {
                case DISK_FULL ->
                    isRoot() ? null : "disk full needs root, to mount a small tmpfs on the data directory";
                case CLOCK_BACK, CLOCK_FORWARD ->
                    Files.exists(ServerNode.LIBFAKETIME)
                            ? null
                            : "clock steps need libfaketime (apt-get install -y faketime): no "
                                    + ServerNode.LIBFAKETIME;
                default -> null;
            };
            if (missing == null) {
                available.add(kind);
            } else {
                skipped.add(kind + ": " + missing);
                out.println("!!! SKIPPED " + kind + " in round " + plan.name() + ": " + missing);
            }
        }
        return available;
    }

    private void inject(FaultEvent.Kind kind, ServerNode node) throws IOException, InterruptedException {
        Duration hold = plan.ttl().multipliedBy(3).dividedBy(2);
        long started = System.nanoTime();
        FaultEvent event = switch (kind) {
            case KILL -> {
                long pid = node.pid();
                node.kill();
                long relaunched = System.nanoTime();
                node.start();
                yield new FaultEvent(kind, node.id(), started, relaunched, System.nanoTime(), "kill -9 " + pid);
            }
            case PAUSE -> {
                node.pause();
                Thread.sleep(hold);
                node.resume();
                yield FaultEvent.of(kind, node.id(), started, System.nanoTime(), "SIGSTOP for " + hold);
            }
            case CLOCK_BACK, CLOCK_FORWARD -> {
                clockOffset = kind == FaultEvent.Kind.CLOCK_BACK
                        ? clockOffset.minus(CLOCK_STEP)
                        : clockOffset.plus(CLOCK_STEP);
                node.clockOffset(clockOffset);
                yield FaultEvent.of(
                        kind,
                        node.id(),
                        started,
                        started + CLOCK_STEP_LATENCY.toNanos(),
                        "wall clock now real " + (clockOffset.isNegative() ? "" : "+") + clockOffset.toSeconds()
                                + " s");
            }
            case DISK_FULL -> {
                Path ballast = node.dataDirectory().resolve("ballast");
                long bytes = fill(ballast);
                long full = System.nanoTime();
                Thread.sleep(hold);
                Files.deleteIfExists(ballast);
                yield new FaultEvent(
                        kind, node.id(), full, System.nanoTime(), System.nanoTime(), "ballast of " + bytes + " bytes");
            }
            case FOREIGN_LOCK -> foreignLock(node, hold);
            case CLOCK_SKEW, BOOT_AHEAD, BOOT_BEHIND, DATABASE_RESTART, DATABASE_FAILOVER, PARTITION, LATENCY ->
                throw new IllegalArgumentException(kind + " is a cluster fault (ClusterRound)");
        };
        if (event != null) {
            injected.add(event);
            out.printf(
                    Locale.ROOT,
                    "  %-13s at %6.1f s, %s%n",
                    kind,
                    (event.startedNanos() - origin) / 1e9,
                    event.detail());
        }
    }

    private FaultEvent foreignLock(ServerNode node, Duration hold) throws IOException, InterruptedException {
        Process holder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        jar + java.io.File.pathSeparator + ServerNode.ownClasses(),
                        SqliteWriteLock.class.getName(),
                        node.database().toString(),
                        Long.toString(hold.toMillis()))
                .redirectErrorStream(true)
                .start();
        long locked = -1;
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.append(line).append('\n');
                if (line.equals("locked")) {
                    locked = System.nanoTime();
                }
            }
        }
        if (!holder.waitFor(hold.toSeconds() + 60, TimeUnit.SECONDS)) {
            holder.destroyForcibly();
        }
        long released = System.nanoTime();
        if (locked < 0) {
            skipped.add("FOREIGN_LOCK: the lock holder did not get the lock: "
                    + output.toString().strip());
            out.println("!!! the foreign lock holder did not get SQLite's write lock: "
                    + output.toString().strip());
            return null;
        }
        return FaultEvent.of(FaultEvent.Kind.FOREIGN_LOCK, node.id(), locked, released, "BEGIN IMMEDIATE for " + hold);
    }

    /** Writes zeros into the file until the filesystem is full. */
    /** Writes {@code ballast} until its filesystem is full; answers how many bytes it took. */
    static long fill(Path ballast) throws IOException {
        long written = 0;
        byte[] block = new byte[1 << 20];
        try (OutputStream output = Files.newOutputStream(ballast)) {
            for (int size = block.length; size >= 512; size /= 2) {
                try {
                    while (true) {
                        output.write(block, 0, size);
                        output.flush();
                        written += size;
                    }
                } catch (IOException e) {
                    // full at this block size: try smaller ones to take the rest
                }
            }
        } catch (IOException e) {
            // closing a file on a full filesystem may fail too; the ballast stays as written
        }
        return written;
    }

    private void mount(Path dataDirectory) throws IOException, InterruptedException {
        run("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_SIZE, "tmpfs", dataDirectory.toString());
    }

    private void unmount(Path dataDirectory) throws IOException, InterruptedException {
        run("umount", dataDirectory.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
    }

    /** Whether this process runs as root, which mounting a tmpfs needs. */
    static boolean isRoot() {
        try {
            Process id = new ProcessBuilder("id", "-u").start();
            String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return id.waitFor() == 0 && uid.equals("0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Writes a round's history, faults and violations into its directory, with times from the round's origin. */
    static void write(
            Path directory, List<Op> history, List<FaultEvent> injected, HistoryChecker.Result result, long origin)
            throws IOException {
        List<Op> sorted = new ArrayList<>(history);
        sorted.sort(java.util.Comparator.comparingLong(Op::invokedNanos));
        List<String> lines = new ArrayList<>();
        for (Op op : sorted) {
            lines.add(op.describe(origin));
        }
        Files.write(directory.resolve("history.txt"), lines);
        List<String> faults = new ArrayList<>();
        for (FaultEvent fault : injected) {
            faults.add(String.format(
                    Locale.ROOT,
                    "%s node %s from %.3fs to %.3fs, ready %.3fs: %s",
                    fault.kind(),
                    fault.node() == FaultEvent.ALL_NODES ? "all (database)" : Integer.toString(fault.node()),
                    (fault.startedNanos() - origin) / 1e9,
                    (fault.endedNanos() - origin) / 1e9,
                    (fault.readyNanos() - origin) / 1e9,
                    fault.detail()));
        }
        Files.write(directory.resolve("faults.txt"), faults);
        List<String> violations = new ArrayList<>();
        for (HistoryChecker.Violation violation : result.violations()) {
            violations.add(String.format(
                    Locale.ROOT,
                    "%s at %.3fs %s: %s",
                    violation.rule(),
                    (violation.atNanos() - origin) / 1e9,
                    violation.agent(),
                    violation.message()));
        }
        Files.write(directory.resolve("violations.txt"), violations);
    }

    static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }
}
