package com.anycontact.innolicense.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.faults.HistoryChecker.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checker on hand-made histories: for each rule, one history that keeps it and one that breaks it. Times are
 * in milliseconds since the start of the run; the lease TTL is 3 s and the capacity 2.
 */
class HistoryCheckerTest {

    private static final int CAPACITY = 2;
    private static final Duration TTL = Duration.ofSeconds(3);
    private static final Instant T0 = Instant.parse("2026-12-02T07:00:00Z");

    private final HistoryChecker checker = new HistoryChecker(
            new HistoryChecker.Settings(CAPACITY, TTL, Duration.ofSeconds(10), Duration.ofMillis(500)));
    private final List<Op> ops = new ArrayList<>();
    private final List<FaultEvent> faults = new ArrayList<>();

    // --- rule 1: capacity

    @Test
    void capacity_whenASeatIsReleasedBeforeTheNextClaim_holds() {
        granted("a", Op.Kind.CLAIM, 0, 10, 201);
        granted("b", Op.Kind.CLAIM, 0, 10, 201);
        answered("a", Op.Kind.RELEASE, 500, 510, 204, "");
        granted("c", Op.Kind.CLAIM, 505, 520, 201);

        assertThat(check().violations()).isEmpty();
    }

    @Test
    void capacity_whenAThirdAgentIsGrantedWhileTwoCertainlyHold_isBroken() {
        granted("a", Op.Kind.CLAIM, 0, 10, 201);
        granted("b", Op.Kind.CLAIM, 0, 10, 201);
        granted("c", Op.Kind.CLAIM, 1000, 1010, 201);

        assertThat(rules()).containsExactly(Rule.OVER_CAPACITY);
    }

    @Test
    void capacity_whenAGrantCameAfterTheEarlierLeaseCouldHaveExpired_holds() {
        granted("a", Op.Kind.CLAIM, 0, 10, 201);
        granted("b", Op.Kind.CLAIM, 0, 10, 201);
        // a and b vanished; c is granted 3 s after their invocations: they were certainly held only until then
        granted("c", Op.Kind.CLAIM, 2990, 3000, 201);

        assertThat(check().violations()).isEmpty();
    }

    @Test
    void capacity_whenAReleaseIsInFlight_countsTheSeatAsFreeFromItsInvocation() {
        granted("a", Op.Kind.CLAIM, 0, 10, 201);
        granted("b", Op.Kind.CLAIM, 0, 10, 201);
        unknown("a", Op.Kind.RELEASE, 500, 2500);
        granted("c", Op.Kind.CLAIM, 600, 700, 201);

        assertThat(check().violations()).isEmpty();
    }

    // --- rule 2: acknowledged leases are kept

    @Test
    void acknowledgedLease_renewedAfterARestartWithinItsTtl_holds() {
        granted("a", Op.Kind.CLAIM, 0, 10, 201);
        kill(100, 200, 1500);
        refused("a", Op.Kind.RENEW, 1000, 1001);
        granted("a", Op.Kind.RENEW, 1600, 1610, 200);

        assertThat(check().violations()).isEmpty();
    }

    @Test
    void acknowledgedLease_claimedAnewAfterARestartWithinItsTtl_isALostAck() {
        granted("a", Op.Kind.CLAIM, 0, 10, 201);
        kill(100, 200, 1500);
        granted("a", Op.Kind.RENEW, 1600, 1610, 201);

        assertThat(rules()).containsExactly(Rule.LOST_ACK);
    }

    @Test
    void acknowledgedLease_claimedAnewBeforeItsAcknowledgedExpiryOnTheServersClock_isALostAck() {
        granted("a", Op.Kind.CLAIM, 0, 10, 201);
        kill(100, 200, 4000);
        // answered after invocation + TTL on the harness's clock, but the server says it claimed anew at 2.5 s,
        // before the acknowledged expiry at 3 s
        ops.add(new Op(
                "a", 0, Op.Kind.RENEW, millis(3500), millis(4100), Op.Outcome.ANSWERED, 201, "", at(2500), at(5500)));

        assertThat(rules()).containsExactly(Rule.LOST_ACK);
    }

    @Test
    void acknowledgedLease_deniedOnRenewalWithoutARestart_isReapedWhileHeld() {
        granted("a", Op.Kind.CLAIM, 0, 10, 201);
        granted("b", Op.Kind.CLAIM, 0, 10, 201);
        unknown("c", Op.Kind.CLAIM, 0, 500); // b or c may have taken a's seat, had a lost it legitimately
        answered("a", Op.Kind.RENEW, 1000, 1010, 409, "seat-limit-reached");

        assertThat(rules()).containsExactly(Rule.REAPED_WHILE_HELD);
    }

    @Test
    void acknowledgedLease_releasedAfterItsTtlAndAnswered404_holds() {
        granted("a", Op.Kind.CLAIM, 0, 10, 201);
        answered("a", Op.Kind.RELEASE, 3100, 3110, 404, "lease-not-held");

        assertThat(check().violations()).isEmpty();
    }

    @Test
    void acknowledgedLease_answered404OnReleaseWithinItsTtl_isReapedWhileHeld() {
        granted("a", Op.Kind.CLAIM, 0, 10, 201);
        answered("a", Op.Kind.RELEASE, 2000, 2010, 404, "lease-not-held");

        assertThat(rules()).containsExactly(Rule.REAPED_WHILE_HELD);
    }

