package com.anycontact.innolicense.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.license.TrustMode;
import com.anycontact.innolicense.time.SteadyClock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The coordinator's decisions with hand-written fakes of the database's clock, the lock and the registry. */
class ClusterCoordinatorTest {

    private static final Instant T0 = Instant.parse("2027-01-15T09:00:00Z");
    private static final Duration BOUND = Duration.ofSeconds(2);

    private final FakeDatabaseClock databaseClock = new FakeDatabaseClock();
    private final FakeLock lock = new FakeLock();
    private final FakeRegistry registry = new FakeRegistry();
    private final ClusterCoordinator node = new ClusterCoordinator(
            registry,
            databaseClock,
            lock,
            SteadyClock.anchoredAt(T0, () -> 0L),
            () -> T0,
            "node-a",
            () -> "http://a:8080",
            "0.1.0",
            TrustMode.DEVELOPMENT,
            T0,
            BOUND);

    @Test
    void beforeItsFirstTick_aNodeNeitherServesNorLeads() {
        assertThat(node.seatRefusal()).isPresent();
        assertThat(node.seatRefusal().get().offset()).isEmpty();
        assertThat(node.leads()).isFalse();
    }

    @Test
    void aNodeWhoseClockAgrees_servesTakesTheFreeLock_andSaysSoInItsHeartbeat() {
        databaseClock.offset = Duration.ofMillis(-300);

        node.tick();

        assertThat(node.seatRefusal()).isEmpty();
        assertThat(node.leads()).isTrue();
        assertThat(node.clockOffset()).contains(Duration.ofMillis(300));
        NodeHeartbeat beat = registry.beats.getLast();
        assertThat(beat.leader()).isTrue();
        assertThat(beat.serving()).isTrue();
        assertThat(beat.address()).isEqualTo("http://a:8080");
        assertThat(beat.trust()).as("its trust told to the other nodes").isEqualTo(TrustMode.DEVELOPMENT);
    }

    @Test
    void aNodeBeyondTheBound_refusesSeats_andALeaderLetsTheLockGo() {
        node.tick();
        assertThat(node.leads()).isTrue();

        databaseClock.offset = Duration.ofSeconds(-30);
        node.tick();

        ClockSkewedException refusal = node.seatRefusal().orElseThrow();
        assertThat(refusal.offset()).contains(Duration.ofSeconds(30));
        assertThat(refusal.getMessage()).contains("30000 ms ahead of the cluster database's");
        assertThat(node.leads()).isFalse();
        assertThat(lock.held).as("the lock was let go").isFalse();
        assertThat(node.status().reason()).isPresent();
    }

    @Test
    void theRoundTripCountsAgainstTheBound() {
        databaseClock.offset = Duration.ofMillis(1_500);
        databaseClock.roundTrip = Duration.ofMillis(1_200);

        node.tick();

        assertThat(node.seatRefusal())
                .as("1.5 s behind, give or take 0.6 s, may be 2.1 s")
                .isPresent();
    }

    @Test
    void aReadingTooSlowToTell_leavesTheLastOneStanding_untilThreeInARow() {
        databaseClock.offset = Duration.ofMillis(-300);
        node.tick();
        assertThat(node.leads()).isTrue();

        databaseClock.offset = Duration.ZERO;
        databaseClock.roundTrip = Duration.ofSeconds(5); // the tick's thread not run for 5 s, say
        node.tick();
        node.tick();

        assertThat(node.seatRefusal())
                .as("0 ms, give or take 2.5 s, tells neither way: the reading of 300 ms still stands")
                .isEmpty();
        assertThat(node.clockOffset()).contains(Duration.ofMillis(300));
        assertThat(node.leads()).isTrue();

        databaseClock.roundTrip = Duration.ofMillis(2);
        node.tick();
        assertThat(node.clockOffset()).as("a reading that tells replaces it").contains(Duration.ZERO);

        databaseClock.roundTrip = Duration.ofSeconds(5);
        node.tick();
        node.tick();
        node.tick();
        ClockSkewedException refusal = node.seatRefusal().orElseThrow();
        assertThat(refusal.offset()).isEmpty();
        assertThat(refusal.getMessage()).contains("has not measured its clock", "too slowly to tell");
        assertThat(node.leads()).isFalse();
    }

