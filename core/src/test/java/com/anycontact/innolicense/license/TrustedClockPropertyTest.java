package com.anycontact.innolicense.license;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.license.TrustedClock.ClockJump;
import com.anycontact.innolicense.license.TrustedClock.Direction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * {@link TrustedClock} over random histories of time passing (system clock and ticker together), steps of the
 * system clock alone (small ones like NTP corrections, large ones like a mis-set clock) and floors.
 */
class TrustedClockPropertyTest {

    private static final Instant BASE = Instant.parse("2027-06-01T12:00:00Z");

    /** One thing that happens between two readings: time passes, or the system clock is stepped. */
    record Event(boolean step, long seconds) {

        void applyTo(MutableClock clock) {
            if (step && seconds < 0) {
                clock.rewind(Duration.ofSeconds(-seconds));
            } else if (step) {
                clock.stepForward(Duration.ofSeconds(seconds));
            } else {
                clock.advance(Duration.ofSeconds(seconds));
            }
        }
    }

    @Property
    void now_overAnyHistory_neverGoesBackStartsAtTheFloorAndAdvancesAtLeastByTickerTimeLessTheTolerance(
            @ForAll("floors") Instant floor,
            @ForAll("histories") List<Event> history,
            @ForAll @LongRange(min = 0, max = 120) long toleranceSeconds) {
        Duration tolerance = Duration.ofSeconds(toleranceSeconds);
        MutableClock clock = new MutableClock(BASE);
        List<ClockJump> reported = new ArrayList<>();
        TrustedClock trusted = new TrustedClock(clock, clock.ticker(), floor, tolerance, reported::add);
        List<Instant> trustedTimes = new ArrayList<>();
        List<Long> tickerTimes = new ArrayList<>();
        trustedTimes.add(trusted.now());
        tickerTimes.add(clock.ticker().nanos());
        assertThat(trustedTimes.get(0)).isAfterOrEqualTo(floor).isAfterOrEqualTo(BASE);

        for (Event event : history) {
            event.applyTo(clock);
            int reportsBefore = reported.size();
            TrustedClock.Reading reading = trusted.read();
            Instant now = reading.trustedTime();
            long ticks = clock.ticker().nanos();

            for (int i = 0; i < trustedTimes.size(); i++) {
                Duration elapsed = Duration.ofNanos(ticks - tickerTimes.get(i));
                assertThat(now)
                        .as("never backwards")
                        .isAfterOrEqualTo(trustedTimes.get(i))
                        .as("at least the monotonic time elapsed since every earlier reading, less the tolerance")
                        .isAfterOrEqualTo(trustedTimes.get(i).plus(elapsed).minus(tolerance));
            }
            if (reported.size() > reportsBefore) {
                assertThat(reported).hasSize(reportsBefore + 1);
                ClockJump jump = reported.get(reportsBefore);
                assertThat(reading.jump())
                        .as("a reported jump is the episode shown")
                        .contains(jump);
                assertThat(jump.offset().abs())
                        .as("only steps beyond the tolerance")
                        .isGreaterThan(tolerance);
                assertThat(jump.direction()).isEqualTo(jump.offset().isNegative() ? Direction.BACK : Direction.FORWARD);
            }
            if (reading.jump().isPresent()) {
                assertThat(reading.offset().abs())
                        .as("during an episode the clock is away by more than the tolerance")
                        .isGreaterThan(tolerance);
            }
            assertThat(trusted.highWaterMark()).isEqualTo(now);
            trustedTimes.add(now);
            tickerTimes.add(ticks);
        }
    }

    @Property
    void now_withAGoodClock_isTheSystemClockAndReportsNothing(
            @ForAll("passingTime") List<Long> seconds, @ForAll @LongRange(min = 0, max = 120) long toleranceSeconds) {
        MutableClock clock = new MutableClock(BASE);
        List<ClockJump> reported = new ArrayList<>();
        TrustedClock trusted = new TrustedClock(
                clock, clock.ticker(), Instant.EPOCH, Duration.ofSeconds(toleranceSeconds), reported::add);

        for (long second : seconds) {
            clock.advance(Duration.ofSeconds(second));
            assertThat(trusted.now()).isEqualTo(clock.instant());
        }
        assertThat(reported).isEmpty();
    }

    @Property
    void now_withOneStepBeyondTheTolerance_isMonotonicTimeOnlyUntilTheStepIsUndoneAndReportsItOnce(
            @ForAll("passingTime") List<Long> before,
            @ForAll("passingTime") List<Long> during,
            @ForAll("passingTime") List<Long> after,
            @ForAll("largeSteps") long stepSeconds,
            @ForAll @IntRange(min = 0, max = 120) int toleranceSeconds) {
        Duration tolerance = Duration.ofSeconds(toleranceSeconds);
        MutableClock clock = new MutableClock(BASE);
        List<ClockJump> reported = new ArrayList<>();
        TrustedClock trusted = new TrustedClock(clock, clock.ticker(), Instant.EPOCH, tolerance, reported::add);
        Event step = new Event(true, stepSeconds);
        Event undo = new Event(true, -stepSeconds);
        Instant start = trusted.now();
        long startTicks = clock.ticker().nanos();
        for (long second : before) {
            clock.advance(Duration.ofSeconds(second));
            assertThat(trusted.now()).isEqualTo(clock.instant());
        }

        step.applyTo(clock);
        assertThat(trusted.now()).isEqualTo(start.plusNanos(clock.ticker().nanos() - startTicks));
        for (long second : during) {
            clock.advance(Duration.ofSeconds(second));
            assertThat(trusted.now()).isEqualTo(start.plusNanos(clock.ticker().nanos() - startTicks));
        }
        assertThat(reported)
                .singleElement()
                .extracting(ClockJump::direction)
                .isEqualTo(stepSeconds < 0 ? Direction.BACK : Direction.FORWARD);

        undo.applyTo(clock);
        for (long second : after) {
            clock.advance(Duration.ofSeconds(second));
            assertThat(trusted.now()).isEqualTo(clock.instant());
            assertThat(trusted.read().jump()).isEmpty();
        }
        assertThat(reported).hasSize(1);
    }

    @Provide
    Arbitrary<Instant> floors() {
        return Arbitraries.oneOf(
                Arbitraries.just(Instant.EPOCH),
                Arbitraries.longs().between(-600, 600).map(BASE::plusSeconds),
                Arbitraries.longs().between(-100_000_000, 100_000_000).map(BASE::plusSeconds));
    }

    @Provide
    Arbitrary<List<Event>> histories() {
        Arbitrary<Event> passing = Arbitraries.longs().between(0, 600).map(seconds -> new Event(false, seconds));
        Arbitrary<Event> smallSteps = Arbitraries.longs().between(-150, 150).map(seconds -> new Event(true, seconds));
        Arbitrary<Event> largeSteps = largeSteps().map(seconds -> new Event(true, seconds));
        Arbitrary<Event> event = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, passing),
                net.jqwik.api.Tuple.of(3, smallSteps),
                net.jqwik.api.Tuple.of(1, largeSteps));
        return event.list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Long>> passingTime() {
        return Arbitraries.longs().between(0, 3_600).list().ofMaxSize(10);
    }

    @Provide
    Arbitrary<Long> largeSteps() {
        Arbitrary<Long> size = Arbitraries.longs().between(121, 100_000_000);
        return Combinators.combine(size, Arbitraries.of(-1L, 1L)).as((magnitude, sign) -> magnitude * sign);
    }
}