    @Test
    void acknowledgedLease_renewedLateAfterAPauseAndClaimedAnew_holds() {
        granted("a", Op.Kind.CLAIM, 0, 10, 201);
        pause(500, 5000);
        // sent in time, but the paused server decided only after the lease had run out
        ops.add(new Op(
                "a", 0, Op.Kind.RENEW, millis(1000), millis(5010), Op.Outcome.ANSWERED, 201, "", at(5005), at(8005)));
        granted("a", Op.Kind.RENEW, 6000, 6010, 200);

        assertThat(check().violations()).isEmpty();
    }

    // --- rule 3: no seat kept for a dead agent

    @Test
    void denial_whileTwoAgentsCouldHoldSeats_holds() {
        granted("a", Op.Kind.CLAIM, 0, 10, 201);
        granted("b", Op.Kind.CLAIM, 0, 10, 201);
        answered("c", Op.Kind.CLAIM, 2000, 2010, 409, "seat-limit-reached");

        assertThat(check().violations()).isEmpty();
    }

    @Test
    void denial_longAfterBothHoldersVanished_isASeatKeptForADeadAgent() {
        granted("a", Op.Kind.CLAIM, 0, 10, 201);
        granted("b", Op.Kind.CLAIM, 0, 10, 201);
        answered("c", Op.Kind.CLAIM, 10_000, 10_010, 409, "seat-limit-reached");

        assertThat(rules()).containsExactly(Rule.SEAT_KEPT_FOR_DEAD_AGENT);
    }

    @Test
    void denial_afterARestartWithinTheRestartGrace_holds() {
        granted("a", Op.Kind.CLAIM, 0, 10, 201);
        granted("b", Op.Kind.CLAIM, 0, 10, 201);
        kill(1000, 1100, 6000);
        // the restored leases are held until the restart's readiness + TTL
        answered("c", Op.Kind.CLAIM, 8000, 8010, 409, "seat-limit-reached");

        assertThat(check().violations()).isEmpty();
    }

    @Test
    void denial_whileAnUnansweredClaimMayStillBeDecided_holds() {
        granted("a", Op.Kind.CLAIM, 0, 10, 201);
        unknown("b", Op.Kind.CLAIM, 0, 2000);
        // a's lease may run until 3.5 s; b's unanswered claim may have been granted as late as 5 s
        answered("c", Op.Kind.CLAIM, 3200, 3210, 409, "seat-limit-reached");

        assertThat(check().violations()).isEmpty();
    }

    // --- rule 4: recovery

    @Test
    void recovery_whenTheServerAnswersSoonAfterTheFault_holdsAndIsReported() {
        pause(0, 5000);
        refused("a", Op.Kind.CLAIM, 5000, 5001);
        granted("a", Op.Kind.CLAIM, 5100, 5300, 201);

        HistoryChecker.Result result = check();

        assertThat(result.violations()).isEmpty();
        assertThat(result.worstRecoveryNanos()).containsEntry(FaultEvent.Kind.PAUSE, millis(300));
    }

    @Test
    void recovery_whenTheServerOnlyAnswers503_isBroken() {
        faults.add(FaultEvent.of(FaultEvent.Kind.DISK_FULL, 0, 0, millis(1000), "ballast"));
        for (int t = 1000; t < 20_000; t += 1000) {
            answered("a", Op.Kind.CLAIM, t, t + 10, 503, "store-unavailable");
        }

        assertThat(rules()).containsExactly(Rule.NO_RECOVERY);
    }

    @Test
    void recovery_whenTheFirstAnswerComesLaterThanTheBound_isBroken() {
        pause(0, 1000);
        granted("a", Op.Kind.CLAIM, 1000, 12_000, 201);

        assertThat(rules()).containsExactly(Rule.NO_RECOVERY);
    }

    // --- helpers

    private HistoryChecker.Result check() {
        long end = ops.stream().mapToLong(Op::answeredNanos).max().orElse(0) + millis(1);
        return checker.check(ops, faults, end);
    }

    private List<Rule> rules() {
        return check().violations().stream().map(HistoryChecker.Violation::rule).toList();
    }

    private void granted(String agent, Op.Kind kind, int invoked, int answered, int status) {
        ops.add(new Op(
                agent,
                0,
                kind,
                millis(invoked),
                millis(answered),
                Op.Outcome.ANSWERED,
                status,
                "",
                at(answered - 1),
                at(answered - 1 + (int) TTL.toMillis())));
    }

    private void answered(String agent, Op.Kind kind, int invoked, int answered, int status, String problem) {
        ops.add(new Op(
                agent, 0, kind, millis(invoked), millis(answered), Op.Outcome.ANSWERED, status, problem, null, null));
    }

    private void unknown(String agent, Op.Kind kind, int invoked, int gaveUp) {
        ops.add(new Op(agent, 0, kind, millis(invoked), millis(gaveUp), Op.Outcome.UNKNOWN, 0, "", null, null));
    }

    private void refused(String agent, Op.Kind kind, int invoked, int answered) {
        ops.add(new Op(agent, 0, kind, millis(invoked), millis(answered), Op.Outcome.REFUSED, 0, "", null, null));
    }

    private void kill(int killed, int relaunched, int ready) {
        faults.add(
                new FaultEvent(FaultEvent.Kind.KILL, 0, millis(killed), millis(relaunched), millis(ready), "kill -9"));
    }

    private void pause(int stopped, int continued) {
        faults.add(FaultEvent.of(FaultEvent.Kind.PAUSE, 0, millis(stopped), millis(continued), "SIGSTOP"));
    }

    private static long millis(int millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    private static Instant at(int millis) {
        return T0.plusMillis(millis);
    }
}
