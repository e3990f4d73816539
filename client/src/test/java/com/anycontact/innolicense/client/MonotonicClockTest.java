package com.anycontact.innolicense.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MonotonicClockTest {

    private static final Instant ANCHOR = Instant.parse("2027-01-15T09:00:00Z");

    @Test
    void instant_readsTheAnchorAtFirst_thenAdvancesWithTheMonotonicClockOnly() {
        AtomicLong nanos = new AtomicLong(-42);
        MonotonicClock clock = new MonotonicClock(ANCHOR, nanos::get);

        assertThat(clock.instant()).isEqualTo(ANCHOR);
        nanos.addAndGet(Duration.ofSeconds(20).toNanos());
        assertThat(clock.instant()).isEqualTo(ANCHOR.plusSeconds(20));
    }

    @Test
    void system_isNearTheSystemClockAndNeverGoesBack() {
        MonotonicClock clock = MonotonicClock.system();
        Instant first = clock.instant();

        assertThat(clock.instant()).isAfterOrEqualTo(first);
        assertThat(Duration.between(first, Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void aBuiltClient_judgesDeadlinesByTheMonotonicClockUnlessTold() {
        try (LicenseClient client = LicenseClient.builder()
                .server(java.net.URI.create("http://127.0.0.1:9"))
                .token("t")
                .build()) {
            assertThat(((HttpLicenseClient) client).settings().clock()).isInstanceOf(MonotonicClock.class);
        }
    }
}