    @Test
    void theLeastOffsetAReadingAllows_isItsOffsetLessHalfItsRoundTrip() {
        // the database answered at once, and this node's thread read the answer 1.6 s later (a pause): the middle
        // of the round trip puts the node 0.8 s ahead, though the two clocks agree
        Instant databaseNow = T0;
        DatabaseClock answeredAtOnce = local -> {
            Instant sent = local.instant();
            return new ClockReading(sent, databaseNow, sent.plusMillis(1_600));
        };
        ClusterCoordinator paused = coordinator(answeredAtOnce, SteadyClock.anchoredAt(T0, () -> 0L), () -> T0);

        paused.tick();

        assertThat(paused.seatRefusal())
                .as("0.8 s give or take 0.8 s is within 2 s")
                .isEmpty();
        assertThat(paused.clockOffset()).contains(Duration.ofMillis(800));
        assertThat(paused.clockOffsetAtLeast())
                .as("a deadline put on the database's clock with it is not brought forward by the pause")
                .contains(Duration.ZERO);

        databaseClock.offset = Duration.ofMillis(-300);
        databaseClock.roundTrip = Duration.ofMillis(40);
        node.tick();
        assertThat(node.clockOffsetAtLeast()).contains(Duration.ofMillis(280));
        databaseClock.down = true;
        node.tick();
        node.tick();
        node.tick();
        assertThat(node.clockOffsetAtLeast()).as("unknown with the offset").isEmpty();
    }

    @Test
    void aReadingCertainlyBeyondTheBound_refusesAtOnce_evenOverASlowRoundTrip() {
        node.tick();
        databaseClock.offset = Duration.ofSeconds(-30);
        databaseClock.roundTrip = Duration.ofSeconds(5);

        node.tick();

        assertThat(node.seatRefusal().orElseThrow().offset())
                .as("30 s, give or take 2.5 s, is beyond 2 s for certain")
                .contains(Duration.ofSeconds(30));
        assertThat(node.leads()).isFalse();
    }

    @Test
    void aLeaderThatLosesItsLockConnection_stopsLeadingAtItsNextTick() {
        node.tick();
        lock.connectionLost = true;

        node.tick();

        assertThat(node.leads()).isFalse();
        assertThat(node.seatRefusal()).as("it still serves: only the lock went").isEmpty();
    }

    @Test
    void aFollower_doesNotLeadWhileAnotherHoldsTheLock() {
        lock.heldElsewhere = true;

        node.tick();
        node.tick();

        assertThat(node.leads()).isFalse();
        assertThat(node.seatRefusal()).isEmpty();
    }

    @Test
    void withoutAReadingForThreeTicks_theOffsetIsUnknownAndSeatsAreRefused() {
        node.tick();
        databaseClock.down = true;

        node.tick();
        node.tick();
        assertThat(node.seatRefusal())
                .as("two failed readings: the last one still stands")
                .isEmpty();
        node.tick();

        assertThat(node.seatRefusal()).isPresent();
        assertThat(node.seatRefusal().get().getMessage()).contains("has not measured its clock");
        assertThat(node.leads()).isFalse();
    }

    @Test
    void leaving_removesTheNodeAndClosesTheLock() {
        node.tick();

        node.close();

        assertThat(registry.left).containsExactly("node-a");
        assertThat(lock.closed).isTrue();
        assertThat(node.leads()).isFalse();
    }

    @Test
    void aFollower_endsAMissingHoldersSession_andTakesTheLockInTheSameTick() {
        lock.heldElsewhere = true;
        node.tick();
        assertThat(node.leads()).as("the holder's node is not missing").isFalse();

        lock.holderMissing = true;
        node.tick();

        assertThat(node.leads()).isTrue();
        assertThat(lock.held).isTrue();
    }

    @Test
    void aLeaderNotConfirmedForLongerThanTheBound_doesNoSingletonWorkUntilItsNextCheck() {
        long[] nanos = {0};
        ClusterCoordinator paused = new ClusterCoordinator(
                registry,
                databaseClock,
                lock,
                SteadyClock.anchoredAt(T0, () -> nanos[0]),
                () -> T0,
                "node-b",
                () -> "http://b:8080",
                "0.1.0",
                TrustMode.DEVELOPMENT,
                T0,
                BOUND);
        paused.tick();
        assertThat(paused.leads()).isTrue();

        nanos[0] += ClusterCoordinator.LEADERSHIP_CONFIRMED_FOR.toNanos();
        assertThat(paused.leads())
                .as("stopped for the bound: not leading until confirmed")
                .isFalse();

        lock.connectionLost = true;
        paused.tick();
        assertThat(paused.leads()).as("its lock connection was ended meanwhile").isFalse();
    }

