package com.anycontact.innolicense.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.faults.HistoryChecker.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checker on hand-made histories of a cluster: calls answered by several nodes, faults of one node and of the
 * database all nodes share. Times are in milliseconds since the start of the run; the lease TTL is 3 s and the
 * capacity 2.
 */
class ClusterHistoryCheckerTest {

    private static final Duration TTL = Duration.ofSeconds(3);
    private static final Instant T0 = Instant.parse("2026-12-02T14:00:00Z");

    private final HistoryChecker checker =
            new HistoryChecker(new HistoryChecker.Settings(2, TTL, Duration.ofSeconds(10), Duration.ofMillis(500)));
    private final List<Op> ops = new ArrayList<>();
    private final List<FaultEvent> faults = new ArrayList<>();

    @Test
    void capacity_countsTheLeasesOfEveryNodeTogether() {
        granted("a", 0, Op.Kind.CLAIM, 0, 10, 201);
        granted("b", 0, Op.Kind.CLAIM, 0, 10, 201);
        granted("c", 1, Op.Kind.CLAIM, 500, 510, 201);

        assertThat(rules()).containsExactly(Rule.OVER_CAPACITY);
    }

    @Test
    void capacity_whenALateRenewalRevivesALeaseWhoseSeatAnotherNodeGaveAway_isBroken() {
        granted("a", 0, Op.Kind.CLAIM, 0, 10, 201);
        granted("b", 0, Op.Kind.CLAIM, 1000, 1010, 201);
        // a's lease ran out at 3000; node 1 gives its seat to c
        granted("c", 1, Op.Kind.CLAIM, 3100, 3110, 201);
        // a's renewal, invoked before its lease ran out, answered 200 after c's claim
        granted("a", 2, Op.Kind.RENEW, 2900, 3200, 200);

        assertThat(rules()).containsExactly(Rule.OVER_CAPACITY);
    }

    @Test
    void acknowledgedLease_renewedOnAnotherNodeAfterItsNodeWasKilled_holds() {
        granted("a", 0, Op.Kind.CLAIM, 0, 10, 201);
        faults.add(new FaultEvent(FaultEvent.Kind.KILL, 0, millis(100), millis(200), millis(5000), "kill -9"));
        refused("a", 0, Op.Kind.RENEW, 1000, 1001);
        granted("a", 1, Op.Kind.RENEW, 1001, 1010, 200);
        granted("b", 0, Op.Kind.CLAIM, 5000, 5010, 201); // the node rejoined

        assertThat(check().violations()).isEmpty();
    }

    @Test
    void acknowledgedLease_goneAfterADatabaseFailover_isALostAcknowledgedClaim() {
        granted("a", 0, Op.Kind.CLAIM, 0, 10, 201);
        faults.add(FaultEvent.of(
                FaultEvent.Kind.DATABASE_FAILOVER, FaultEvent.ALL_NODES, millis(100), millis(1500), "promote"));
        answered("a", 0, Op.Kind.RENEW, 1000, 1001, 503, "database-unavailable");
        granted("a", 1, Op.Kind.RENEW, 1600, 1610, 201);

        assertThat(rules()).containsExactly(Rule.LOST_ACK);
    }

    @Test
    void recovery_afterADatabaseFault_isTheFirstSeatAnswerOfAnyNode() {
        faults.add(FaultEvent.of(
                FaultEvent.Kind.DATABASE_RESTART, FaultEvent.ALL_NODES, 0, millis(1000), "pg_ctl restart"));
        answered("a", 0, Op.Kind.CLAIM, 500, 502, 503, "database-unavailable");
        granted("a", 2, Op.Kind.CLAIM, 1100, 1200, 201);

        HistoryChecker.Result result = check();

        assertThat(result.violations()).isEmpty();
        assertThat(result.worstRecoveryNanos()).containsEntry(FaultEvent.Kind.DATABASE_RESTART, millis(200));
    }

    @Test
    void recovery_afterANodeFault_waitsForThatNode() {
        faults.add(FaultEvent.of(FaultEvent.Kind.PAUSE, 1, 0, millis(1000), "SIGSTOP"));
        granted("a", 0, Op.Kind.CLAIM, 1100, 1200, 201);
        granted("b", 1, Op.Kind.CLAIM, 1100, 1500, 201);

        assertThat(check().worstRecoveryNanos()).containsEntry(FaultEvent.Kind.PAUSE, millis(500));
    }

