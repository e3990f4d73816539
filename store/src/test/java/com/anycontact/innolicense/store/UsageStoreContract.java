package com.anycontact.innolicense.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.usage.UsageMinute;
import com.anycontact.innolicense.usage.UsageStore;
import com.anycontact.innolicense.usage.UsageTotals;
import java.time.Duration;
import java.time.Instant;
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
}