    @Test
    void aSeatClockBeyondTheBound_isReanchoredToASystemClockWithinIt_butNotWhenOnlyTheRoundTripWasSlow() {
        Instant databaseNow = T0.plusSeconds(30);
        DatabaseClock database = local -> {
            Instant sent = local.instant();
            return new ClockReading(sent, databaseNow, sent);
        };
        SteadyClock seat = SteadyClock.anchoredAt(T0, () -> 0L);
        ClusterCoordinator wrong = coordinator(database, seat, () -> databaseNow);

        wrong.tick();
        assertThat(seat.instant())
                .as("30 s off: re-anchored to the system clock")
                .isEqualTo(databaseNow);
        wrong.tick();
        assertThat(wrong.seatRefusal()).as("serving at the next tick").isEmpty();

        Instant slowDatabaseNow = T0.plusMillis(2_600);
        DatabaseClock slow = local -> {
            Instant sent = local.instant();
            return new ClockReading(sent, slowDatabaseNow, sent.plusMillis(1_200));
        };
        SteadyClock uncertain = SteadyClock.anchoredAt(T0, () -> 0L);
        ClusterCoordinator slowNode = coordinator(slow, uncertain, () -> slowDatabaseNow);

        slowNode.tick();
        assertThat(slowNode.seatRefusal())
                .as("2.0 s behind, give or take 0.6 s: refused")
                .isPresent();
        assertThat(uncertain.instant())
                .as("but not certainly off: not re-anchored")
                .isEqualTo(T0);
    }

    private ClusterCoordinator coordinator(DatabaseClock database, SteadyClock seat, InstantSource system) {
        return new ClusterCoordinator(
                registry,
                database,
                lock,
                seat,
                system,
                "node-c",
                () -> "http://c:8080",
                "0.1.0",
                TrustMode.PRODUCTION,
                T0,
                BOUND);
    }

    /** The database's clock at a fixed offset from the node's, answering after a round trip. */
    private static final class FakeDatabaseClock implements DatabaseClock {
        Duration offset = Duration.ZERO;
        Duration roundTrip = Duration.ofMillis(2);
        boolean down;

        @Override
        public ClockReading read(InstantSource local) {
            if (down) {
                throw new IllegalStateException("connection refused");
            }
            Instant sent = local.instant();
            Instant received = sent.plus(roundTrip);
            return new ClockReading(sent, sent.plus(roundTrip.dividedBy(2)).plus(offset), received);
        }
    }

    private static final class FakeLock implements LeaderLock {
        boolean held;
        boolean heldElsewhere;
        boolean holderMissing;
        boolean connectionLost;
        boolean closed;

        @Override
        public boolean tryAcquire(String nodeId) {
            held = !heldElsewhere;
            return held;
        }

        @Override
        public boolean endMissingHolder(Duration missingAfter) {
            if (heldElsewhere && holderMissing) {
                heldElsewhere = false;
                return true;
            }
            return false;
        }

        @Override
        public boolean stillHeld() {
            if (connectionLost) {
                held = false;
            }
            return held;
        }

        @Override
        public void release() {
            held = false;
        }

        @Override
        public void close() {
            held = false;
            closed = true;
        }
    }

    private static final class FakeRegistry implements NodeRegistry {
        final List<NodeHeartbeat> beats = new ArrayList<>();
        final List<String> left = new ArrayList<>();

        @Override
        public void heartbeat(NodeHeartbeat heartbeat) {
            beats.add(heartbeat);
        }

        @Override
        public List<ClusterNode> nodes() {
            return beats.isEmpty()
                    ? List.of()
                    : List.of(new ClusterNode(
                            "node-a",
                            "http://a:8080",
                            "0.1.0",
                            T0,
                            T0,
                            beats.getLast().leader(),
                            Optional.empty(),
                            BOUND,
                            beats.getLast().serving(),
                            false,
                            Optional.of(beats.getLast().trust())));
        }

        @Override
        public int dropMissing() {
            return 0;
        }

        @Override
        public void leave(String nodeId) {
            left.add(nodeId);
        }
    }
}
