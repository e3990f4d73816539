package com.anycontact.innolicense.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Checks the agents' histories of one run, Jepsen-style: only from what the clients saw (when each call was
 * sent, what and when it was answered) and when the harness injected which fault, never from the server's own
 * account. An answer in flight may have taken effect at any moment between its invocation and its answer, so
 * every rule counts only what is certain, and gives the server the benefit of every doubt.
 *
 * <p>The rules, with {@code TTL} the server's lease TTL:
 *
 * <ol>
 *   <li><b>Capacity</b> ({@link Rule#OVER_CAPACITY}): a lease granted by a call is <em>certainly held</em> from the
 *       grant's answer until the call's invocation + TTL (the server sets the expiry at its decision, which comes
 *       after the invocation), or until the agent invokes a release. At no instant may more agents certainly
 *       hold a lease than the capacity.
 *   <li><b>Acknowledged leases are kept</b> ({@link Rule#LOST_ACK} across a {@code kill -9} and restart, {@link
 *       Rule#REAPED_WHILE_HELD} without one): after a grant, the agent's next answered call (no release in
 *       between) must not say it holds no lease (a renewal answered 201 or 409, a release answered 404) while the
 *       grant was certainly held: answered before the grant's invocation + TTL, or, for a 201 from the same node
 *       with no clock step in between, a new lease claimed at a server time before the acknowledged {@code
 *       expiresAt}.
 *   <li><b>No seat kept for a dead agent</b> ({@link Rule#SEAT_KEPT_FOR_DEAD_AGENT}): a claim denied with {@code
 *       seat-limit-reached} is wrong when fewer than capacity other agents could possibly hold a lease at any
 *       moment of it. An agent could hold one from the invocation of a granted or unanswered claim or renewal
 *       until its answer + TTL + slack (for an unanswered call: the later of its timeout + TTL and the end of any
 *       fault it overlapped, + TTL + slack), extended to
 *       a restart's readiness + TTL + slack (the restart grace) when the server was killed meanwhile, and cut at
 *       an answered release.
 *   <li><b>Recovery</b> ({@link Rule#NO_RECOVERY}): after each fault ends, a call to that node (to any node, for a
 *       fault of the cluster database) invoked later must be answered with a seat answer (not 5xx) within the
 *       recovery bound. The worst time per kind of fault is reported.
 *   <li><b>A skewed node serves no seat</b> ({@link Rule#SKEWED_NODE_SERVED}): while a cluster node runs with its
 *       clock off beyond its bound ({@link FaultEvent.Kind#CLOCK_SKEW}), every seat call it answers is answered 503
 *       {@code clock-skewed}.
 *   <li><b>No server error</b> ({@link Rule#SERVER_ERROR}): a fault may make the server refuse a seat call, with
 *       503 and {@code Retry-After}, never fail it: an answer 500 (or any 5xx but 503) says the server did not know
 *       what happened to it. Added when a full cluster-database disk was answered 500 {@code internal-error}, call
 *       after call, and recovered after, which no other rule saw.
 *   <li><b>Nothing dated ahead</b> ({@link Rule#DATED_AHEAD}): checked by {@link ClusterRound} through the admin
 *       API, not from the history. While a node runs with its clock far ahead of the database's ({@link
 *       FaultEvent.Kind#BOOT_AHEAD}), and on every node after it was restarted with the right clock, the license
 *       clock reads real time, the license is the one applied ({@code ACTIVE}, its seats) and no audit entry is
 *       dated ahead of real time.
 *   <li><b>Nothing dated behind</b> ({@link Rule#DATED_BEHIND}): the same checks while a node runs with its clock
 *       far behind ({@link FaultEvent.Kind#BOOT_BEHIND}, or stepped back while it runs) and after it is set right:
 *       the license clock reads real time, the license is the one applied, and no audit entry is dated before the
 *       round began.
 * </ol>
 *
 * <p>The rules hold across the nodes of a cluster alike: capacity is counted over every agent, whichever node
 * answered it; a lease acknowledged by one node and found gone by another is lost; a crash of a node, a restart of
 * the database and a failover to its standby all count as restarts for rule 2.
 */
public final class HistoryChecker {

    /** The rules; each violation names one. */
    public enum Rule {
        /** More agents certainly held an acknowledged lease than capacity. */
        OVER_CAPACITY,
        /** An acknowledged lease was gone after a restart, while it was certainly still held. */
        LOST_ACK,
        /** An acknowledged lease was gone without a restart, while it was certainly still held. */
        REAPED_WHILE_HELD,
        /** A claim was denied for no free seat while fewer than capacity other agents could hold one. */
        SEAT_KEPT_FOR_DEAD_AGENT,
        /** The server did not answer a seat call within the recovery bound after a fault ended. */
        NO_RECOVERY,
        /** A node whose clock was off beyond its bound answered a seat call other than 503 {@code clock-skewed}. */
        SKEWED_NODE_SERVED,
        /** A seat call was answered with a server error other than 503 (a 500 {@code internal-error}, say). */
        SERVER_ERROR,
        /**
         * After a node booted with its clock far ahead, a node's license clock, its license or an audit entry was
         * dated ahead of real time (checked by the cluster round through the admin API, not from the history).
         */
        DATED_AHEAD,
        /**
         * While or after a node ran with its clock far behind, a node's license clock or an audit entry was dated
         * behind real time, or its license was not the one applied (checked by the cluster round through the admin
         * API, not from the history).
         */
        DATED_BEHIND
    }

    /**
     * What the run promised.
     *
     * @param capacity the licensed seats
     * @param ttl the server's lease TTL
     * @param recoveryBound how soon after a fault ends the server must answer again
     * @param slack added to the possible end of a lease, for the server's millisecond rounding and scheduling
     */
    public record Settings(int capacity, Duration ttl, Duration recoveryBound, Duration slack) {
        /** Checks the fields. */
        public Settings {
            if (capacity < 0) {
                throw new IllegalArgumentException("capacity must not be negative: " + capacity);
            }
            Objects.requireNonNull(ttl, "ttl");
            Objects.requireNonNull(recoveryBound, "recoveryBound");
            Objects.requireNonNull(slack, "slack");
        }
    }

    /**
     * One broken rule.
     *
     * @param rule which rule
     * @param agent the agent concerned, or empty
     * @param atNanos when, on the harness's clock
     * @param message what was seen
     */
    public record Violation(Rule rule, String agent, long atNanos, String message) {}

    /**
     * The verdict on one history.
     *
     * @param operations the calls checked
     * @param grants calls answered 200 or 201
     * @param denials claims denied for no free seat
     * @param unknown calls without an answer
     * @param violations every broken rule
     * @param worstRecoveryNanos per kind of fault, the longest time from its end to the first seat answer
     */
    public record Result(
            int operations,
            int grants,
            int denials,
            int unknown,
            List<Violation> violations,
            Map<FaultEvent.Kind, Long> worstRecoveryNanos) {

        /** The violations of one rule. */
        public long count(Rule rule) {
            return violations.stream().filter(v -> v.rule() == rule).count();
        }

        /** Whether no rule was broken. */
        public boolean passed() {
            return violations.isEmpty();
        }
    }

    private final Settings settings;
    private final long ttl;
    private final long slack;

    /** A checker for runs with these settings. */
    public HistoryChecker(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ttl = settings.ttl().toNanos();
        this.slack = settings.slack().toNanos();
    }

    /**
     * Checks a history.
     *
     * @param ops every call of every agent, in any order
     * @param faults every fault injected
     * @param endNanos when the run ended (the last moment the agents were running)
     */
    public Result check(List<Op> ops, List<FaultEvent> faults, long endNanos) {
        Map<String, List<Op>> byAgent = new LinkedHashMap<>();
        for (Op op : ops) {
            byAgent.computeIfAbsent(op.agent(), a -> new ArrayList<>()).add(op);
        }
        byAgent.values().forEach(list -> list.sort(Comparator.comparingLong(Op::invokedNanos)));
        List<FaultEvent> sortedFaults = new ArrayList<>(faults);
        sortedFaults.sort(Comparator.comparingLong(FaultEvent::startedNanos));

        List<Violation> violations = new ArrayList<>();
        overCapacity(byAgent, violations);
        lostLeases(byAgent, sortedFaults, violations);
        seatsKeptForDeadAgents(byAgent, sortedFaults, violations);
        Map<FaultEvent.Kind, Long> worst = recovery(ops, sortedFaults, endNanos, violations);
        skewedNodes(ops, sortedFaults, violations);
        serverErrors(ops, violations);
        violations.sort(Comparator.comparingLong(Violation::atNanos));
        int grants = (int) ops.stream().filter(Op::granted).count();
        int denials = (int) ops.stream().filter(Op::deniedForNoSeat).count();
        int unknown = (int)
                ops.stream().filter(op -> op.outcome() == Op.Outcome.UNKNOWN).count();
        return new Result(ops.size(), grants, denials, unknown, List.copyOf(violations), worst);
    }

    /** Rule 1: the certainly-held leases, swept over time. */
    private void overCapacity(Map<String, List<Op>> byAgent, List<Violation> violations) {
        record Edge(long at, int delta, String agent) {}
        List<Edge> edges = new ArrayList<>();
        for (Map.Entry<String, List<Op>> entry : byAgent.entrySet()) {
            for (long[] interval : merge(certainlyHeld(entry.getValue()))) {
                edges.add(new Edge(interval[0], +1, entry.getKey()));
                edges.add(new Edge(interval[1], -1, entry.getKey()));
            }
        }
        // Half-open intervals: at the same instant, a lease ending makes room before one starting counts.
        edges.sort(Comparator.comparingLong(Edge::at).thenComparingInt(Edge::delta));
        Map<String, Integer> holders = new HashMap<>();
        int held = 0;
        boolean over = false;
        for (Edge edge : edges) {
            int before = holders.getOrDefault(edge.agent(), 0);
            int after = before + edge.delta();
            holders.put(edge.agent(), after);
            if (before == 0 && after > 0) {
                held++;
            } else if (before > 0 && after == 0) {
                held--;
            }
            if (held > settings.capacity() && !over) {
                over = true;
                TreeSet<String> agents = new TreeSet<>();
                holders.forEach((agent, count) -> {
                    if (count > 0) {
                        agents.add(agent);
                    }
                });
                violations.add(new Violation(
                        Rule.OVER_CAPACITY,
                        edge.agent(),
                        edge.at(),
                        held + " agents certainly held an acknowledged lease at capacity " + settings.capacity() + ": "
                                + agents));
            } else if (held <= settings.capacity()) {
                over = false;
            }
        }
    }

    /** The intervals in which an agent certainly held a lease, unsorted and possibly overlapping. */
    private List<long[]> certainlyHeld(List<Op> agentOps) {
        List<long[]> intervals = new ArrayList<>();
        for (int i = 0; i < agentOps.size(); i++) {
            Op grant = agentOps.get(i);
            if (!grant.granted()) {
                continue;
            }
            long end = grant.invokedNanos() + ttl;
            for (int j = i + 1; j < agentOps.size(); j++) {
                Op later = agentOps.get(j);
                if (later.kind() == Op.Kind.RELEASE && later.outcome() != Op.Outcome.REFUSED) {
                    end = Math.min(end, later.invokedNanos());
                    break;
                }
            }
            if (grant.answeredNanos() < end) {
                intervals.add(new long[] {grant.answeredNanos(), end});
            }
        }
        return intervals;
    }

    /** Rule 2: a grant's lease gone while it was certainly held. */
    private void lostLeases(Map<String, List<Op>> byAgent, List<FaultEvent> faults, List<Violation> violations) {
        for (List<Op> agentOps : byAgent.values()) {
            for (int i = 0; i < agentOps.size(); i++) {
                Op grant = agentOps.get(i);
                if (!grant.granted()) {
                    continue;
                }
                for (int j = i + 1; j < agentOps.size(); j++) {
                    Op next = agentOps.get(j);
                    if (next.outcome() == Op.Outcome.REFUSED) {
                        continue;
                    }
                    if (next.outcome() == Op.Outcome.UNKNOWN) {
                        if (next.kind() == Op.Kind.RELEASE) {
                            break; // it may have released the lease
                        }
                        continue; // a renewal in doubt cannot take the lease away
                    }
                    if (next.saysNotHeld() && certainlyHeldAt(grant, next, faults)) {
                        boolean restarted = faults.stream()
                                .anyMatch(f -> f.mayLoseState()
                                        && f.startedNanos() >= grant.invokedNanos()
                                        && f.startedNanos() <= next.answeredNanos());
                        violations.add(new Violation(
                                restarted ? Rule.LOST_ACK : Rule.REAPED_WHILE_HELD,
                                grant.agent(),
                                next.answeredNanos(),
                                "granted " + grant.status() + " until " + grant.expiresAt() + ", then "
                                        + next.kind().name().toLowerCase(java.util.Locale.ROOT) + " answered "
                                        + next.status() + (next.problem().isEmpty() ? "" : " " + next.problem())
                                        + (restarted ? " after a restart" : "")));
                        break;
                    }
                    if (next.granted() || next.kind() == Op.Kind.RELEASE || next.saysNotHeld()) {
                        break; // renewed (the later grant is judged on its own), or released
                    }
                    // another answer (a 503, a 400): the lease is still held, look further
                }
            }
        }
    }

    /** Whether the grant's lease was certainly still held when the later call was decided. */
    private boolean certainlyHeldAt(Op grant, Op later, List<FaultEvent> faults) {
        if (later.answeredNanos() < grant.invokedNanos() + ttl) {
            return true;
        }
        if (later.status() != 201
                || later.claimedAt() == null
                || grant.expiresAt() == null
                || later.node() != grant.node()) {
            return false;
        }
        boolean clockStepped = faults.stream()
                .anyMatch(f -> f.isClockStep()
                        && f.node() == grant.node()
                        && f.startedNanos() <= later.answeredNanos()
                        && f.endedNanos() >= grant.invokedNanos());
        return !clockStepped && later.claimedAt().isBefore(grant.expiresAt());
    }

    /** Rule 3: denials while fewer than capacity other agents could hold a seat. */
    private void seatsKeptForDeadAgents(
            Map<String, List<Op>> byAgent, List<FaultEvent> faults, List<Violation> violations) {
        Map<String, List<long[]>> possible = new HashMap<>();
        List<long[]> all = new ArrayList<>();
        for (Map.Entry<String, List<Op>> entry : byAgent.entrySet()) {
            List<long[]> intervals = merge(possiblyHeld(entry.getValue(), faults));
            possible.put(entry.getKey(), intervals);
            all.addAll(intervals);
        }
        long[] starts = all.stream().mapToLong(interval -> interval[0]).sorted().toArray();
        long[] ends = all.stream().mapToLong(interval -> interval[1]).sorted().toArray();
        for (Map.Entry<String, List<Op>> entry : byAgent.entrySet()) {
            for (Op denial : entry.getValue()) {
                if (!denial.deniedForNoSeat()) {
                    continue;
                }
                long from = denial.invokedNanos();
                long to = denial.answeredNanos();
                // Intervals overlapping [from, to]: those starting before its end, less those ending before its start.
                int overlapping = countBelow(starts, to + 1) - countBelow(ends, from + 1);
                for (long[] own : possible.get(entry.getKey())) {
                    if (own[0] <= to && own[1] > from) {
                        overlapping--;
                    }
                }
                if (overlapping < settings.capacity()) {
                    violations.add(new Violation(
                            Rule.SEAT_KEPT_FOR_DEAD_AGENT,
                            denial.agent(),
                            denial.answeredNanos(),
                            "claim denied (" + denial.status() + " " + denial.problem() + ") at capacity "
                                    + settings.capacity() + " while at most " + overlapping
                                    + " other agents could hold a lease"));
                }
            }
        }
    }

    /** The intervals in which an agent could possibly hold a lease, unsorted and possibly overlapping. */
    private List<long[]> possiblyHeld(List<Op> agentOps, List<FaultEvent> faults) {
        List<long[]> intervals = new ArrayList<>();
        for (int i = 0; i < agentOps.size(); i++) {
            Op op = agentOps.get(i);
            if (!op.isPut() || !(op.granted() || op.outcome() == Op.Outcome.UNKNOWN)) {
                continue;
            }
            long last = op.answeredNanos();
            if (op.outcome() == Op.Outcome.UNKNOWN) {
                // the server may still decide a call the client gave up on, and late under load or after a fault
                last += ttl;
                for (FaultEvent fault : faults) {
                    if (fault.startedNanos() <= op.answeredNanos() && fault.readyNanos() >= op.invokedNanos()) {
                        last = Math.max(last, fault.readyNanos());
                    }
                }
            }
            long end = last + ttl + slack;
            for (FaultEvent fault : faults) {
                if (fault.mayLoseState() && fault.startedNanos() >= op.invokedNanos() && fault.startedNanos() < end) {
                    end = Math.max(end, fault.readyNanos() + ttl + slack);
                }
            }
            if (op.granted()) {
                for (int j = i + 1; j < agentOps.size(); j++) {
                    Op later = agentOps.get(j);
                    if (later.kind() == Op.Kind.RELEASE
                            && later.outcome() == Op.Outcome.ANSWERED
                            && (later.status() == 204 || later.status() == 404)) {
                        end = Math.min(end, later.answeredNanos());
                        break;
                    }
                }
            }
            intervals.add(new long[] {op.invokedNanos(), end});
        }
        return intervals;
    }

    /** Rule 4: the first seat answer after each fault ended. */
    private Map<FaultEvent.Kind, Long> recovery(
            List<Op> ops, List<FaultEvent> faults, long endNanos, List<Violation> violations) {
        Map<FaultEvent.Kind, Long> worst = new EnumMap<>(FaultEvent.Kind.class);
        for (FaultEvent fault : faults) {
            long first = Long.MAX_VALUE;
            for (Op op : ops) {
                if ((fault.node() == FaultEvent.ALL_NODES || op.node() == fault.node())
                        && op.served()
                        && op.invokedNanos() >= fault.endedNanos()) {
                    first = Math.min(first, op.answeredNanos());
                }
            }
            long bound = settings.recoveryBound().toNanos();
            if (first == Long.MAX_VALUE) {
                violations.add(new Violation(
                        Rule.NO_RECOVERY,
                        "",
                        fault.endedNanos(),
                        "after " + fault.kind() + " (" + fault.detail() + ") on node " + fault.node()
                                + " no seat call was answered in the " + seconds(endNanos - fault.endedNanos())
                                + " the run went on"));
                worst.put(fault.kind(), Long.MAX_VALUE);
                continue;
            }
            long took = first - fault.endedNanos();
            worst.merge(fault.kind(), took, Math::max);
            if (took > bound) {
                violations.add(new Violation(
                        Rule.NO_RECOVERY,
                        "",
                        fault.endedNanos(),
                        "after " + fault.kind() + " (" + fault.detail() + ") on node " + fault.node()
                                + " the first seat answer took " + seconds(took) + ", more than "
                                + seconds(bound)));
            }
        }
        return worst;
    }

    /** Rule 5: every seat answer of a node while its clock was skewed is 503 {@code clock-skewed}. */
    private static void skewedNodes(List<Op> ops, List<FaultEvent> faults, List<Violation> violations) {
        for (FaultEvent fault : faults) {
            if (fault.kind() != FaultEvent.Kind.CLOCK_SKEW) {
                continue;
            }
            for (Op op : ops) {
                if (op.node() == fault.node()
                        && op.outcome() == Op.Outcome.ANSWERED
                        && op.invokedNanos() >= fault.startedNanos()
                        && op.invokedNanos() < fault.endedNanos()
                        && !(op.status() == 503 && op.problem().equals("clock-skewed"))) {
                    violations.add(new Violation(
                            Rule.SKEWED_NODE_SERVED,
                            op.agent(),
                            op.answeredNanos(),
                            op.kind().name().toLowerCase(java.util.Locale.ROOT) + " on node " + op.node()
                                    + " with its clock skewed (" + fault.detail() + ") answered " + op.status()
                                    + (op.problem().isEmpty() ? "" : " " + op.problem())));
                }
            }
        }
    }

    /** Rule 6: no seat call is answered with a server error but 503. */
    private static void serverErrors(List<Op> ops, List<Violation> violations) {
        for (Op op : ops) {
            if (op.outcome() == Op.Outcome.ANSWERED && op.status() >= 500 && op.status() != 503) {
                violations.add(new Violation(
                        Rule.SERVER_ERROR,
                        op.agent(),
                        op.answeredNanos(),
                        op.kind().name().toLowerCase(java.util.Locale.ROOT) + " on node " + op.node() + " answered "
                                + op.status() + (op.problem().isEmpty() ? "" : " " + op.problem())));
            }
        }
    }

    /** Sorts and merges overlapping or touching intervals. */
    static List<long[]> merge(List<long[]> intervals) {
        List<long[]> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparingLong(interval -> interval[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] interval : sorted) {
            if (!merged.isEmpty() && merged.getLast()[1] >= interval[0]) {
                merged.getLast()[1] = Math.max(merged.getLast()[1], interval[1]);
            } else {
                merged.add(new long[] {interval[0], interval[1]});
            }
        }
        return merged;
    }

    /** How many of the sorted values are below the limit. */
    private static int countBelow(long[] sorted, long limit) {
        int index = Arrays.binarySearch(sorted, limit);
        if (index < 0) {
            return -index - 1;
        }
        while (index > 0 && sorted[index - 1] == limit) {
            index--;
        }
        return index;
    }

    /** Nanoseconds as seconds for a report, e.g. {@code 2.41 s}. */
    static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f s", nanos / 1e9);
    }
}
