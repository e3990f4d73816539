package com.anycontact.innolicense.license;

import static com.anycontact.innolicense.license.LifecycleLicenses.serial;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.anycontact.innolicense.license.TrustedClock.ClockJump;
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

    private final MutableClock clock = new MutableClock(T0);
    private final List<ClockJump> jumps = new ArrayList<>();
    private final TrustedClock trusted = new TrustedClock(clock, Instant.EPOCH, TOLERANCE, jumps::add);

    @Test
    void now_whileTheClockMovesForward_followsIt() {
        assertThat(trusted.now()).isEqualTo(T0);
        clock.advance(Duration.ofHours(1));

        assertThat(trusted.now()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(jumps).isEmpty();
    }

    @Test
    void now_afterTheClockIsSetBack_staysAtTheHighWaterMarkUntilTheClockCatchesUp() {
        trusted.now();
        clock.rewind(Duration.ofDays(30));

        assertThat(trusted.now()).isEqualTo(T0);
        clock.set(T0.plusSeconds(1));
        assertThat(trusted.now()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void now_afterTheClockIsSetBackBeyondTheTolerance_reportsTheJumpOnce() {
        trusted.now();
        clock.rewind(Duration.ofDays(30));

        trusted.now();

        ClockJump expected = new ClockJump(T0, T0.minus(Duration.ofDays(30)));
        assertThat(jumps).containsExactly(expected);
        assertThat(expected.backwards()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void now_calledAgainAndAgainWhileTheClockStaysBehind_reportsThePeriodOnlyWhenItStarts() {
        trusted.now();
        clock.rewind(Duration.ofDays(30));

        for (int second = 0; second < 100; second++) {
            assertThat(trusted.now()).isEqualTo(T0);
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(jumps).containsExactly(new ClockJump(T0, T0.minus(Duration.ofDays(30))));
    }

    @Test
    void now_afterTheClockCaughtUpAndIsSetBackAgain_reportsTheNewPeriod() {
        trusted.now();
        clock.rewind(Duration.ofDays(30));
        trusted.now();
        clock.set(T0.plusSeconds(10));
        assertThat(trusted.now()).isEqualTo(T0.plusSeconds(10));

        clock.rewind(Duration.ofDays(2));
        trusted.now();
        trusted.now();

        assertThat(jumps)
                .containsExactly(
                        new ClockJump(T0, T0.minus(Duration.ofDays(30))),
                        new ClockJump(T0.plusSeconds(10), T0.plusSeconds(10).minus(Duration.ofDays(2))));
    }

    @Test
    void now_afterTheClockReachesTheMarkExactly_endsThePeriod() {
        trusted.now();
        clock.rewind(Duration.ofDays(1));
        trusted.now();
        clock.set(T0);
        trusted.now();

        clock.rewind(Duration.ofDays(1));
        trusted.now();

        assertThat(jumps).hasSize(2);
    }

    @Test
    void now_whenAPeriodWithinTheToleranceDeepensBeyondIt_reportsItOnceAtTheFirstReadingBeyond() {
        trusted.now();
        clock.rewind(Duration.ofMinutes(1));
        trusted.now();
        clock.rewind(Duration.ofHours(1));
        trusted.now();
        clock.rewind(Duration.ofHours(1));
        trusted.now();

        assertThat(jumps).containsExactly(new ClockJump(T0, T0.minus(Duration.ofMinutes(61))));
    }

    @Test
    void now_whenTheClockComesBackWithinTheToleranceButStaysBehind_doesNotReportAgain() {
        trusted.now();
        clock.rewind(Duration.ofHours(1));
        trusted.now();
        clock.set(T0.minusSeconds(1));
        trusted.now();

        clock.rewind(Duration.ofHours(1));
        trusted.now();

        assertThat(jumps).hasSize(1);
    }

    @Test
    void instant_asAnInstantSource_isTheTrustedNowAndAdvancesTheMark() {
        InstantSource source = trusted;
        clock.advance(Duration.ofMinutes(3));

        assertThat(source.instant()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
        clock.rewind(Duration.ofMinutes(2));
        assertThat(source.instant()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
        assertThat(trusted.highWaterMark()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
    }

    @Test
    void now_afterTheClockIsSetBackExactlyByTheTolerance_reportsNothing() {
        trusted.now();
        clock.rewind(TOLERANCE);

        assertThat(trusted.now()).isEqualTo(T0);
        assertThat(jumps).isEmpty();
    }

    @Test
    void now_afterTheClockIsSetBackOneNanosecondBeyondTheTolerance_reportsTheJump() {
        trusted.now();
        clock.rewind(TOLERANCE.plusNanos(1));

        trusted.now();

        assertThat(jumps).containsExactly(new ClockJump(T0, T0.minus(TOLERANCE).minusNanos(1)));
    }

    @Test
    void now_withAPersistedMarkAheadOfTheClock_startsAtTheMarkAndReportsTheJump() {
        Instant persisted = T0.plus(Duration.ofDays(1));
        TrustedClock restarted = new TrustedClock(clock, persisted, TOLERANCE, jumps::add);

        assertThat(restarted.now()).isEqualTo(persisted);
        assertThat(jumps).containsExactly(new ClockJump(persisted, T0));
    }

    @Test
    void highWaterMark_afterReadings_isTheLatestInstantHandedOut() {
        assertThat(trusted.highWaterMark()).isEqualTo(Instant.EPOCH);
        clock.advance(Duration.ofMinutes(10));
        trusted.now();
        clock.rewind(Duration.ofMinutes(20));
        trusted.now();

        assertThat(trusted.highWaterMark()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
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
    void new_withNegativeTolerance_isRejected() {
        Duration negative = Duration.ofSeconds(-1);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TrustedClock(clock, Instant.EPOCH, negative, jumps::add));
    }

    @Test
    void now_calledFromManyThreadsWhileTheClockStaysBehind_reportsThePeriodOnce() throws Exception {
        trusted.now();
        clock.rewind(Duration.ofDays(30));
        Queue<ClockJump> reported = new ConcurrentLinkedQueue<>();
        TrustedClock shared = new TrustedClock(clock, T0, TOLERANCE, reported::add);
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
        assertThat(reported).containsExactly(new ClockJump(T0, T0.minus(Duration.ofDays(30))));
    }

    @Test
    void now_calledFromManyThreadsWhileTheClockJumpsAround_neverGoesBackForAnyCaller() throws Exception {
        AtomicLong calls = new AtomicLong();
        AtomicLong latestReading = new AtomicLong(Long.MIN_VALUE);
        InstantSource erratic = () -> {
            long call = calls.incrementAndGet();
            long seconds = call + Math.floorMod(call * 7919, 1000) - 500;
            latestReading.accumulateAndGet(seconds, Math::max);
            return T0.plusSeconds(seconds);
        };
        Queue<ClockJump> reported = new ConcurrentLinkedQueue<>();
        TrustedClock shared = new TrustedClock(erratic, Instant.EPOCH, Duration.ZERO, reported::add);
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
        assertThat(shared.highWaterMark()).isEqualTo(T0.plusSeconds(latestReading.get()));
        assertThat(reported).allSatisfy(jump -> assertThat(jump.to()).isBefore(jump.from()));
    }
}
