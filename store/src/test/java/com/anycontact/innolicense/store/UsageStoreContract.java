package com.anycontact.innolicense.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.usage.UsageAggregate;
import com.anycontact.innolicense.usage.UsageMinute;
import com.anycontact.innolicense.usage.UsageStore;
import com.anycontact.innolicense.usage.UsageTotals;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link UsageStore} must do; each implementation's test extends this. */
public abstract class UsageStoreContract {

    protected static final Instant T0 = Instant.parse("2027-01-15T09:00:00Z");
    private static final Instant LONG_AGO = Instant.parse("2000-01-01T00:00:00Z");

    protected UsageStore store;

    /** A new, empty store. */
    protected abstract UsageStore createStore();

    /** The same store opened again, as after a restart. */
    protected abstract UsageStore reopenStore();

    @BeforeEach
    void create() {
        store = createStore();
    }

    private static Instant minute(int n) {
        return T0.plus(Duration.ofMinutes(n));
    }

    @Test
    void minutes_areReadBackInOrderWithinTheHalfOpenRange() {
        store.save(
                List.of(
                        new UsageMinute(minute(2), 7, 50, 1, 0),
                        new UsageMinute(minute(0), 5, 50, 3, 1),
                        new UsageMinute(minute(1), 6, 50, 2, 0)),
                LONG_AGO);

        assertThat(store.minutes(minute(0), minute(2)))
                .containsExactly(new UsageMinute(minute(0), 5, 50, 3, 1), new UsageMinute(minute(1), 6, 50, 2, 0));
    }

    @Test
    void save_ofAMinuteAlreadyStored_mergesMaximaAndAddsCounts() {
        store.save(List.of(new UsageMinute(minute(0), 5, 50, 3, 1)), LONG_AGO);
        store.save(List.of(new UsageMinute(minute(0), 4, 60, 2, 2)), LONG_AGO);

        assertThat(store.minutes(minute(0), minute(1))).containsExactly(new UsageMinute(minute(0), 5, 60, 5, 3));
    }

    @Test
    void save_dropsTheMinutesBeforeTheGivenInstant() {
        store.save(List.of(new UsageMinute(minute(0), 5, 50, 0, 0), new UsageMinute(minute(1), 6, 50, 0, 0)), LONG_AGO);
        store.save(List.of(new UsageMinute(minute(2), 7, 50, 0, 0)), minute(1));

        assertThat(store.minutes(LONG_AGO, minute(10)))
                .extracting(UsageMinute::start)
                .containsExactly(minute(1), minute(2));
    }

    @Test
    void totals_takeTheLargestMaximumAndSumTheCounts() {
        store.save(
                List.of(
                        new UsageMinute(minute(0), 5, 50, 3, 1),
                        new UsageMinute(minute(1), 9, 50, 2, 4),
                        new UsageMinute(minute(2), 30, 50, 9, 9)),
                LONG_AGO);

        assertThat(store.totals(minute(0), minute(2))).isEqualTo(new UsageTotals(9, 5, 5));
    }

    @Test
    void totals_ofNoMinute_areZero() {
        assertThat(store.totals(minute(0), minute(60))).isEqualTo(UsageTotals.NONE);
    }

    @Test
    void minutes_surviveAReopen() {
        store.save(List.of(new UsageMinute(minute(0), 5, 50, 3, 1)), LONG_AGO);

        UsageStore reopened = reopenStore();

        assertThat(reopened.minutes(minute(0), minute(1))).containsExactly(new UsageMinute(minute(0), 5, 50, 3, 1));
    }

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final LocalDate DAY = LocalDate.parse("2027-01-15");

    private static UsageAggregate day(LocalDate first, int peak, Integer agents) {
        return new UsageAggregate(first, BERLIN, 1440, peak, 30, 12, 50, 200, 7, agents);
    }

    @Test
    void deniedAgents_areStoredAndAddedUpWhenAMinuteIsMerged() {
        store.save(List.of(new UsageMinute(minute(0), 50, 50, 0, 5, 2)), LONG_AGO);
        store.save(List.of(new UsageMinute(minute(0), 50, 50, 0, 3, 3)), LONG_AGO);

        assertThat(store.minutes(minute(0), minute(1))).containsExactly(new UsageMinute(minute(0), 50, 50, 0, 8, 5));
    }

