package com.anycontact.innolicense.license;

import static com.anycontact.innolicense.license.LicenseState.ACTIVE;
import static com.anycontact.innolicense.license.LicenseState.DEMO;
import static com.anycontact.innolicense.license.LicenseState.GRACE;
import static com.anycontact.innolicense.license.LicenseState.PENDING;
import static com.anycontact.innolicense.license.LifecycleLicenses.evaluate;
import static com.anycontact.innolicense.license.LifecycleLicenses.serial;
import static com.anycontact.innolicense.license.LifecycleLicenses.stateAt;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class LicenseLifecyclePropertyTest {

    private static final List<ZoneId> ZONES =
            new TreeSet<>(ZoneId.getAvailableZoneIds()).stream().map(ZoneId::of).toList();
    private static final Instant WINDOW_START = Instant.parse("2029-12-01T00:00:00Z");
    private static final Instant WINDOW_END = Instant.parse("2035-01-01T00:00:00Z");

    @Property
    void evaluate_aroundTheBoundariesOfAnyLicense_switchesStateExactlyThere(@ForAll("anyLicense") License license) {
        boolean hasGrace = license.graceEnd().isAfter(license.end());

        assertThat(stateAt(license, license.start().minusSeconds(1))).isEqualTo(PENDING);
        assertThat(stateAt(license, license.start())).isEqualTo(ACTIVE);
        assertThat(stateAt(license, license.end().minusSeconds(1))).isEqualTo(ACTIVE);
        assertThat(stateAt(license, license.end())).isEqualTo(hasGrace ? GRACE : DEMO);
        if (hasGrace) {
            assertThat(stateAt(license, license.graceEnd().minusSeconds(1))).isEqualTo(GRACE);
        }
        assertThat(stateAt(license, license.graceEnd())).isEqualTo(DEMO);
    }

    @Property
    void evaluate_asTimeMovesForward_neverReturnsToAnEarlierState(
            @ForAll("appliedLicenses") List<License> applied, @ForAll("instantsInWindow") List<Instant> instants) {
        List<Instant> timeline = new ArrayList<>(instants);
        timeline.addAll(aroundBoundaries(applied));
        timeline.sort(Comparator.naturalOrder());

        Rank previous = new Rank(0, 0);
        for (Instant now : timeline) {
            Rank rank = Rank.of(evaluate(applied, now));
            assertThat(rank).as("rank at %s", now).isGreaterThanOrEqualTo(previous);
            previous = rank;
        }
    }

    @Property
    void evaluate_atAnyInstant_holdsTheHighestSerialStartedAndPendsOnTheNextToStart(
            @ForAll("appliedLicenses") List<License> applied, @ForAll("instantsInWindow") List<Instant> instants) {
        for (Instant now : timelineOf(applied, instants)) {
            LicenseStatus status = evaluate(applied, now);

            Optional<License> highestStarted = applied.stream()
                    .filter(license -> !license.start().isAfter(now))
                    .max(Comparator.comparingLong(License::serial));
            long currentSerial = highestStarted.map(License::serial).orElse(0L);
            List<License> future = applied.stream()
                    .filter(license ->
                            license.serial() > currentSerial && license.start().isAfter(now))
                    .toList();
            Optional<Instant> nextStart = future.stream().map(License::start).min(Comparator.naturalOrder());
            Optional<Long> takesOverNext = nextStart.flatMap(start -> future.stream()
                    .filter(license -> license.start().equals(start))
                    .map(License::serial)
                    .max(Comparator.naturalOrder()));
            assertThat(status.current()).isEqualTo(highestStarted);
            assertThat(status.pending().map(License::serial)).isEqualTo(takesOverNext);
            assertThat(evaluate(applied.reversed(), now)).isEqualTo(status);
        }
    }

    @Property
    void evaluate_atAnyInstant_grantsDemoCapacityOrTheSeatsOfTheLicenseInForce(
            @ForAll("appliedLicenses") List<License> applied, @ForAll("instantsInWindow") List<Instant> instants) {
        for (Instant now : timelineOf(applied, instants)) {
            LicenseStatus status = evaluate(applied, now);

            switch (status.state()) {
                case UNLICENSED, PENDING -> {
                    assertThat(status.capacity()).isEqualTo(LicenseLifecycle.DEMO_CAPACITY);
                    assertThat(status.features()).isEqualTo(ProductCatalog.features());
                }
                case DEMO -> {
                    assertThat(status.capacity()).isEqualTo(LicenseLifecycle.DEMO_CAPACITY);
                    assertThat(status.features())
                            .isEqualTo(status.current().orElseThrow().features());
                }
                case ACTIVE, GRACE -> {
                    assertThat(status.capacity())
                            .isEqualTo(status.current().orElseThrow().seats());
                    assertThat(status.features())
                            .isEqualTo(status.current().orElseThrow().features());
                }
            }
        }
    }

    @Provide
    Arbitrary<License> anyLicense() {
        Arbitrary<LocalDate> startDates = Arbitraries.longs()
                .between(
                        LocalDate.of(2001, 1, 1).toEpochDay(),
                        LocalDate.of(2090, 12, 31).toEpochDay())
                .map(LocalDate::ofEpochDay);
        return Combinators.combine(
                        startDates,
                        Arbitraries.of(ZONES),
                        Arbitraries.integers().between(1, 36),
                        Arbitraries.integers().between(0, 60),
                        Arbitraries.integers().between(1, License.MAX_SEATS))
                .as((startDate, zone, termMonths, graceDays, seats) -> serial(1)
                        .start(startDate)
                        .zone(zone)
                        .termMonths(termMonths)
                        .graceDays(graceDays)
                        .seats(seats)
                        .build());
    }

    @Provide
    Arbitrary<List<License>> appliedLicenses() {
        LocalDate first = LocalDate.of(2030, 1, 1);
        Arbitrary<LocalDate> startDates = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 3 * 366).map(first::plusDays),
                Arbitraries.longs().between(0, 36).map(first::plusMonths));
        Arbitrary<ZoneId> zones =
                Arbitraries.oneOf(Arbitraries.of(ZONES), Arbitraries.just(ZoneId.of("Europe/Berlin")));
        Arbitrary<License> licenses = Combinators.combine(
                        Arbitraries.longs().between(1, 6),
                        startDates,
                        zones,
                        Arbitraries.integers().between(1, 24),
                        Arbitraries.integers().between(0, 30),
                        Arbitraries.integers().between(1, 100),
                        Arbitraries.of("ACD", "IVR", "WFM").set().ofMinSize(1))
                .as((serial, startDate, zone, termMonths, graceDays, seats, features) -> serial(serial)
                        .start(startDate)
                        .zone(zone)
                        .termMonths(termMonths)
                        .graceDays(graceDays)
                        .seats(seats)
                        .features(features.toArray(String[]::new))
                        .build());
        return licenses.list().ofMaxSize(4).uniqueElements(License::serial);
    }

    @Provide
    Arbitrary<List<Instant>> instantsInWindow() {
        return Arbitraries.longs()
                .between(WINDOW_START.getEpochSecond(), WINDOW_END.getEpochSecond())
                .map(Instant::ofEpochSecond)
                .list()
                .ofMinSize(2)
                .ofMaxSize(10);
    }

    private static List<Instant> timelineOf(List<License> applied, List<Instant> instants) {
        List<Instant> timeline = new ArrayList<>(instants);
        timeline.addAll(aroundBoundaries(applied));
        return timeline;
    }

    private static List<Instant> aroundBoundaries(List<License> applied) {
        List<Instant> instants = new ArrayList<>();
        for (License license : applied) {
            for (Instant boundary : List.of(license.start(), license.end(), license.graceEnd())) {
                instants.add(boundary.minusSeconds(1));
                instants.add(boundary);
                instants.add(boundary.plusSeconds(1));
            }
        }
        return instants;
    }

    /** Progress through the lifecycle: the serial in force, then its phase. */
    private record Rank(long serial, int phase) implements Comparable<Rank> {

        static Rank of(LicenseStatus status) {
            int phase = switch (status.state()) {
                case UNLICENSED, PENDING -> 0;
                case ACTIVE -> 1;
                case GRACE -> 2;
                case DEMO -> 3;
            };
            return new Rank(status.current().map(License::serial).orElse(0L), phase);
        }

        @Override
        public int compareTo(Rank other) {
            return Comparator.comparingLong(Rank::serial)
                    .thenComparingInt(Rank::phase)
                    .compare(this, other);
        }
    }
}
