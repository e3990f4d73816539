package com.anycontact.innolicense.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class UsageTrackerTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** 10:00:00 in Berlin (UTC+1 in January). */
    private static final Instant T0 = Instant.parse("2027-01-15T09:00:00Z");

    private static final Instant BEFORE_ALL = Instant.parse("2000-01-01T00:00:00Z");

    private final FakeClock clock = new FakeClock(T0);
    private final InMemoryUsageStore store = new InMemoryUsageStore();
    private final AtomicReference<ZoneId> zone = new AtomicReference<>(BERLIN);

    private UsageTracker tracker(int inUse, int capacity) {
        return new UsageTracker(store, clock, zone::get, inUse, capacity);
    }

    private static Instant minute(int n) {
        return T0.plus(Duration.ofMinutes(n));
    }

    @Test
    void aShortPeakWithinAMinute_isKeptAsThatMinutesMaximum() {
        UsageTracker tracker = tracker(0, 50);
        clock.advance(Duration.ofSeconds(10));
        tracker.claimed(1, 50);
        tracker.claimed(2, 50);
        tracker.claimed(3, 50);
        tracker.changed(0, 50);
        clock.advance(Duration.ofSeconds(50));

        tracker.flush();

        assertThat(store.minutes(BEFORE_ALL, minute(10))).containsExactly(new UsageMinute(minute(0), 3, 50, 3, 0));
    }

    @Test
    void aClusterNodeThatDoesNotLead_writesItsClaimsAndDenials_butNoPeakOrCapacity() {
        UsageTracker tracker = tracker(0, 50);
        java.util.concurrent.atomic.AtomicBoolean leads = new java.util.concurrent.atomic.AtomicBoolean(false);
        tracker.recordPeaksWhen(leads::get);
        tracker.claimed(7, 50);
        tracker.denied(50, 50);
        clock.advance(Duration.ofMinutes(1));
        tracker.flush();
        leads.set(true);
        tracker.claimed(8, 50);
        clock.advance(Duration.ofMinutes(1));

        tracker.flush();

        assertThat(store.minutes(BEFORE_ALL, minute(10)))
                .containsExactly(new UsageMinute(minute(0), 0, 0, 1, 1), new UsageMinute(minute(1), 50, 50, 1, 0));
        assertThat(tracker.live().peakToday())
                .as("its own view in memory is whole")
                .isEqualTo(50);
    }

    @Test
    void aMinuteWithoutChanges_carriesTheLevelOfTheMinuteBefore() {
        UsageTracker tracker = tracker(0, 50);
        tracker.claimed(4, 50);
        clock.advance(Duration.ofMinutes(1));
        tracker.flush();
        clock.advance(Duration.ofMinutes(1));

        tracker.flush();

        assertThat(store.minutes(BEFORE_ALL, minute(10)))
                .containsExactly(new UsageMinute(minute(0), 4, 50, 1, 0), new UsageMinute(minute(1), 4, 50, 0, 0));
    }

    @Test
    void flushing_writesOnceAMinute_howeverManyClaims() {
        UsageTracker tracker = tracker(0, 5000);
        for (int second = 0; second < 120; second++) {
            for (int i = 0; i < 10; i++) {
                tracker.claimed(second * 10 + i + 1, 5000);
            }
            tracker.flush();
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(store.saves).isEqualTo(1);
        tracker.flush();
        assertThat(store.saves).isEqualTo(2);
        assertThat(store.minutes(BEFORE_ALL, minute(10)))
                .extracting(UsageMinute::claims)
                .containsExactly(600, 600);
    }

    @Test
    void denials_areCountedPerMinuteAndForToday() {
        UsageTracker tracker = tracker(2, 2);
        tracker.denied(2, 2);
        tracker.denied(2, 2);

        assertThat(tracker.live()).isEqualTo(new LiveUsage(2, 2, 2, 2));
        clock.advance(Duration.ofMinutes(1));
        tracker.flush();
        assertThat(store.minutes(BEFORE_ALL, minute(1))).containsExactly(new UsageMinute(minute(0), 2, 2, 0, 2));
    }

    @Test
    void today_isTheCalendarDayOfTheLicenseZone_andStartsAgainAtItsMidnight() {
        UsageTracker tracker = tracker(0, 50);
        tracker.claimed(1, 50);
        tracker.claimed(2, 50);
        tracker.changed(1, 50);
        tracker.denied(1, 1);
        clock.set(Instant.parse("2027-01-15T22:59:59Z"));
        assertThat(tracker.live()).isEqualTo(new LiveUsage(1, 1, 2, 1));

        clock.set(Instant.parse("2027-01-15T23:00:00Z"));

        assertThat(tracker.live()).isEqualTo(new LiveUsage(1, 1, 1, 0));
    }

    @Test
    void whenTheZoneChanges_todayIsRecountedInTheNewZone() {
        zone.set(ZoneOffset.UTC);
        clock.set(Instant.parse("2027-01-15T23:30:00Z"));
        UsageTracker tracker = tracker(0, 50);
        tracker.claimed(1, 50);
        tracker.claimed(5, 50);
        tracker.changed(0, 50);
        tracker.denied(0, 0);
        clock.set(Instant.parse("2027-01-16T00:10:00Z"));
        tracker.flush();
        assertThat(tracker.live()).isEqualTo(new LiveUsage(0, 0, 0, 0));

        zone.set(BERLIN);
        tracker.flush();

        assertThat(tracker.live()).isEqualTo(new LiveUsage(0, 0, 5, 1));
    }

    @Test
    void aNewTracker_readsTodaysPeakAndDenialsFromTheStore() {
        UsageTracker first = tracker(0, 50);
        first.claimed(7, 50);
        first.denied(7, 7);
        first.changed(3, 7);
        first.close();

        UsageTracker restarted = tracker(3, 7);

        assertThat(restarted.live()).isEqualTo(new LiveUsage(3, 7, 7, 1));
    }

    @Test
    void aMinuteSplitByARestart_countsBothParts() {
        UsageTracker first = tracker(0, 50);
        first.claimed(1, 50);
        first.close();
        UsageTracker restarted = tracker(1, 50);
        restarted.claimed(2, 50);
        clock.advance(Duration.ofMinutes(1));

        restarted.flush();

        assertThat(store.minutes(BEFORE_ALL, minute(1))).containsExactly(new UsageMinute(minute(0), 2, 50, 2, 0));
    }

    @Test
    void report_peaksOf7And30Days_countCalendarDaysInTheZone() {
        store.save(
                List.of(
                        new UsageMinute(Instant.parse("2027-01-09T00:00:00Z"), 40, 50, 0, 0),
                        new UsageMinute(Instant.parse("2027-01-08T22:59:00Z"), 45, 50, 0, 0),
                        new UsageMinute(Instant.parse("2026-12-17T00:00:00Z"), 48, 50, 0, 0),
                        new UsageMinute(Instant.parse("2026-12-16T22:59:00Z"), 49, 50, 0, 0)),
                BEFORE_ALL);
        UsageTracker tracker = tracker(3, 50);

        UsageReport report = tracker.report();

        assertThat(report.live().peakToday()).isEqualTo(3);
        assertThat(report.peak7Days()).isEqualTo(40);
        assertThat(report.peak30Days()).isEqualTo(48);
        assertThat(report.zone()).isEqualTo(BERLIN);
    }

    @Test
    void report_lastHour_hasAPointPerMinute_withGapsWhereNothingWasRecorded() {
        UsageTracker tracker = tracker(0, 50);
        tracker.claimed(1, 50);
        clock.advance(Duration.ofMinutes(1));
        tracker.claimed(2, 50);
        tracker.flush();

        UsageReport report = tracker.report();

        assertThat(report.lastHour()).hasSize(60);
        assertThat(report.lastHour().getLast()).isEqualTo(new UsagePoint(minute(1), 2, 50));
        assertThat(report.lastHour().get(58)).isEqualTo(new UsagePoint(minute(0), 1, 50));
        assertThat(report.lastHour().get(57)).isEqualTo(new UsagePoint(minute(-1), null, null));
    }

    @Test
    void report_lastDay_hasAPointPerFiveMinutes_withTheMaximumOfEach() {
        UsageTracker tracker = tracker(0, 50);
        tracker.claimed(4, 50);
        clock.advance(Duration.ofMinutes(2));
        tracker.claimed(9, 50);
        tracker.changed(1, 50);
        clock.advance(Duration.ofMinutes(3));
        tracker.flush();

        UsageReport report = tracker.report();

        assertThat(report.lastDay()).hasSize(288);
        assertThat(report.lastDay().get(286)).isEqualTo(new UsagePoint(minute(0), 9, 50));
        assertThat(report.lastDay().getLast()).isEqualTo(new UsagePoint(minute(5), 1, 50));
    }

    @Test
    void flushing_dropsMinutesOlderThanTheRetention() {
        store.save(List.of(new UsageMinute(T0.minus(Duration.ofDays(91)), 1, 2, 0, 0)), BEFORE_ALL);
        UsageTracker tracker = tracker(0, 2);
        clock.advance(Duration.ofMinutes(1));

        tracker.flush();

        assertThat(store.minutes(BEFORE_ALL, minute(10)))
                .extracting(UsageMinute::start)
                .containsExactly(minute(0));
    }

    @Test
    void aDenialOnAnotherNode_countsInTodaysDenials_butNotInThisNodesMinute() {
        UsageTracker tracker = tracker(0, 2);
        tracker.claimed(2, 2);
        tracker.denied(2, 2);

        tracker.deniedElsewhere(2, 2);

        assertThat(tracker.live().denialsToday()).isEqualTo(2);
        clock.advance(Duration.ofMinutes(1));
        tracker.flush();
        assertThat(store.minutes(BEFORE_ALL, minute(10))).containsExactly(new UsageMinute(minute(0), 2, 2, 1, 1));
    }
}