    @Test
    void aggregates_ofEachLevel_areReadBackInOrderAndReplacedBySameDay() {
        store.save(List.of(), LONG_AGO);
        store.saveAggregates(
                UsageAggregate.Level.DAY,
                List.of(day(DAY.plusDays(1), 9, 4), day(DAY, 7, null)),
                LocalDate.parse("2000-01-01"));
        store.saveAggregates(UsageAggregate.Level.DAY, List.of(day(DAY, 8, 3)), LocalDate.parse("2000-01-01"));
        store.saveAggregates(
                UsageAggregate.Level.MONTH, List.of(day(DAY.withDayOfMonth(1), 11, 20)), LocalDate.parse("2000-01-01"));

        assertThat(store.aggregates(UsageAggregate.Level.DAY, DAY, DAY.plusDays(5)))
                .containsExactly(day(DAY, 8, 3), day(DAY.plusDays(1), 9, 4));
        assertThat(store.aggregates(UsageAggregate.Level.MONTH, DAY.withDayOfMonth(1), DAY.plusMonths(1)))
                .containsExactly(day(DAY.withDayOfMonth(1), 11, 20));
        assertThat(store.aggregates(UsageAggregate.Level.DAY, DAY.plusDays(1), DAY.plusDays(5)))
                .extracting(UsageAggregate::first)
                .containsExactly(DAY.plusDays(1));
    }

    @Test
    void aggregates_unknownDistinctAgents_staysUnknown() {
        store.saveAggregates(UsageAggregate.Level.DAY, List.of(day(DAY, 8, null)), LocalDate.parse("2000-01-01"));

        assertThat(store.aggregates(UsageAggregate.Level.DAY, DAY, DAY.plusDays(1))
                        .get(0)
                        .distinctAgents())
                .isNull();
    }

    @Test
    void saveAggregates_dropsThoseBeforeTheGivenDay_ofThatLevelOnly() {
        store.saveAggregates(
                UsageAggregate.Level.DAY, List.of(day(DAY, 1, 1), day(DAY.plusDays(1), 2, 2)), DAY.minusDays(9));
        store.saveAggregates(UsageAggregate.Level.MONTH, List.of(day(DAY.withDayOfMonth(1), 3, 3)), DAY.minusYears(1));
        store.saveAggregates(UsageAggregate.Level.DAY, List.of(), DAY.plusDays(1));

        assertThat(store.aggregates(UsageAggregate.Level.DAY, DAY.minusYears(1), DAY.plusYears(1)))
                .extracting(UsageAggregate::first)
                .containsExactly(DAY.plusDays(1));
        assertThat(store.aggregates(UsageAggregate.Level.MONTH, DAY.minusYears(1), DAY.plusYears(1)))
                .hasSize(1);
    }

    @Test
    void agents_areCountedOncePerRange_andDroppedByDay() {
        store.saveAgents(DAY, List.of("agent-1", "agent-2"));
        store.saveAgents(DAY, List.of("agent-2", "agent-3"));
        store.saveAgents(DAY.plusDays(1), List.of("agent-1", "agent-4"));

        assertThat(store.distinctAgents(DAY, DAY.plusDays(1))).isEqualTo(3);
        assertThat(store.distinctAgents(DAY, DAY.plusDays(2))).isEqualTo(4);
        assertThat(store.hasAgents(DAY.plusDays(2), DAY.plusDays(9))).isFalse();
        assertThat(store.hasAgents(DAY, DAY.plusDays(1))).isTrue();

        store.dropAgents(DAY.plusDays(1));

        assertThat(store.hasAgents(DAY, DAY.plusDays(1))).isFalse();
        assertThat(store.distinctAgents(DAY, DAY.plusDays(2))).isEqualTo(2);
    }

    @Test
    void aggregatesAndAgents_surviveAReopen() {
        store.saveAggregates(UsageAggregate.Level.DAY, List.of(day(DAY, 8, 3)), LocalDate.parse("2000-01-01"));
        store.saveAgents(DAY, List.of("agent-1"));

        UsageStore reopened = reopenStore();

        assertThat(reopened.aggregates(UsageAggregate.Level.DAY, DAY, DAY.plusDays(1)))
                .containsExactly(day(DAY, 8, 3));
        assertThat(reopened.distinctAgents(DAY, DAY.plusDays(1))).isEqualTo(1);
    }
}
