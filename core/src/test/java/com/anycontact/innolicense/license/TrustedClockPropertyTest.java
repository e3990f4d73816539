package com.anycontact.innolicense.license;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.license.TrustedClock.ClockJump;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;

class TrustedClockPropertyTest {

    private static final Instant BASE = Instant.parse("2027-06-01T12:00:00Z");

    @Property
    void now_overAnyClockReadings_neverGoesBackAndReportsEachPeriodBehindBeyondTheToleranceOnceAtItsStart(
            @ForAll("initialMarks") Instant initialMark,
            @ForAll("readings") List<Instant> readings,
            @ForAll @LongRange(min = 0, max = 120) long toleranceSeconds) {
        Duration tolerance = Duration.ofSeconds(toleranceSeconds);
        MutableClock clock = new MutableClock(BASE);
        List<ClockJump> reported = new ArrayList<>();
        TrustedClock trusted = new TrustedClock(clock, initialMark, tolerance, reported::add);
        List<ClockJump> expected = new ArrayList<>();
        Instant mark = initialMark;
        boolean periodReported = false;
        Instant previous = Instant.MIN;

        for (Instant reading : readings) {
            clock.set(reading);
            Instant now = trusted.now();

            if (!reading.isBefore(mark)) {
                periodReported = false;
            } else if (reading.isBefore(mark.minus(tolerance)) && !periodReported) {
                expected.add(new ClockJump(mark, reading));
                periodReported = true;
            }
            mark = reading.isAfter(mark) ? reading : mark;
            assertThat(now).isAfterOrEqualTo(reading).isAfterOrEqualTo(previous).isEqualTo(mark);
            assertThat(trusted.highWaterMark()).isEqualTo(mark);
            previous = now;
        }
        assertThat(reported).isEqualTo(expected);
    }

    @Property
    void now_overAnyClockReadings_reportsOnceBetweenCatchUpsAndNeverMissesAReadingBeyondTheTolerance(
            @ForAll("initialMarks") Instant initialMark,
            @ForAll("readings") List<Instant> readings,
            @ForAll @LongRange(min = 0, max = 120) long toleranceSeconds) {
        Duration tolerance = Duration.ofSeconds(toleranceSeconds);
        MutableClock clock = new MutableClock(BASE);
        List<ClockJump> reported = new ArrayList<>();
        TrustedClock trusted = new TrustedClock(clock, initialMark, tolerance, reported::add);
        boolean reportedSinceCatchUp = false;

        for (Instant reading : readings) {
            clock.set(reading);
            int reportsBefore = reported.size();
            Instant now = trusted.now();
            int reportsNow = reported.size() - reportsBefore;

            if (now.equals(reading)) {
                assertThat(reportsNow)
                        .as("a reading at or after the mark is no jump")
                        .isZero();
                reportedSinceCatchUp = false;
            } else if (Duration.between(reading, now).compareTo(tolerance) > 0) {
                assertThat(reportsNow)
                        .as("a reading beyond the tolerance is reported once per period behind")
                        .isEqualTo(reportedSinceCatchUp ? 0 : 1);
                reportedSinceCatchUp = true;
            } else {
                assertThat(reportsNow)
                        .as("a reading within the tolerance is no jump")
                        .isZero();
            }
        }
    }

    @Provide
    Arbitrary<Instant> initialMarks() {
        return Arbitraries.oneOf(
                Arbitraries.just(Instant.EPOCH),
                Arbitraries.longs().between(-600, 600).map(BASE::plusSeconds),
                Arbitraries.longs().between(-100_000_000, 100_000_000).map(BASE::plusSeconds));
    }

    @Provide
    Arbitrary<List<Instant>> readings() {
        Arbitrary<Long> steps = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(-150, 150)),
                Tuple.of(1, Arbitraries.longs().between(-100_000_000, 100_000_000)));
        return steps.list().ofMaxSize(30).map(deltas -> {
            List<Instant> readings = new ArrayList<>();
            Instant reading = BASE;
            for (long delta : deltas) {
                reading = reading.plusSeconds(delta);
                readings.add(reading);
            }
            return readings;
        });
    }
}