    @Test
    void aSeatCallRefusedWith503_whileTheDatabaseIsFull_holds() {
        faults.add(FaultEvent.of(FaultEvent.Kind.DISK_FULL, FaultEvent.ALL_NODES, 0, millis(1000), "ballast"));
        answered("a", 0, Op.Kind.CLAIM, 100, 101, 503, "store-unavailable");
        answered("b", 1, Op.Kind.CLAIM, 200, 201, 503, "database-unavailable");
        granted("a", 0, Op.Kind.CLAIM, 1100, 1200, 201);

        assertThat(check().violations()).isEmpty();
    }

    @Test
    void aSeatCallAnswered500_isBroken_evenWhenTheServiceRecoversAfter() {
        faults.add(FaultEvent.of(FaultEvent.Kind.DISK_FULL, FaultEvent.ALL_NODES, 0, millis(1000), "ballast"));
        answered("a", 0, Op.Kind.CLAIM, 100, 101, 500, "internal-error");
        answered("b", 2, Op.Kind.RENEW, 200, 201, 502, "");
        granted("a", 0, Op.Kind.CLAIM, 1100, 1200, 201);

        HistoryChecker.Result result = check();
        assertThat(rules()).containsExactly(Rule.SERVER_ERROR, Rule.SERVER_ERROR);
        assertThat(result.violations().get(0).message()).isEqualTo("claim on node 0 answered 500 internal-error");
        assertThat(result.worstRecoveryNanos()).containsEntry(FaultEvent.Kind.DISK_FULL, millis(200));
    }

    @Test
    void skewedNode_refusingEverySeatCall_holds() {
        faults.add(new FaultEvent(FaultEvent.Kind.CLOCK_SKEW, 1, 0, millis(5000), millis(6000), "30 s ahead"));
        answered("a", 1, Op.Kind.CLAIM, 1000, 1001, 503, "clock-skewed");
        granted("a", 0, Op.Kind.CLAIM, 1001, 1010, 201);
        granted("a", 1, Op.Kind.RENEW, 6000, 6010, 200);

        assertThat(check().violations()).isEmpty();
    }

    @Test
    void skewedNode_grantingASeat_isBroken() {
        faults.add(new FaultEvent(FaultEvent.Kind.CLOCK_SKEW, 1, 0, millis(5000), millis(6000), "30 s ahead"));
        granted("a", 1, Op.Kind.CLAIM, 1000, 1010, 201);
        granted("b", 1, Op.Kind.CLAIM, 6000, 6010, 201); // restarted with the right clock

        assertThat(rules()).containsExactly(Rule.SKEWED_NODE_SERVED);
    }

    @Test
    void outage_countsTheCallsInvokedWhileTheDatabaseWasDown() {
        faults.add(FaultEvent.of(
                FaultEvent.Kind.DATABASE_RESTART, FaultEvent.ALL_NODES, millis(1000), millis(3000), "restart"));
        answered("a", 0, Op.Kind.RENEW, 500, 510, 200, "");
        answered("a", 0, Op.Kind.RENEW, 1200, 1202, 503, "database-unavailable");
        answered("b", 1, Op.Kind.RENEW, 1500, 1510, 503, "database-unavailable");
        ops.add(new Op("c", 2, Op.Kind.RENEW, millis(2000), millis(3500), Op.Outcome.UNKNOWN, 0, "", null, null));

        FaultRound.Outage outage = FaultRound.Outage.of(ops, faults);

        assertThat(outage.calls()).isEqualTo(2);
        assertThat(outage.unavailable()).isEqualTo(2);
        assertThat(outage.unanswered()).isEqualTo(1);
        assertThat(outage.worstNanos()).isEqualTo(millis(10));
    }

