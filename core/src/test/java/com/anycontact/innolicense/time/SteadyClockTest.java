package com.anycontact.innolicense.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
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
    void system_isMonotonic() {
        Ticker ticker = Ticker.system();
        long first = ticker.nanos();
        assertThat(ticker.nanos() - first).isNotNegative();
    }
}
