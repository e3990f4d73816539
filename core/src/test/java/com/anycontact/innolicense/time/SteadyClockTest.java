package com.anycontact.innolicense.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SteadyClockTest {

    private static final Instant ANCHOR = Instant.parse("2027-01-15T09:00:00Z");

    @Test
    void instant_readsTheAnchorAtFirst_thenAdvancesWithTheTicker() {
        AtomicLong nanos = new AtomicLong(123_456_789L);
        SteadyClock clock = SteadyClock.anchoredAt(ANCHOR, nanos::get);

        assertThat(clock.instant()).isEqualTo(ANCHOR);
        nanos.addAndGet(Duration.ofSeconds(61).toNanos() + 5);
        assertThat(clock.instant()).isEqualTo(ANCHOR.plusSeconds(61).plusNanos(5));
        assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(61).plusNanos(5));
    }

    @Test
    void instant_withATickerNearOverflow_keepsCounting() {
        AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - 10);
        SteadyClock clock = SteadyClock.anchoredAt(ANCHOR, nanos::get);

        nanos.addAndGet(20); // wraps, as System.nanoTime() may
        assertThat(clock.instant()).isEqualTo(ANCHOR.plusNanos(20));
    }

    @Test
    void anchoredAtASource_readsItBetweenTwoCloseReadingsOfTheTicker_andDatesItAtTheirMiddle() {
        // the first reading of the source is 10 ms apart from the ticker (a pause): not taken; the second 40 µs
        long[] readings = {0, 10_000_000, 20_000_000, 20_040_000};
        AtomicLong index = new AtomicLong();
        AtomicLong now = new AtomicLong();
        Ticker ticker = () -> {
            int i = (int) index.getAndIncrement();
            if (i < readings.length) {
                now.set(readings[i]);
            }
            return now.get();
        };
        AtomicLong sourceReads = new AtomicLong();
        InstantSource source = () -> ANCHOR.plusSeconds(sourceReads.incrementAndGet());

        SteadyClock clock = SteadyClock.anchoredAt(source, ticker);

        assertThat(sourceReads).as("the source read again after the wide pair").hasValue(2);
        now.set(20_020_000); // the middle of the second pair
        assertThat(clock.instant()).isEqualTo(ANCHOR.plusSeconds(2));
        now.set(20_020_000 + 1_000_000);
        assertThat(clock.instant()).isEqualTo(ANCHOR.plusSeconds(2).plusMillis(1));
    }

    @Test
    void anchoredAtASource_neverCloseEnough_takesTheClosestPair() {
        AtomicLong now = new AtomicLong();
        AtomicLong step = new AtomicLong(5_000_000);
        // every pair 5, 4, 3 ... ms wide, never within 0.1 ms before the attempts run out
        Ticker ticker = () -> now.getAndAdd(Math.max(200_000, step.getAndAdd(-100_000)));
        SteadyClock clock = SteadyClock.anchoredAt(() -> ANCHOR, ticker);

        Duration sinceAnchor = clock.elapsed();
        assertThat(sinceAnchor)
                .as("the clock is dated in the closest (last) pair, not the first")
                .isPositive();
        assertThat(sinceAnchor).isLessThan(Duration.ofMillis(5));
    }

    @Test
    void reanchor_readsTheSourceWithTheTicker() {
        AtomicLong nanos = new AtomicLong(1_000);
        SteadyClock clock = SteadyClock.anchoredAt(ANCHOR, nanos::get);
        Instant corrected = ANCHOR.plusSeconds(30);

        clock.reanchor(() -> corrected);

        assertThat(clock.instant()).isEqualTo(corrected);
        nanos.addAndGet(7);
        assertThat(clock.instant()).isEqualTo(corrected.plusNanos(7));
    }

    @Test
    void system_isMonotonic() {
        Ticker ticker = Ticker.system();
        long first = ticker.nanos();
        assertThat(ticker.nanos() - first).isNotNegative();
    }
}
