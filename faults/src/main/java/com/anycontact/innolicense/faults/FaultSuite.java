package com.anycontact.innolicense.faults;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fault-injection suite: runs rounds of {@link FaultRound}, each a fresh real server process under load from
 * 64 ACD agents with a small capacity and a short lease TTL, injecting faults and checking the agents'
 * histories with {@link HistoryChecker}; then one round against a deliberately broken seat store, which the
 * checker must catch. Prints and writes ({@code summary.md} in the output directory) runs, faults by kind,
 * operations checked, violations by rule, lost acknowledged claims and the worst recovery time per fault kind.
 *
 * <pre>
 * scripts/faults short    # a few minutes: one round per fault kind, then the broken store; CI runs it
 * scripts/faults long     # about 30 minutes (--minutes N): longer rounds, every fault kind mixed in too
 * scripts/faults cluster short   # the same on a cluster: 3 nodes on a throwaway PostgreSQL ({@link ClusterRound})
 * scripts/faults cluster long    # --minutes N (default 20)
 * </pre>
 *
 * <p>Exit code 0 when every round of the real server passed and the broken store was caught, 1 when a rule was
 * broken (or the broken store was not caught), 2 for a usage error or a harness failure.
 */
public final class FaultSuite {

    private FaultSuite() {}

    /**
     * Runs the suite.
     *
     * @param args {@code short|long} or {@code cluster short|long}, then options: {@code --minutes N} (long), {@code --jar PATH}, {@code --out
     *     DIR}, {@code --agents N}, {@code --capacity N}, {@code --ttl-seconds N}, {@code --seed N}, {@code
     *     --recovery-seconds N} (default 120), {@code --only KIND} (one round: kill, pause, clock, disk, lock, mixed, broken), {@code --clock injected|faketime}
     *     (how clock steps reach the server; libfaketime makes the JVM several times slower)
     */
    public static void main(String[] args) {
        try {
            System.exit(run(args, System.out));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(
                    "usage: FaultSuite [cluster] short|long [--minutes N] [--jar PATH] [--out DIR] [--agents N]"
                            + " [--capacity N] [--ttl-seconds N] [--seed N] [--only kill|pause|clock|disk|lock|mixed|broken]"
                            + " (cluster: --only kill|pause|database|failover|skew|ahead|behind|partition|disk|latency|mixed|broken)"
                            + " [--recovery-seconds N]"
                            + " [--clock injected|faketime]");
            System.exit(2);
        } catch (IOException | RuntimeException e) {
            System.err.println("fault suite failed: " + e);
            e.printStackTrace();
            System.exit(2);
        } catch (InterruptedException e) {
            System.exit(2);
        }
    }

    static int run(String[] arguments, PrintStream out) throws IOException, InterruptedException {
        boolean cluster = arguments.length > 0 && arguments[0].equals("cluster");
        String[] args = cluster ? java.util.Arrays.copyOfRange(arguments, 1, arguments.length) : arguments;
        if (args.length == 0 || !(args[0].equals("short") || args[0].equals("long"))) {
            throw new IllegalArgumentException("say short or long (or cluster short, cluster long)");
        }
        boolean longRun = args[0].equals("long");
        String mode = (cluster ? "cluster " : "") + args[0];
        int minutes = cluster ? 20 : 30;
        Path jar = Path.of("server", "target", "innolicense.jar");
        Path out0 = Path.of("faults", "target", "runs");
        int agents = cluster ? 48 : 64;
        int capacity = 4;
        int ttlSeconds = 6;
        long seed = System.currentTimeMillis();
        String only = null;
        Duration recoveryBound = Duration.ofSeconds(120);
        ServerNode.Clock clock = ServerNode.Clock.INJECTED;
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--minutes" -> minutes = Integer.parseInt(value);
                case "--jar" -> jar = Path.of(value);
                case "--out" -> out0 = Path.of(value);
                case "--agents" -> agents = Integer.parseInt(value);
                case "--capacity" -> capacity = Integer.parseInt(value);
                case "--ttl-seconds" -> ttlSeconds = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--only" -> only = value;
                case "--recovery-seconds" -> recoveryBound = Duration.ofSeconds(Long.parseLong(value));
                case "--clock" ->
                    clock = switch (value) {
                        case "injected" -> ServerNode.Clock.INJECTED;
                        case "faketime" -> ServerNode.Clock.FAKETIME;
                        default -> throw new IllegalArgumentException("--clock is injected or faketime, not " + value);
                    };
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(
                    "no server jar at " + jar + "; build it first: ./mvnw -B -pl faults -am package -DskipTests");
        }
        if (cluster && !PostgresServer.available()) {
            throw new IllegalArgumentException("the cluster rounds need PostgreSQL 15 at " + PostgresServer.BIN
                    + " (apt-get install -y postgresql-15, or set PG_BIN)");
        }
        if (cluster && clock == ServerNode.Clock.SYSTEM) {
            throw new IllegalArgumentException("the cluster rounds skew a node's clock: --clock injected|faketime");
        }
        Duration ttl = Duration.ofSeconds(ttlSeconds);
        Path runDirectory = out0.resolve(
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(':', '-'));
        Files.createDirectories(runDirectory);
        out.printf(
                Locale.ROOT,
                "fault suite (%s): %d agents, capacity %d, lease TTL %s, recovery bound %s, seed %d, output %s%n",
                mode,
                agents,
                capacity,
                ttl,
                recoveryBound,
                seed,
                runDirectory);

