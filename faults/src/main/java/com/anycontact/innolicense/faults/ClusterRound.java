package com.anycontact.innolicense.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * One run of the cluster suite: a throwaway PostgreSQL ({@link PostgresServer}; with a synchronous streaming
 * standby when the round fails it over), {@value #NODES} server nodes on it ({@code --database}), the agents
 * spread over the nodes and failing over between them as the SDK does ({@link SeatClient}), the planned faults
 * injected at random moments spread over the run, and the whole cluster's history checked by {@link
 * HistoryChecker}.
 *
 * <p>Fault by fault: {@link FaultEvent.Kind#KILL} is {@code kill -9} of a random node and its immediate restart
 * (it rejoins on a new node ID); {@link FaultEvent.Kind#PAUSE} is {@code SIGSTOP} of a node for 1.5 lease TTLs,
 * then {@code SIGCONT} — the first pause of a round stops the leader (found by {@code GET /health/ready}); {@link
 * FaultEvent.Kind#CLOCK_SKEW} restarts a random node with its wall clock {@value #SKEW_SECONDS} s ahead (its
 * injected clock, or with {@code --clock faketime} that node alone under libfaketime), keeps it so for 1.5 TTLs
 * and restarts it with the right clock; {@link FaultEvent.Kind#BOOT_AHEAD} and {@link FaultEvent.Kind#BOOT_BEHIND}
 * restart a random node with its wall clock {@link #FAR_OFF} ahead or behind the same way, create an API token
 * through it, keep it so for 1.5 TTLs and restart it with the right clock, checking through the admin API ({@link
 * #checkDatedRight}) on it and then on every node that nothing is dated ahead or behind; {@link
 * FaultEvent.Kind#CLOCK_FORWARD} and {@link FaultEvent.Kind#CLOCK_BACK} step a running node's wall clock {@link
 * #FAR_OFF} ahead or behind (the leader first), create an API token through it, keep it so for 1.5 TTLs and step it
 * to real time again (recorded as a step the other way), checking the same; {@link
 * FaultEvent.Kind#DATABASE_RESTART} is {@code pg_ctl stop -m fast}, a second, then {@code pg_ctl start}, no node restarted; {@link FaultEvent.Kind#DATABASE_FAILOVER}
 * kills the primary with {@code SIGKILL} and promotes the synchronous standby ({@code pg_ctl promote}), the nodes
 * finding it through their multi-host JDBC URL ({@code targetServerType=primary}); once a round, as the old
 * primary does not come back; {@link FaultEvent.Kind#PARTITION} cuts a node off from the database for 1.5 TTLs
 * (the first partition of a round cuts the leader), the other nodes still reaching it: in a round with
 * partitions every node reaches each PostgreSQL server through a {@link DatabaseRelay} of its own, which drops
 * everything, both ways, until it is healed; {@link FaultEvent.Kind#LATENCY} delays everything between a node and
 * the database, both ways, by a random {@value #MIN_DELAY_MILLIS} to {@value #MAX_DELAY_MILLIS} ms for 1.5 TTLs
 * (the leader first), through the same relays; {@link FaultEvent.Kind#DISK_FULL} fills the disk of the database's
 * tables (a tmpfs tablespace, as root) with a ballast for 1.5 TTLs, then deletes it, no node restarted.
 */
final class ClusterRound {

    /** The nodes of a cluster round. */
    static final int NODES = 3;

    /** How far ahead a skewed node's clock is. */
    static final int SKEW_SECONDS = 30;

    /**
     * How far off a node's clock is when it is booted or stepped far ahead or behind: beyond the license's term and
     * grace (12 months and 2 weeks from yesterday), so that any node whose license clock took it ahead would find the
     * license lapsed ({@code DEMO}), and one whose license clock took it behind would find it not yet begun.
     */
    static final Duration FAR_OFF = Duration.ofDays(400);

    /**
     * How long a clock step takes to reach a running node: its injected clock re-reads its file every 100 ms (a
     * node runs under libfaketime only while skewed or booted ahead, so a running node's clock is always injected).
     */
    private static final Duration CLOCK_STEP_LATENCY = Duration.ofMillis(1_200);

    /** How far from real time a license clock or an audit entry may be before it counts as dated ahead or behind. */
    static final Duration TIME_BOUND = Duration.ofMinutes(2);

    /** How many of a node's newest audit entries are checked for one dated before the round began. */
    private static final int NEWEST_AUDIT = 200;

    /**
     * The range of a slowed node's delay each way, drawn once per fault: from a slow link, through round trips
     * that make its clock readings too slow to tell (above its clock bound of a quarter TTL), to round trips beyond
     * its seat calls' deadline (2 s) and its answer timeout (5 s).
     */
    static final int MIN_DELAY_MILLIS = 200;

    static final int MAX_DELAY_MILLIS = 2_000;

    /**
     * The size of the database's own disk in a round that fills it: room to spare for a round's leases, denials
     * and usage until the ballast takes the rest.
     */
    private static final String SMALL_DISK = "64m";

    private final FaultRound.Plan plan;
    private final Path jar;
    private final Path directory;
    private final Duration recoveryBound;
    private final PrintStream out;
    private final Random random;
    private final List<FaultEvent> injected = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private final List<HistoryChecker.Violation> roundViolations = new ArrayList<>();
    private final List<ServerNode> nodes = new ArrayList<>();
    private PostgresServer primary;
    private PostgresServer standby;
    private final List<PostgresServer> databases = new ArrayList<>();
    private final List<List<DatabaseRelay>> relays = new ArrayList<>();
    private boolean pausedLeader;
    private boolean cutLeader;
    private boolean slowedLeader;
    private boolean steppedLeaderAhead;
    private boolean steppedLeaderBehind;
    private boolean diskUnavailable;
    private long origin;
    private Instant originWall;

    ClusterRound(FaultRound.Plan plan, Path jar, Path directory, Duration recoveryBound, PrintStream out) {
        this.plan = Objects.requireNonNull(plan, "plan");
        this.jar = Objects.requireNonNull(jar, "jar");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.recoveryBound = Objects.requireNonNull(recoveryBound, "recoveryBound");
        this.out = Objects.requireNonNull(out, "out");
        this.random = new Random(plan.seed());
    }

    /** Runs the round and checks its history. */
    FaultRound.Outcome run() throws IOException, InterruptedException {
        long began = System.nanoTime();
        origin = began;
        originWall = Instant.now();
        List<AcdAgent> agents = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        SeatClient.Served served = new SeatClient.Served(NODES);
        long end;
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(plan.ttl().dividedBy(2))
                .build();
        try {
            primary = PostgresServer.primary("primary", directory.resolve("postgres-primary.log"));
            if (plan.faults().contains(FaultEvent.Kind.DISK_FULL)) {
                if (FaultRound.isRoot()) {
                    primary.smallDisk(SMALL_DISK);
                    out.println("  the database's tables on a tmpfs of " + SMALL_DISK + ", to be filled");
                } else {
                    diskUnavailable = true;
                }
            }
            List<PostgresServer> servers = new ArrayList<>(List.of(primary));
            if (plan.faults().contains(FaultEvent.Kind.DATABASE_FAILOVER)) {
                standby = primary.synchronousStandby("standby1", directory.resolve("postgres-standby.log"));
                servers.add(standby);
            }
            String database = PostgresServer.jdbcUrl(
                    servers.stream().map(PostgresServer::port).toList());
            out.println("  database " + database);
            boolean relayed = plan.faults().contains(FaultEvent.Kind.PARTITION)
                    || plan.faults().contains(FaultEvent.Kind.LATENCY);
            if (relayed) {
                for (int i = 0; i < NODES; i++) {
                    List<DatabaseRelay> ofNode = new ArrayList<>();
                    for (PostgresServer server : servers) {
                        ofNode.add(DatabaseRelay.to(server.port()));
                    }
                    relays.add(ofNode);
                }
                out.println("  each node through relays of its own, to be cut or slowed: node 0 at "
                        + PostgresServer.jdbcUrl(relays.getFirst().stream()
                                .map(DatabaseRelay::port)
                                .toList()));
            }
            RunVendor vendor = new RunVendor();
            ServerNode.Admin admin = ServerNode.Admin.random();
            for (int i = 0; i < NODES; i++) {
                // the broken store, if any, on the first node only: one bad node among good ones must be caught
                String broken = i == 0 ? plan.brokenStore() : "";
                // with libfaketime, which makes a JVM several times slower, only the skewed node runs under it
                // while skewed (below): three nodes under it on 2 cores started in minutes, not seconds
                String url = relayed
                        ? PostgresServer.jdbcUrl(
                                relays.get(i).stream().map(DatabaseRelay::port).toList())
                        : database;
                nodes.add(new ServerNode(
                        i,
                        new ServerNode.Launch(jar, broken, plan.ttl(), ServerNode.Clock.INJECTED, url),
                        directory.resolve("node-" + i),
                        vendor,
                        admin));
            }
            nodes.getFirst().start(); // the first node migrates the schema; the others start beside each other
            startTogether(nodes.subList(1, NODES));
            String token = nodes.getFirst().setUp(vendor, plan.capacity());
            for (int i = 0; i < plan.agents(); i++) {
                SeatClient client =
                        new SeatClient(nodes, i % NODES, token, plan.ttl().dividedBy(2), http, served);
                AcdAgent agent = new AcdAgent(
                        String.format(Locale.ROOT, "acd%02d", i), client, plan.ttl(), random.nextLong(), running::get);
                agents.add(agent);
                threads.add(Thread.ofPlatform().name("agent-" + i).start(agent));
            }
            long start = System.nanoTime();
            long warmup = plan.ttl().toNanos();
            long tail = plan.ttl().multipliedBy(2).toNanos();
            long span = Math.max(0, plan.length().toNanos() - warmup - tail);
            List<FaultEvent.Kind> faults = plan.faults();
            long slot = faults.isEmpty() ? 0 : span / faults.size();
            for (int i = 0; i < faults.size(); i++) {
                long at = start + warmup + i * slot + (slot > 0 ? random.nextLong(slot / 2) : 0);
                FaultRound.sleepUntil(at);
                awaitService(served, start);
                inject(faults.get(i));
            }
            FaultRound.sleepUntil(Math.max(start + plan.length().toNanos(), System.nanoTime() + tail));
            awaitService(served, start);
        } finally {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(plan.ttl().toMillis() * 4);
            }
            end = System.nanoTime();
            for (ServerNode node : nodes) {
                node.close();
            }
            relays.forEach(ofNode -> ofNode.forEach(DatabaseRelay::close));
            http.close();
            if (standby != null) {
                databases.add(standby);
            }
            if (primary != null) {
                databases.add(primary);
            }
            for (PostgresServer database : databases) {
                database.close();
            }
        }
        List<Op> history = new ArrayList<>();
        agents.forEach(agent -> history.addAll(agent.history()));
        HistoryChecker checker = new HistoryChecker(
                new HistoryChecker.Settings(plan.capacity(), plan.ttl(), recoveryBound, Duration.ofMillis(500)));
        HistoryChecker.Result result = withRoundViolations(checker.check(history, injected, end));
        FaultRound.write(directory, history, injected, result, began);
        int agentsSeen = (int) history.stream().map(Op::agent).distinct().count();
        return new FaultRound.Outcome(
                plan,
                List.copyOf(injected),
                List.copyOf(skipped),
                agentsSeen,
                result,
                directory,
                System.nanoTime() - began,
                FaultRound.Outage.of(history, injected),
                FaultRound.Outage.onNodes(history, injected, FaultEvent.Kind.PARTITION),
                FaultRound.Outage.onNodes(history, injected, FaultEvent.Kind.LATENCY));
    }

    /**
     * The lines of a node's log that say a request failed, so that it was answered 500 or not at all (the route's
     * and the fast path's warnings): what the agents cannot see when they had given up on the call before it failed
     * (a call held up by a slow database, say).
     */
    static final Pattern FAILED_ANSWER = Pattern.compile(
            "^\\S+ WARN (Problems|SeatFastPath) - (.* failed|a request failed after its response was gone.*)$");

    /**
     * The checker's result with the round's own violations: what {@link #checkDatedRight} found, and a {@link
     * HistoryChecker.Rule#SERVER_ERROR} violation for every request that a node's log says failed, whether or not an
     * agent saw its answer.
     */
    private HistoryChecker.Result withRoundViolations(HistoryChecker.Result result) throws IOException {
        List<HistoryChecker.Violation> logged = new ArrayList<>(roundViolations);
        for (ServerNode node : nodes) {
            if (!Files.exists(node.log())) {
                continue;
            }
            for (String line : Files.readAllLines(node.log())) {
                if (FAILED_ANSWER.matcher(line).matches()) {
                    logged.add(new HistoryChecker.Violation(
                            HistoryChecker.Rule.SERVER_ERROR,
                            "node-" + node.id(),
                            loggedAt(line),
                            "node " + node.id() + " logged a request that failed (answered 500, or not at all): "
                                    + line));
                }
            }
        }
        if (logged.isEmpty()) {
            return result;
        }
        List<HistoryChecker.Violation> violations = new ArrayList<>(result.violations());
        violations.addAll(logged);
        return new HistoryChecker.Result(
                result.operations(),
                result.grants(),
                result.denials(),
                result.unknown(),
                violations,
                result.worstRecoveryNanos());
    }

    /** When a log line was written, on the round's monotonic clock, from the instant it begins with. */
    private long loggedAt(String line) {
        try {
            Instant at = Instant.parse(line.substring(0, line.indexOf(' ')));
            return origin + Duration.between(originWall, at).toNanos();
        } catch (RuntimeException e) {
            return origin;
        }
    }

    private static void startTogether(List<ServerNode> nodes) throws IOException, InterruptedException {
        List<Thread> starting = new ArrayList<>();
        List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
        for (ServerNode node : nodes) {
            starting.add(Thread.ofPlatform().start(() -> {
                try {
                    node.start();
                } catch (IOException | InterruptedException | RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : starting) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IOException("a node did not start: " + failures.getFirst().getMessage(), failures.getFirst());
        }
    }

    /**
     * Waits until the node of the last fault (any node, for the database) has answered a seat call invoked after
     * the fault ended, or the recovery bound has passed.
     */
    private void awaitService(SeatClient.Served served, long start) throws InterruptedException {
        if (injected.isEmpty()) {
            return;
        }
        FaultEvent last = injected.getLast();
        long ended = Math.max(start, last.endedNanos());
        while (served.lastInvocation(last.node()) < ended && System.nanoTime() < ended + recoveryBound.toNanos()) {
            Thread.sleep(250);
        }
    }

    private void inject(FaultEvent.Kind kind) throws IOException, InterruptedException {
        Duration hold = plan.ttl().multipliedBy(3).dividedBy(2);
        long started = System.nanoTime();
        FaultEvent event = switch (kind) {
            case KILL -> {
                ServerNode node = nodes.get(random.nextInt(NODES));
                long pid = node.pid();
                node.kill();
                long relaunched = System.nanoTime();
                node.start();
                yield new FaultEvent(kind, node.id(), started, relaunched, System.nanoTime(), "kill -9 " + pid);
            }
            case PAUSE -> {
                ServerNode leader = pausedLeader ? null : leader();
                ServerNode node = leader != null ? leader : nodes.get(random.nextInt(NODES));
                String role = leader != null ? "the leader" : "a random node";
                pausedLeader = true;
                node.pause();
                Thread.sleep(hold);
                node.resume();
                yield FaultEvent.of(kind, node.id(), started, System.nanoTime(), "SIGSTOP of " + role + " for " + hold);
            }
            case CLOCK_SKEW -> {
                ServerNode node = nodes.get(random.nextInt(NODES));
                node.kill();
                node.clockOffset(Duration.ofSeconds(SKEW_SECONDS));
                node.useClock(plan.clock());
                long skewedLaunch = System.nanoTime();
                node.start();
                Thread.sleep(hold);
                node.kill();
                long skewEnded = System.nanoTime();
                node.clockOffset(Duration.ZERO);
                node.useClock(ServerNode.Clock.INJECTED);
                node.start();
                yield new FaultEvent(
                        kind,
                        node.id(),
                        skewedLaunch,
                        skewEnded,
                        System.nanoTime(),
                        "restarted " + SKEW_SECONDS + " s ahead for " + hold);
            }
            case BOOT_AHEAD -> bootedFarOff(kind, FAR_OFF, hold);
            case BOOT_BEHIND -> bootedFarOff(kind, FAR_OFF.negated(), hold);
            case CLOCK_FORWARD -> steppedFarOff(kind, FAR_OFF, hold);
            case CLOCK_BACK -> steppedFarOff(kind, FAR_OFF.negated(), hold);
            case DATABASE_RESTART -> {
                primary.stop();
                Thread.sleep(1_000);
                primary.start();
                yield FaultEvent.of(
                        kind, FaultEvent.ALL_NODES, started, System.nanoTime(), "pg_ctl stop -m fast, 1 s, start");
            }
            case DATABASE_FAILOVER -> {
                if (standby == null) {
                    skipped.add(kind + ": no standby left to promote (one failover a round)");
                    out.println("!!! SKIPPED " + kind + " in round " + plan.name() + ": no standby left");
                    yield null;
                }
                long pid = primary.kill();
                standby.promote();
                databases.add(primary); // dead, closed (its log kept) at the end
                primary = standby;
                standby = null;
                yield FaultEvent.of(
                        kind,
                        FaultEvent.ALL_NODES,
                        started,
                        System.nanoTime(),
                        "SIGKILL of the primary (pid " + pid + "), pg_ctl promote of the standby");
            }
            case DISK_FULL -> {
                if (diskUnavailable) {
                    skipped.add(kind + ": a full database disk needs root, to mount a tmpfs for its tablespace");
                    out.println("!!! SKIPPED " + kind + " in round " + plan.name() + ": not root, no tmpfs to fill");
                    yield null;
                }
                long bytes = primary.fillSmallDisk();
                long full = System.nanoTime();
                Thread.sleep(hold);
                primary.emptySmallDisk();
                yield FaultEvent.of(
                        kind,
                        FaultEvent.ALL_NODES,
                        full,
                        System.nanoTime(),
                        "the database's tablespace filled by a ballast of " + bytes + " bytes for " + hold);
            }
            case PARTITION -> {
                ServerNode leader = cutLeader ? null : leader();
                ServerNode node = leader != null ? leader : nodes.get(random.nextInt(NODES));
                String role = leader != null ? "the leader" : "a random node";
                cutLeader = true;
                long cut = System.nanoTime();
                relays.get(node.id()).forEach(DatabaseRelay::cut);
                Thread.sleep(hold);
                relays.get(node.id()).forEach(DatabaseRelay::heal);
                yield FaultEvent.of(
                        kind, node.id(), cut, System.nanoTime(), role + " cut off from the database for " + hold);
            }
            case LATENCY -> {
                ServerNode leader = slowedLeader ? null : leader();
                ServerNode node = leader != null ? leader : nodes.get(random.nextInt(NODES));
                String role = leader != null ? "the leader" : "a random node";
                slowedLeader = true;
                Duration delay =
                        Duration.ofMillis(MIN_DELAY_MILLIS + random.nextInt(MAX_DELAY_MILLIS - MIN_DELAY_MILLIS + 1));
                long slowed = System.nanoTime();
                relays.get(node.id()).forEach(relay -> relay.delay(delay));
                Thread.sleep(hold);
                relays.get(node.id()).forEach(relay -> relay.delay(Duration.ZERO));
                yield FaultEvent.of(
                        kind,
                        node.id(),
                        slowed,
                        System.nanoTime(),
                        role + "'s traffic with the database delayed " + delay.toMillis() + " ms each way for " + hold);
            }
            default -> throw new IllegalArgumentException(kind + " is not a cluster fault");
        };
        if (event != null) {
            record(event, started);
        }
    }

    /** Adds the fault to those injected and says so; {@code started} when the harness began to inject it. */
    private void record(FaultEvent event, long started) {
        injected.add(event);
        out.printf(
                Locale.ROOT,
                "  %-17s at %6.1f s, node %s, %s (took %.1f s)%n",
                event.kind(),
                (event.startedNanos() - origin) / 1e9,
                event.node() == FaultEvent.ALL_NODES ? "all" : Integer.toString(event.node()),
                event.detail(),
                (event.readyNanos() - started) / 1e9);
    }

    /**
     * Kills a random node and restarts it with its wall clock {@code offset} off (its plan's clock: injected, or
     * libfaketime), keeps it so ({@link #keptFarOff}), then restarts it with the right clock and checks every node.
     */
    private FaultEvent bootedFarOff(FaultEvent.Kind kind, Duration offset, Duration hold)
            throws IOException, InterruptedException {
        ServerNode node = nodes.get(random.nextInt(NODES));
        node.kill();
        node.clockOffset(offset);
        node.useClock(plan.clock());
        long launched = System.nanoTime();
        node.start();
        String off = farOff(offset);
        HistoryChecker.Rule rule = datedRule(offset);
        keptFarOff(node, rule, "node " + node.id() + " running " + off, hold);
        node.kill();
        long ended = System.nanoTime();
        node.clockOffset(Duration.ZERO);
        node.useClock(ServerNode.Clock.INJECTED);
        node.start();
        checkEveryNodeDatedRight(rule, "after node " + node.id() + " was restarted with the right clock");
        return new FaultEvent(
                kind,
                node.id(),
                launched,
                ended,
                System.nanoTime(),
                "restarted " + off + " for " + hold + ", an API token created through it");
    }

    /**
     * Steps a running node's wall clock {@code offset} off (NTP gone wrong), keeps it so ({@link #keptFarOff}), then
     * steps it to real time again and checks every node: two steps, each recorded as the single-node rounds record
     * theirs. The leader first, once each way: it writes the trusted-time mark, which only ever grows, and the
     * lifecycle's audit entries.
     */
    private FaultEvent steppedFarOff(FaultEvent.Kind kind, Duration offset, Duration hold)
            throws IOException, InterruptedException {
        boolean ahead = !offset.isNegative();
        ServerNode leader = (ahead ? steppedLeaderAhead : steppedLeaderBehind) ? null : leader();
        ServerNode node = leader != null ? leader : nodes.get(random.nextInt(NODES));
        if (ahead) {
            steppedLeaderAhead = true;
        } else {
            steppedLeaderBehind = true;
        }
        String off = farOff(offset);
        node.clockOffset(offset);
        long away = System.nanoTime();
        record(
                FaultEvent.of(
                        kind,
                        node.id(),
                        away,
                        away + CLOCK_STEP_LATENCY.toNanos(),
                        "wall clock of " + (leader != null ? "the leader" : "a random node") + " stepped " + off
                                + " while running"),
                away);
        Thread.sleep(CLOCK_STEP_LATENCY);
        HistoryChecker.Rule rule = datedRule(offset);
        keptFarOff(node, rule, "node " + node.id() + " stepped " + off, hold);
        node.clockOffset(Duration.ZERO);
        long back = System.nanoTime();
        Thread.sleep(CLOCK_STEP_LATENCY);
        checkEveryNodeDatedRight(rule, "after node " + node.id() + "'s clock was set right again");
        return FaultEvent.of(
                ahead ? FaultEvent.Kind.CLOCK_BACK : FaultEvent.Kind.CLOCK_FORWARD,
                node.id(),
                back,
                back + CLOCK_STEP_LATENCY.toNanos(),
                "wall clock stepped " + (ahead ? "back " : "forward ") + FAR_OFF.toDays() + " days to real time after "
                        + hold + ", an API token created through the node meanwhile");
    }

    private static String farOff(Duration offset) {
        return offset.abs().toDays() + " days " + (offset.isNegative() ? "behind" : "ahead");
    }

    /** The rule a node whose clock was {@code offset} off breaks when it dates something wrong. */
    private static HistoryChecker.Rule datedRule(Duration offset) {
        return offset.isNegative() ? HistoryChecker.Rule.DATED_BEHIND : HistoryChecker.Rule.DATED_AHEAD;
    }

    /**
     * What a node whose clock is far off goes through: an administrator's write through it (an API token, whose
     * audit entry is evidence for every later start's clock), checked at once, then the hold, checked again.
     */
    private void keptFarOff(ServerNode node, HistoryChecker.Rule rule, String off, Duration hold)
            throws IOException, InterruptedException {
        JsonNode token = node.createToken("faults-far-off-" + injected.size());
        checkDatedRight(node, rule, off, "the API token created through it", token.path("createdAt"));
        Thread.sleep(hold);
        checkDatedRight(node, rule, off + " for " + hold, "", MissingNode.getInstance());
    }

    /** {@link #checkDatedRight} on every node, once the node that was off is set right. */
    private void checkEveryNodeDatedRight(HistoryChecker.Rule rule, String when)
            throws IOException, InterruptedException {
        for (ServerNode node : nodes) {
            checkDatedRight(node, rule, when, "", MissingNode.getInstance());
        }
    }

    /**
     * Checks through the node's admin API that nothing it shows is dated off real time (rules {@link
     * HistoryChecker.Rule#DATED_AHEAD} and {@link HistoryChecker.Rule#DATED_BEHIND}): its license clock reads real
     * time within {@link #TIME_BOUND}, its license is the one applied ({@code ACTIVE}, the plan's seats), no audit
     * entry is dated more than that bound ahead of real time, none of its newest {@value #NEWEST_AUDIT} more than
     * that bound before the round began, nor is the instant given ({@code dated}, when not missing) off real time.
     * A violation for each that fails: of the rule of its direction, and a license not the one applied of {@code
     * rule}, the direction of the fault.
     */
    private void checkDatedRight(ServerNode node, HistoryChecker.Rule rule, String when, String what, JsonNode dated)
            throws IOException, InterruptedException {
        Instant real = Instant.now();
        Instant latest = real.plus(TIME_BOUND);
        Instant earliest = originWall.minus(TIME_BOUND);
        Map<String, HistoryChecker.Rule> problems = new LinkedHashMap<>();
        JsonNode status = node.licenseStatus();
        Instant trusted = Instant.parse(status.path("clock").path("trustedTime").asText());
        if (Duration.between(real, trusted).abs().compareTo(TIME_BOUND) > 0) {
            problems.put("its license clock reads " + trusted + " at " + real, dated(trusted, real));
        }
        String state = status.path("state").asText();
        int capacity = status.path("capacity").asInt();
        if (!state.equals("ACTIVE") || capacity != plan.capacity()) {
            problems.put(
                    "its license is " + state + " with " + capacity + " seats, not ACTIVE with " + plan.capacity(),
                    rule);
        }
        if (!dated.isMissingNode()) {
            Instant at = Instant.parse(dated.asText());
            if (Duration.between(real, at).abs().compareTo(TIME_BOUND) > 0) {
                problems.put(what + " is dated " + dated.asText() + " at " + real, dated(at, real));
            }
        }
        for (JsonNode event : node.auditFrom(latest)) {
            problems.put(auditEntry(event) + " at " + real, HistoryChecker.Rule.DATED_AHEAD);
        }
        for (JsonNode event : node.newestAudit(NEWEST_AUDIT)) {
            if (Instant.parse(event.path("at").asText()).isBefore(earliest)) {
                problems.put(
                        auditEntry(event) + ", before the round began at " + originWall,
                        HistoryChecker.Rule.DATED_BEHIND);
            }
        }
        problems.forEach((problem, broken) -> roundViolations.add(
                new HistoryChecker.Violation(broken, "node-" + node.id(), System.nanoTime(), when + ": " + problem)));
    }

    private static HistoryChecker.Rule dated(Instant at, Instant real) {
        return at.isBefore(real) ? HistoryChecker.Rule.DATED_BEHIND : HistoryChecker.Rule.DATED_AHEAD;
    }

    private static String auditEntry(JsonNode event) {
        return "audit entry " + event.path("id").asLong() + " ("
                + event.path("type").asText() + ") is dated " + event.path("at").asText();
    }

    /** The node that says it leads, or null when none does (or answers within five seconds) right now. */
    private ServerNode leader() throws InterruptedException {
        for (ServerNode node : nodes) {
            if (node.leads()) {
                return node;
            }
        }
        return null;
    }
}
