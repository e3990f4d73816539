package com.anycontact.innolicense.license;

import static com.anycontact.innolicense.license.LifecycleLicenses.serial;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.anycontact.innolicense.license.TrustedClock.ClockJump;
import com.anycontact.innolicense.license.TrustedClock.Direction;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TrustedClockTest {

    private static final Instant T0 = Instant.parse("2027-06-01T12:00:00Z");
    private static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final Duration HOUR = Duration.ofHours(1);

    private final MutableClock clock = new MutableClock(T0);
    private final List<ClockJump> jumps = new ArrayList<>();
    private final TrustedClock trusted = trusted(Instant.EPOCH);

    private TrustedClock trusted(Instant floor) {
        return new TrustedClock(clock, clock.ticker(), floor, TOLERANCE, jumps::add);
    }

    @Test
    void now_whileTimePasses_isTheSystemClockExactly() {
        assertThat(trusted.now()).isEqualTo(T0);
        clock.advance(HOUR.plusNanos(7));

        assertThat(trusted.now()).isEqualTo(T0.plus(HOUR).plusNanos(7));
        assertThat(trusted.highWaterMark()).isEqualTo(T0.plus(HOUR).plusNanos(7));
        assertThat(jumps).isEmpty();
    }

    @Test
    void now_afterTheClockIsSetBack_continuesOnTheMonotonicClockAndReportsTheJumpOnce() {
        trusted.now();
        clock.rewind(Duration.ofDays(30));
        assertThat(trusted.now()).isEqualTo(T0);

        clock.advance(HOUR);

        assertThat(trusted.now()).isEqualTo(T0.plus(HOUR));
        assertThat(jumps).containsExactly(new ClockJump(Direction.BACK, T0, T0.minus(Duration.ofDays(30))));
        assertThat(jumps.get(0).offset()).isEqualTo(Duration.ofDays(-30));
    }

    @Test
    void now_afterTheClockIsSetForward_continuesOnTheMonotonicClockAndTheMarkLeavesTheStepOut() {
        trusted.now();
        clock.stepForward(Duration.ofDays(400));
        clock.advance(HOUR);

        assertThat(trusted.now()).isEqualTo(T0.plus(HOUR));
        assertThat(trusted.highWaterMark()).isEqualTo(T0.plus(HOUR));
        assertThat(jumps).containsExactly(new ClockJump(Direction.FORWARD, T0.plus(HOUR), clock.instant()));
    }

    @Test
    void now_calledAgainAndAgainWhileTheClockStaysAway_reportsTheEpisodeOnlyWhenItStarts() {
        trusted.now();
        clock.rewind(Duration.ofDays(30));

        for (int second = 0; second < 100; second++) {
            assertThat(trusted.now()).isEqualTo(T0.plusSeconds(second));
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(jumps).hasSize(1);
        assertThat(trusted.read().jump()).contains(jumps.get(0));
    }

    @Test
    void now_afterTheClockIsCorrected_followsItAgainAndReportsTheNextStepAsANewEpisode() {
        trusted.now();
        clock.stepForward(Duration.ofHours(2));
        clock.advance(HOUR);
        assertThat(trusted.now()).isEqualTo(T0.plus(HOUR));

        clock.rewind(Duration.ofHours(2).minusSeconds(30));
        assertThat(trusted.now()).isEqualTo(T0.plus(HOUR).plusSeconds(30));
        assertThat(trusted.read().jump()).isEmpty();
        clock.rewind(Duration.ofDays(2));
        trusted.now();

        assertThat(jumps).extracting(ClockJump::direction).containsExactly(Direction.FORWARD, Direction.BACK);
    }

    @Test
    void now_whenTheClockJumpsTheOtherWayWithoutAgreeingInBetween_reportsANewEpisode() {
        trusted.now();
        clock.stepForward(Duration.ofHours(2));
        trusted.now();
        clock.rewind(Duration.ofHours(4));
        trusted.now();
        trusted.now();

        assertThat(jumps).extracting(ClockJump::direction).containsExactly(Direction.FORWARD, Direction.BACK);
    }

    @Test
    void now_afterASmallStepBack_standsStillUntilTheClockCatchesUpAndReportsNothing() {
        trusted.now();
        clock.rewind(Duration.ofMinutes(3));
        assertThat(trusted.now()).isEqualTo(T0);

        clock.advance(Duration.ofMinutes(2));
        assertThat(trusted.now()).isEqualTo(T0);
        clock.advance(Duration.ofMinutes(2));

        assertThat(trusted.now()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        assertThat(jumps).isEmpty();
    }

    @Test
    void now_afterSmallStepsBackThatAddUpBeyondTheTolerance_reportsThemOnceAndHoldsNothingStill() {
        trusted.now();
        clock.rewind(Duration.ofMinutes(3));
        trusted.now();
        clock.advance(Duration.ofMinutes(1));
        clock.rewind(Duration.ofMinutes(3));

        assertThat(trusted.now()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        assertThat(jumps)
                .containsExactly(new ClockJump(Direction.BACK, T0.plus(Duration.ofMinutes(1)), clock.instant()));
    }

    @Test
    void now_afterASmallStepForward_followsIt() {
        trusted.now();
        clock.stepForward(Duration.ofMinutes(4));

        assertThat(trusted.now()).isEqualTo(T0.plus(Duration.ofMinutes(4)));
        clock.advance(HOUR);
        assertThat(trusted.now()).isEqualTo(T0.plus(Duration.ofMinutes(64)));
        assertThat(jumps).isEmpty();
    }

    @Test
    void now_afterAStepOfExactlyTheTolerance_reportsNothing() {
        trusted.now();
        clock.rewind(TOLERANCE);
        trusted.now();
        clock.stepForward(TOLERANCE.multipliedBy(2));
        trusted.now();

        assertThat(jumps).isEmpty();
    }

    @Test
    void now_afterAStepOneNanosecondBeyondTheTolerance_reportsIt() {
        trusted.now();
        clock.rewind(TOLERANCE.plusNanos(1));

        trusted.now();

        assertThat(jumps)
                .containsExactly(
                        new ClockJump(Direction.BACK, T0, T0.minus(TOLERANCE).minusNanos(1)));
    }

    @Test
    void new_withAFloorAheadOfTheClockBeyondTheTolerance_startsAtTheFloorReportsTheJumpAndRunsOnTheMonotonicClock() {
        Instant floor = T0.plus(Duration.ofDays(1));
        TrustedClock restarted = trusted(floor);

        assertThat(restarted.now()).isEqualTo(floor);
        assertThat(jumps).containsExactly(new ClockJump(Direction.BACK, floor, T0));
        clock.advance(HOUR);
        assertThat(restarted.now()).isEqualTo(floor.plus(HOUR));
        assertThat(jumps).hasSize(1);
    }

    @Test
    void new_withTheClockFarBehindAfterADowntime_thenCorrected_leavesTheDowntimeOutUntilARestart() {
        // stopped at the floor (T0), down 8 hours, booted with the clock 400 days behind (a dead battery)
        Duration down = Duration.ofHours(8);
        clock.rewind(Duration.ofDays(400).minus(down));
        TrustedClock booted = trusted(T0);
        assertThat(booted.now()).isEqualTo(T0);

        // NTP sets the clock right a minute later: it now reads the downtime ahead of trusted time
        clock.advance(Duration.ofMinutes(1));
        clock.stepForward(Duration.ofDays(400));
        Instant right = T0.plus(down).plus(Duration.ofMinutes(1));
        assertThat(clock.instant()).isEqualTo(right);
        assertThat(booted.now())
                .as("the downtime is not confirmed by anything: the step forward is not believed")
                .isEqualTo(T0.plus(Duration.ofMinutes(1)));
        assertThat(jumps).extracting(ClockJump::direction).containsExactly(Direction.BACK, Direction.FORWARD);

        // a restart takes the system clock, as the start of any server does when it reads ahead of the floor
        assertThat(trusted(booted.now()).now()).isEqualTo(right);
    }

    @Test
    void new_withAFloorAheadOfTheClockWithinTheTolerance_startsAtTheFloorAndWaitsForTheClock() {
        Instant floor = T0.plus(Duration.ofMinutes(2));
        TrustedClock restarted = trusted(floor);

        assertThat(restarted.now()).isEqualTo(floor);
        clock.advance(Duration.ofMinutes(3));
        assertThat(restarted.now()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
        assertThat(jumps).isEmpty();
    }

    @Test
    void new_withAFloorBehindTheClock_startsAtTheClock() {
        TrustedClock restarted = trusted(T0.minus(Duration.ofDays(3)));

        assertThat(restarted.now()).isEqualTo(T0);
        assertThat(jumps).isEmpty();
    }

    @Test
    void new_withTheClockFarBeyondTheCeiling_startsAtTheCeilingReportsAStepForwardAndRunsOnTheMonotonicClock() {
        Instant ceiling = T0.minus(Duration.ofDays(400));
        TrustedClock started = withCeiling(T0.minus(Duration.ofDays(500)), ceiling);

        assertThat(started.now()).isEqualTo(ceiling);
        assertThat(jumps).containsExactly(new ClockJump(Direction.FORWARD, ceiling, T0));
        clock.advance(HOUR);
        assertThat(started.now()).isEqualTo(ceiling.plus(HOUR));
        assertThat(started.highWaterMark()).isEqualTo(ceiling.plus(HOUR));
        assertThat(jumps).hasSize(1);
    }

    @Test
    void new_withTheClockBeyondTheCeiling_followsTheClockOnceItIsSetRight() {
        Instant ceiling = T0.minus(Duration.ofDays(400));
        TrustedClock started = withCeiling(Instant.EPOCH, ceiling);
        clock.rewind(Duration.ofDays(400));
        clock.advance(HOUR);

        assertThat(started.now()).isEqualTo(ceiling.plus(HOUR));
        assertThat(jumps).hasSize(1);
    }

    @Test
    void new_withTheClockBelowTheCeiling_startsAtTheClock() {
        TrustedClock started = withCeiling(Instant.EPOCH, T0.plusSeconds(2));

        assertThat(started.now()).isEqualTo(T0);
        assertThat(jumps).isEmpty();
    }

    @Test
    void new_withTheCeilingBelowTheFloor_startsAtTheFloor_soTheCeilingCannotUndoTheAntiRollbackEvidence() {
        Instant floor = T0.minus(Duration.ofDays(1));
        TrustedClock started = withCeiling(floor, T0.minus(Duration.ofDays(30)));

        assertThat(started.now()).isEqualTo(floor);
        assertThat(jumps).containsExactly(new ClockJump(Direction.FORWARD, floor, T0));
    }

    @Test
    void new_withTheClockWithinTheToleranceBeyondTheCeiling_followsTheClockAtItsFirstReading() {
        TrustedClock started = withCeiling(Instant.EPOCH, T0.minus(TOLERANCE));

        assertThat(started.now()).isEqualTo(T0);
        assertThat(jumps).isEmpty();
    }

    private TrustedClock withCeiling(Instant floor, Instant ceiling) {
        return new TrustedClock(clock, clock.ticker(), floor, ceiling, TOLERANCE, jumps::add);
    }

    @Test
    void read_duringAnEpisode_tellsTrustedTimeSystemTimeOffsetAndTheJump() {
        trusted.now();
        clock.stepForward(Duration.ofHours(2));
        clock.advance(Duration.ofMinutes(10));

        TrustedClock.Reading reading = trusted.read();

        assertThat(reading.trustedTime()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(reading.systemTime()).isEqualTo(T0.plus(Duration.ofMinutes(130)));
        assertThat(reading.offset()).isEqualTo(Duration.ofHours(2));
        assertThat(reading.jump())
                .contains(new ClockJump(Direction.FORWARD, T0.plus(Duration.ofMinutes(10)), reading.systemTime()));
    }

    @Test
    void instant_asAnInstantSource_isTheTrustedNow() {
        InstantSource source = trusted;
        clock.advance(Duration.ofMinutes(3));

        assertThat(source.instant()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
        clock.rewind(Duration.ofMinutes(2));
        assertThat(source.instant()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
    }

    @Test
    void now_afterTheClockIsSetBackBeforeTheGraceEnd_keepsALapsedLicenseInDemo() {
        License license = serial(1).build();
        clock.set(license.graceEnd());
        assertThat(LicenseLifecycle.evaluate(List.of(license), trusted.now()).state())
                .isEqualTo(LicenseState.DEMO);

        clock.set(license.start());

        assertThat(LicenseLifecycle.evaluate(List.of(license), trusted.now()).state())
                .isEqualTo(LicenseState.DEMO);
    }

    @Test
    void now_afterTheClockIsSetForwardBeyondTheGraceEnd_keepsTheLicenseActive() {
        License license = serial(1).build();
        assertThat(LicenseLifecycle.evaluate(List.of(license), trusted.now()).state())
                .isEqualTo(LicenseState.ACTIVE);

        clock.stepForward(Duration.ofDays(800));

        assertThat(LicenseLifecycle.evaluate(List.of(license), trusted.now()).state())
                .isEqualTo(LicenseState.ACTIVE);
    }

    @Test
    void new_withNegativeTolerance_isRejected() {
        Duration negative = Duration.ofSeconds(-1);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TrustedClock(clock, clock.ticker(), Instant.EPOCH, negative, jumps::add));
    }

    @Test
    void now_calledFromManyThreadsAfterAStep_reportsTheEpisodeOnce() throws Exception {
        Queue<ClockJump> reported = new ConcurrentLinkedQueue<>();
        TrustedClock shared = new TrustedClock(clock, clock.ticker(), T0, TOLERANCE, reported::add);
        clock.rewind(Duration.ofDays(30));
        int threads = 4;
        CountDownLatch startGate = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(executor.submit(() -> {
                    startGate.await();
                    for (int call = 0; call < 10_000; call++) {
                        shared.now();
                    }
                    return null;
                }));
            }
            startGate.countDown();
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(reported).containsExactly(new ClockJump(Direction.BACK, T0, T0.minus(Duration.ofDays(30))));
    }

    @Test
    void now_calledFromManyThreadsWhileTheClockJumpsAroundAndTimePasses_neverGoesBackForAnyCaller() throws Exception {
        AtomicLong calls = new AtomicLong();
        AtomicLong ticks = new AtomicLong();
        InstantSource erratic = () -> {
            long call = calls.incrementAndGet();
            long seconds = call + Math.floorMod(call * 7919, 1000) - 500;
            return T0.plusSeconds(seconds);
        };
        Queue<ClockJump> reported = new ConcurrentLinkedQueue<>();
        TrustedClock shared = new TrustedClock(
                erratic, () -> ticks.addAndGet(1_000_000_000L), Instant.EPOCH, Duration.ZERO, reported::add);
        int threads = 4;
        CountDownLatch startGate = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(executor.submit(() -> {
                    startGate.await();
                    Instant previous = Instant.MIN;
                    for (int call = 0; call < 20_000; call++) {
                        Instant now = shared.now();
                        if (now.isBefore(previous)) {
                            return false;
                        }
                        previous = now;
                    }
                    return true;
                }));
            }
            startGate.countDown();
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(reported).allSatisfy(jump -> assertThat(jump.offset()).isNotEqualTo(Duration.ZERO));
    }
}