        List<FaultRound.Plan> plans = cluster
                ? clusterPlans(longRun, minutes, agents, capacity, ttl, clock, seed, only)
                : plans(longRun, minutes, agents, capacity, ttl, clock, seed, only);
        List<FaultRound.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            FaultRound.Plan plan = plans.get(i);
            out.printf(
                    Locale.ROOT,
                    "round %d/%d: %s, %d s, faults %s%s%n",
                    i + 1,
                    plans.size(),
                    plan.name(),
                    plan.length().toSeconds(),
                    plan.faults(),
                    plan.broken() ? " (seat store broken: " + plan.brokenStore() + ", violations expected)" : "");
            Path directory = Files.createDirectories(
                    runDirectory.resolve(String.format(Locale.ROOT, "%02d-%s", i + 1, plan.name())));
            FaultRound.Outcome outcome = cluster
                    ? new ClusterRound(plan, jar, directory, recoveryBound, out).run()
                    : new FaultRound(plan, jar, directory, recoveryBound, out).run();
            outcomes.add(outcome);
            report(outcome, out);
        }
        Summary summary = Summary.of(outcomes);
        String table = summary.markdown(mode, seed, agents, capacity, ttl);
        Files.writeString(runDirectory.resolve("summary.md"), table);
        out.println();
        out.print(table);
        out.println("histories, violations and server logs: " + runDirectory);
        if (!summary.passed()) {
            out.println("FAILED: " + summary.verdict());
            return 1;
        }
        out.println("PASSED: " + summary.verdict());
        return 0;
    }

    private static List<FaultRound.Plan> plans(
            boolean longRun,
            int minutes,
            int agents,
            int capacity,
            Duration ttl,
            ServerNode.Clock clock,
            long seed,
            String only) {
        List<FaultRound.Plan> plans = new ArrayList<>();
        FaultEvent.Kind kill = FaultEvent.Kind.KILL;
        FaultEvent.Kind pause = FaultEvent.Kind.PAUSE;
        FaultEvent.Kind back = FaultEvent.Kind.CLOCK_BACK;
        FaultEvent.Kind forward = FaultEvent.Kind.CLOCK_FORWARD;
        FaultEvent.Kind disk = FaultEvent.Kind.DISK_FULL;
        FaultEvent.Kind lock = FaultEvent.Kind.FOREIGN_LOCK;
        Map<String, List<FaultEvent.Kind>> rounds = new java.util.LinkedHashMap<>();
        rounds.put("kill", List.of(kill, kill));
        rounds.put("pause", List.of(pause, pause));
        rounds.put("clock", List.of(back, forward, forward, back));
        rounds.put("disk", List.of(disk));
        rounds.put("lock", List.of(lock, lock));
        if (!longRun) {
            Duration length = Duration.ofSeconds(30);
            rounds.forEach((name, faults) -> plans.add(
                    new FaultRound.Plan(name, faults, length, agents, capacity, ttl, "", clock, seed + plans.size())));
        } else {
            rounds.put("mixed", List.of(kill, pause, back, lock, disk, forward, kill, pause, lock, back, disk, kill));
            // one round per kind (and the mixed one), sharing the minutes; every round at least two minutes
            Duration length = Duration.ofSeconds(Math.max(120, minutes * 60L / rounds.size()));
            long rounds0 = rounds.size();
            List<String> names = new ArrayList<>(rounds.keySet());
            for (int i = 0; i < rounds0; i++) {
                String name = names.get(i % names.size());
                List<FaultEvent.Kind> faults = new ArrayList<>();
                // three times the faults of the short round
                for (int repeat = 0; repeat < (name.equals("mixed") ? 1 : 3); repeat++) {
                    faults.addAll(rounds.get(name));
                }
                plans.add(new FaultRound.Plan(name, faults, length, agents, capacity, ttl, "", clock, seed + i));
            }
        }
        plans.add(new FaultRound.Plan(
                "broken",
                List.of(kill),
                Duration.ofSeconds(30),
                agents,
                capacity,
                ttl,
                "off-by-one",
                clock,
                seed + 99));
        return chosen(plans, only);
    }

    /**
     * The cluster rounds ({@link ClusterRound}): node kills, pauses (the leader first), restarts of the database, a
     * failover to its synchronous standby, a node with a skewed clock, a node booted with its clock far ahead and one
     * whose clock is stepped far ahead while it runs, the same far behind, a node cut off from the database (the leader
     * first), a full disk of the database, a node whose traffic with the database is slowed (the leader first); in
     * the long run a mixed round too; then a cluster of which one node decides on an off-by-one seat
     * store.
     */
    private static List<FaultRound.Plan> clusterPlans(
            boolean longRun,
            int minutes,
            int agents,
            int capacity,
            Duration ttl,
            ServerNode.Clock clock,
            long seed,
            String only) {
        FaultEvent.Kind kill = FaultEvent.Kind.KILL;
        FaultEvent.Kind pause = FaultEvent.Kind.PAUSE;
        FaultEvent.Kind restart = FaultEvent.Kind.DATABASE_RESTART;
        FaultEvent.Kind failover = FaultEvent.Kind.DATABASE_FAILOVER;
        FaultEvent.Kind skew = FaultEvent.Kind.CLOCK_SKEW;
        FaultEvent.Kind ahead = FaultEvent.Kind.BOOT_AHEAD;
        FaultEvent.Kind stepped = FaultEvent.Kind.CLOCK_FORWARD;
        FaultEvent.Kind behind = FaultEvent.Kind.BOOT_BEHIND;
        FaultEvent.Kind steppedBack = FaultEvent.Kind.CLOCK_BACK;
        FaultEvent.Kind partition = FaultEvent.Kind.PARTITION;
        FaultEvent.Kind diskFull = FaultEvent.Kind.DISK_FULL;
        FaultEvent.Kind latency = FaultEvent.Kind.LATENCY;
        Map<String, List<FaultEvent.Kind>> rounds = new java.util.LinkedHashMap<>();
        rounds.put("kill", List.of(kill, kill));
        rounds.put("pause", List.of(pause, pause));
        rounds.put("database", List.of(restart, restart));
        rounds.put("failover", List.of(failover));
        rounds.put("skew", List.of(skew));
        rounds.put("ahead", List.of(ahead, stepped));
        rounds.put("behind", List.of(behind, steppedBack));
        rounds.put("partition", List.of(partition, partition));
        rounds.put("disk", List.of(diskFull, diskFull));
        rounds.put("latency", List.of(latency, latency));
        List<FaultRound.Plan> plans = new ArrayList<>();
        if (!longRun) {
            Duration length = Duration.ofSeconds(30);
            rounds.forEach((name, faults) -> plans.add(
                    new FaultRound.Plan(name, faults, length, agents, capacity, ttl, "", clock, seed + plans.size())));
        } else {
            rounds.put(
                    "mixed",
                    List.of(
                            kill,
                            pause,
                            restart,
                            partition,
                            skew,
                            latency,
                            behind,
                            kill,
                            failover,
                            ahead,
                            pause,
                            stepped,
                            restart,
                            steppedBack,
                            partition,
                            latency,
                            kill));
            Duration length = Duration.ofSeconds(Math.max(120, minutes * 60L / rounds.size()));
            for (Map.Entry<String, List<FaultEvent.Kind>> round : rounds.entrySet()) {
                List<FaultEvent.Kind> faults = new ArrayList<>();
                // three times the faults of the short round; one failover a round (the old primary stays dead)
                int repeats = round.getKey().equals("mixed") || round.getKey().equals("failover") ? 1 : 3;
                for (int repeat = 0; repeat < repeats; repeat++) {
                    faults.addAll(round.getValue());
                }
                plans.add(new FaultRound.Plan(
                        round.getKey(), faults, length, agents, capacity, ttl, "", clock, seed + plans.size()));
            }
        }
        plans.add(new FaultRound.Plan(
                "broken",
                List.of(kill),
                Duration.ofSeconds(30),
                agents,
                capacity,
                ttl,
                "off-by-one",
                clock,
                seed + 99));
        return chosen(plans, only);
    }

    private static List<FaultRound.Plan> chosen(List<FaultRound.Plan> plans, String only) {
        if (only != null) {
            String wanted = only;
            List<FaultRound.Plan> chosen =
                    plans.stream().filter(p -> p.name().equals(wanted)).toList();
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("no round named " + only);
            }
            return List.of(chosen.getFirst());
        }
        return plans;
    }

    private static void report(FaultRound.Outcome outcome, PrintStream out) {
        HistoryChecker.Result check = outcome.check();
        out.printf(
                Locale.ROOT,
                "  %s: %d operations by %d agents (%d granted, %d denied, %d unanswered), %d faults, %d violations,"
                        + " round took %.0f s%n",
                outcome.plan().name(),
                check.operations(),
                outcome.agentsSeen(),
                check.grants(),
                check.denials(),
                check.unknown(),
                outcome.faults().size(),
                check.violations().size(),
                outcome.wallNanos() / 1e9);
        Map<HistoryChecker.Rule, Integer> shown = new EnumMap<>(HistoryChecker.Rule.class);
        for (HistoryChecker.Violation violation : check.violations()) {
            int count = shown.merge(violation.rule(), 1, Integer::sum);
            if (count <= 3) {
                out.println("    " + violation.rule() + " " + violation.agent() + ": " + violation.message());
            }
        }
        outcome.check()
                .worstRecoveryNanos()
                .forEach((kind, nanos) -> out.printf(
                        Locale.ROOT,
                        "    worst recovery after %s: %s%n",
                        kind,
                        nanos == Long.MAX_VALUE ? "none" : HistoryChecker.seconds(nanos)));
    }
}
