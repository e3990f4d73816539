package com.anycontact.innolicense.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final FakeClock clock = new FakeClock(Instant.parse("2026-03-02T09:00:00Z"));

    private LoginThrottle throttle(int maxEntries) {
        return new LoginThrottle(new InMemoryLoginThrottleStore(maxEntries), clock);
    }

    @Test
    void lockout_startsAtOneSecondOnTheLastFreeFailureAndDoublesUpToFifteenMinutes() {
        assertThat(LoginThrottle.lockout(5, 5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(LoginThrottle.lockout(6, 5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(LoginThrottle.lockout(14, 5)).isEqualTo(Duration.ofSeconds(512));
        assertThat(LoginThrottle.lockout(15, 5)).isEqualTo(Duration.ofMinutes(15));
        assertThat(LoginThrottle.lockout(1_000_000, 5)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void attempt_beyondTheBound_keepsLockedCountersAndForgetsTheOldestUnlockedOne() {
        // the hole: the oldest key was dropped first, so new addresses flushed a lock
        LoginThrottle throttle = throttle(4);
        for (int i = 0; i < 5; i++) {
            throttle.attempt("victim", "192.0.2.1");
        }
        assertThat(throttle.attempt("victim", "192.0.2.1")).isInstanceOf(LoginThrottle.Result.Wait.class);

        for (int i = 0; i < 50; i++) {
            throttle.attempt("u" + i, "198.51.100." + i);
        }

        assertThat(throttle.size()).isEqualTo(4);
        assertThat(throttle.attempt("victim", "192.0.2.1")).isInstanceOf(LoginThrottle.Result.Wait.class);
    }

    @Test
    void attempt_aDayAfterTheLastFailure_startsAfresh() {
        LoginThrottle throttle = throttle(10);
        for (int i = 0; i < 4; i++) {
            throttle.attempt("alice", "192.0.2.1");
        }

        clock.advance(LoginThrottle.FORGET_AFTER);
        for (int i = 0; i < 4; i++) {
            assertThat(throttle.attempt("alice", "192.0.2.1")).isInstanceOf(LoginThrottle.Result.Go.class);
        }
        assertThat(throttle.attempt("alice", "192.0.2.1")).isInstanceOf(LoginThrottle.Result.Go.class);
        assertThat(throttle.attempt("alice", "192.0.2.1"))
                .isEqualTo(new LoginThrottle.Result.Wait(Duration.ofSeconds(1)));
    }

    @Test
    void attempt_whenPairAndAddressAreLocked_waitsForTheLongerLockout() {
        LoginThrottle throttle = throttle(100);
        for (int i = 0; i < 15; i++) {
            throttle.attempt("other" + i, "192.0.2.1");
        }
        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofSeconds(3));
            throttle.attempt("alice", "192.0.2.1");
        }

        assertThat(throttle.attempt("alice", "192.0.2.1"))
                .isEqualTo(new LoginThrottle.Result.Wait(Duration.ofSeconds(2)));
        assertThat(throttle.lockedCount()).isEqualTo(2);
    }
}