    @Test
    void cutOff_countsTheCallsToTheNodeCutOff_whileItWas() {
        faults.add(FaultEvent.of(FaultEvent.Kind.PARTITION, 1, millis(1000), millis(3000), "cut off"));
        faults.add(FaultEvent.of(
                FaultEvent.Kind.DATABASE_RESTART, FaultEvent.ALL_NODES, millis(5000), millis(6000), "restart"));
        ops.add(new Op("a", 1, Op.Kind.RENEW, millis(1100), millis(4100), Op.Outcome.UNKNOWN, 0, "", null, null));
        answered("b", 1, Op.Kind.RENEW, 1200, 1203, 503, "database-unavailable");
        answered("b", 0, Op.Kind.RENEW, 1203, 1210, 200, ""); // passed on to a node that reaches the database
        answered("c", 1, Op.Kind.RENEW, 3500, 3510, 200, ""); // after the heal
        answered("d", 1, Op.Kind.RENEW, 5500, 5501, 503, "database-unavailable"); // the database's fault

        faults.add(FaultEvent.of(FaultEvent.Kind.LATENCY, 1, millis(7000), millis(9000), "slowed"));
        answered("e", 1, Op.Kind.RENEW, 7100, 8900, 200, ""); // slowed, not cut off

        FaultRound.Outage cutOff = FaultRound.Outage.onNodes(ops, faults, FaultEvent.Kind.PARTITION);
        FaultRound.Outage slowed = FaultRound.Outage.onNodes(ops, faults, FaultEvent.Kind.LATENCY);

        assertThat(cutOff.calls()).isEqualTo(1);
        assertThat(cutOff.unavailable()).isEqualTo(1);
        assertThat(cutOff.unanswered()).isEqualTo(1);
        assertThat(cutOff.worstNanos()).isEqualTo(millis(3));
        assertThat(FaultRound.Outage.of(ops, faults).calls())
                .as("the database's outage, without the partition")
                .isEqualTo(1);
        assertThat(slowed.calls()).isEqualTo(1);
        assertThat(slowed.worstNanos()).isEqualTo(millis(1800));
    }

    @Test
    void aNodesLogLineOfAFailedRequest_isTold_fromItsOtherWarnings() {
        assertThat(ClusterRound.FAILED_ANSWER
                        .matcher("2026-12-04T14:23:23.776Z WARN Problems - PUT /api/v1/seats/acd46-2 failed")
                        .matches())
                .isTrue();
        assertThat(ClusterRound.FAILED_ANSWER
                        .matcher("2026-12-04T14:23:23.776Z WARN SeatFastPath - DELETE /api/v1/seats/acd46-2 failed")
                        .matches())
                .isTrue();
        assertThat(ClusterRound.FAILED_ANSWER
                        .matcher("2026-12-04T14:23:23.776Z WARN Problems - a request failed after its response was"
                                + " gone; nothing to answer")
                        .matches())
                .isTrue();
        assertThat(ClusterRound.FAILED_ANSWER
                        .matcher("2026-12-04T14:23:14.305Z WARN ClusterCoordinator - writing this node's heartbeat"
                                + " to the node registry failed; will try again in a second: …")
                        .matches())
                .as("a node's own retried work, not an answer")
                .isFalse();
    }

    private HistoryChecker.Result check() {
        long end = ops.stream().mapToLong(Op::answeredNanos).max().orElse(0) + millis(1);
        return checker.check(ops, faults, end);
    }

    private List<Rule> rules() {
        return check().violations().stream().map(HistoryChecker.Violation::rule).toList();
    }

    private void granted(String agent, int node, Op.Kind kind, int invoked, int answered, int status) {
        ops.add(new Op(
                agent,
                node,
                kind,
                millis(invoked),
                millis(answered),
                Op.Outcome.ANSWERED,
                status,
                "",
                T0.plusMillis(answered - 1),
                T0.plusMillis(answered - 1 + TTL.toMillis())));
    }

    private void answered(String agent, int node, Op.Kind kind, int invoked, int answered, int status, String problem) {
        ops.add(new Op(
                agent,
                node,
                kind,
                millis(invoked),
                millis(answered),
                Op.Outcome.ANSWERED,
                status,
                problem,
                null,
                null));
    }

    private void refused(String agent, int node, Op.Kind kind, int invoked, int answered) {
        ops.add(new Op(agent, node, kind, millis(invoked), millis(answered), Op.Outcome.REFUSED, 0, "", null, null));
    }

    private static long millis(int millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
