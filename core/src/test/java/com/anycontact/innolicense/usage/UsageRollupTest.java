package com.anycontact.innolicense.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UsageRollupTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** 2027-01-30 23:00 in Berlin. */
    private static final Instant LATE = Instant.parse("2027-01-30T22:00:00Z");

    private static final LocalDate JAN_30 = LocalDate.parse("2027-01-30");
    private static final LocalDate JAN_31 = LocalDate.parse("2027-01-31");

    private final FakeClock clock = new FakeClock(LATE);
    private final InMemoryUsageStore store = new InMemoryUsageStore();
    private final UsageTracker tracker = new UsageTracker(store, clock, () -> BERLIN, 0, 3);
    private final UsageRollup rollup = new UsageRollup(store, clock, () -> BERLIN, UsageRetention.DEFAULT);

    private void pass(Duration duration) {
        Instant end = clock.instant().plus(duration);
        while (clock.instant().isBefore(end)) {
            clock.advance(Duration.ofMinutes(1));
            tracker.flush();
            rollup.run();
        }
    }

    @Test
    void anEndedDay_isRolledUpFromItsMinutes_afterItSettled() {
        tracker.claimed("agent-1", 1, 3);
        tracker.claimed("agent-2", 2, 3);
        tracker.claimed("agent-3", 3, 3);
        tracker.denied("agent-4", 3, 3);
        tracker.denied("agent-4", 3, 3);
        pass(Duration.ofMinutes(2));
        tracker.changed(1, 3);
        pass(Duration.ofMinutes(58 + 4));

        assertThat(store.aggregates(UsageAggregate.Level.DAY, JAN_30, JAN_31)).isEmpty();

        pass(Duration.ofMinutes(1));

        assertThat(store.aggregates(UsageAggregate.Level.DAY, JAN_30, JAN_31))
                .containsExactly(new UsageAggregate(JAN_30, BERLIN, 60, 3, 3, 3, 3, 3, 2, 3));
    }

    @Test
    void anEndedMonth_isAddedUpFromItsDays_withItsDistinctAgents_andOldAgentsAreDropped() {
        tracker.claimed("agent-1", 1, 3);
        pass(Duration.ofHours(2));
        tracker.changed(0, 3);
        tracker.claimed("agent-1", 1, 3);
        tracker.claimed("agent-2", 2, 3);
        pass(Duration.ofDays(1));

        List<UsageAggregate> months = store.aggregates(
                UsageAggregate.Level.MONTH, LocalDate.parse("2027-01-01"), LocalDate.parse("2027-02-01"));
        assertThat(months).hasSize(1);
        UsageAggregate january = months.get(0);
        assertThat(january.first()).isEqualTo(LocalDate.parse("2027-01-01"));
        assertThat(january.peakInUse()).isEqualTo(2);
        assertThat(january.claims()).isEqualTo(3);
        assertThat(january.distinctAgents()).isEqualTo(2);
        assertThat(january.minutesRecorded()).isEqualTo(60 + 1440);
        assertThat(store.aggregates(UsageAggregate.Level.DAY, JAN_30, LocalDate.parse("2027-02-01")))
                .extracting(UsageAggregate::distinctAgents)
                .containsExactly(1, 2);
        assertThat(store.hasAgents(LocalDate.parse("2026-12-01"), LocalDate.parse("2027-02-01")))
                .isTrue();

        clock.set(Instant.parse("2027-03-01T12:00:00Z"));
        rollup.run();

        assertThat(store.hasAgents(LocalDate.parse("2026-12-01"), LocalDate.parse("2027-02-01")))
                .isFalse();
        assertThat(store.aggregates(UsageAggregate.Level.DAY, JAN_30, JAN_31)).hasSize(1);
    }

    @Test
    void anAgentHoldingASeatAcrossMidnight_countsOnEachDayAndMonthTheyHeldIt() {
        Set<String> holding = new HashSet<>();
        tracker.countHoldersFrom(() -> Set.copyOf(holding));
        // 2027-01-30 23:00 Berlin: agent-1 logs in and stays until 01:00 the next day
        holding.add("agent-1");
        tracker.claimed("agent-1", 1, 3);
        pass(Duration.ofHours(2));
        holding.remove("agent-1");
        tracker.changed(0, 3);
        // 2027-01-31 10:00 to 11:00: agent-2
        pass(Duration.ofHours(9));
        holding.add("agent-2");
        tracker.claimed("agent-2", 1, 3);
        pass(Duration.ofHours(1));
        holding.remove("agent-2");
        tracker.changed(0, 3);
        // 2027-01-31 22:00 to 2027-02-01 02:00, across the end of the month: agent-3
        pass(Duration.ofHours(11));
        holding.add("agent-3");
        tracker.claimed("agent-3", 1, 3);
        pass(Duration.ofHours(4));
        holding.remove("agent-3");
        tracker.changed(0, 3);
        // until 2027-02-02 00:06, when 2027-02-01 has been rolled up
        pass(Duration.ofHours(22).plusMinutes(6));

        assertThat(store.aggregates(UsageAggregate.Level.DAY, JAN_30, LocalDate.parse("2027-02-02")))
                .extracting(UsageAggregate::first, UsageAggregate::distinctAgents)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(JAN_30, 1),
                        org.assertj.core.groups.Tuple.tuple(JAN_31, 3),
                        org.assertj.core.groups.Tuple.tuple(LocalDate.parse("2027-02-01"), 1));
        assertThat(store.aggregates(
                        UsageAggregate.Level.MONTH, LocalDate.parse("2027-01-01"), LocalDate.parse("2027-02-01")))
                .singleElement()
                .extracting(UsageAggregate::distinctAgents)
                .isEqualTo(3);
    }

    @Test
    void theAgentsHoldingASeatWhenTheServerStarts_countOnThatDayAndTheNext() {
        tracker.countHoldersFrom(() -> Set.of("agent-1", "agent-2"));

        pass(Duration.ofHours(2).plusMinutes(5));

        assertThat(store.aggregates(UsageAggregate.Level.DAY, JAN_30, LocalDate.parse("2027-02-01")))
                .extracting(UsageAggregate::distinctAgents)
                .containsExactly(2);
        assertThat(store.distinctAgents(JAN_31, LocalDate.parse("2027-02-01"))).isEqualTo(2);
    }

    @Test
    void daysOlderThanTheirRetention_areDropped() {
        UsageRollup shortDays = new UsageRollup(
                store,
                clock,
                () -> BERLIN,
                new UsageRetention(Duration.ofDays(2), Duration.ofDays(3), Duration.ofDays(400)));
        tracker.claimed("agent-1", 1, 3);
        pass(Duration.ofHours(2));
        shortDays.run();
        assertThat(store.aggregates(UsageAggregate.Level.DAY, JAN_30, JAN_31)).hasSize(1);

        clock.advance(Duration.ofDays(4));
        shortDays.run();

        assertThat(store.aggregates(UsageAggregate.Level.DAY, JAN_30, JAN_31)).isEmpty();
        assertThat(store.aggregates(UsageAggregate.Level.MONTH, LocalDate.parse("2027-01-01"), JAN_31))
                .hasSize(1);
    }
}
