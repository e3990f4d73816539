package com.anycontact.innolicense.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void lockout_startsAtOneSecondOnTheFifthFailureAndDoublesUpToFifteenMinutes() {
        assertThat(LoginThrottle.lockout(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(LoginThrottle.lockout(6)).isEqualTo(Duration.ofSeconds(2));
        assertThat(LoginThrottle.lockout(14)).isEqualTo(Duration.ofSeconds(512));
        assertThat(LoginThrottle.lockout(15)).isEqualTo(Duration.ofMinutes(15));
        assertThat(LoginThrottle.lockout(1_000_000)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void attempt_beyondTheBound_forgetsTheKeyWithTheOldestFailure() {
        LoginThrottle throttle = new LoginThrottle(3);
        for (int i = 0; i < 5; i++) {
            throttle.attempt(List.of("victim"), T0);
        }
        assertThat(throttle.attempt(List.of("victim"), T0)).isPresent();

        throttle.attempt(List.of("a"), T0);
        throttle.attempt(List.of("b"), T0);
        throttle.attempt(List.of("c"), T0);

        assertThat(throttle.size()).isEqualTo(3);
        assertThat(throttle.attempt(List.of("victim"), T0)).isEmpty();
    }

    @Test
    void attempt_aDayAfterTheLastFailure_startsAfresh() {
        LoginThrottle throttle = new LoginThrottle(10);
        for (int i = 0; i < 4; i++) {
            throttle.attempt(List.of("alice"), T0);
        }

        Instant nextDay = T0.plus(LoginThrottle.FORGET_AFTER);
        for (int i = 0; i < 4; i++) {
            assertThat(throttle.attempt(List.of("alice"), nextDay)).isEmpty();
        }
        assertThat(throttle.attempt(List.of("alice"), nextDay)).isEmpty();
        assertThat(throttle.attempt(List.of("alice"), nextDay)).contains(Duration.ofSeconds(1));
    }

    @Test
    void attempt_whenSeveralKeysAreLocked_waitsForTheLongestLockout() {
        LoginThrottle throttle = new LoginThrottle(10);
        for (int i = 0; i < 6; i++) {
            throttle.attempt(List.of("long"), T0.plusSeconds(i));
        }
        for (int i = 0; i < 5; i++) {
            throttle.attempt(List.of("short"), T0.plusSeconds(5));
        }

        assertThat(throttle.attempt(List.of("short", "long"), T0.plusSeconds(5)))
                .contains(Duration.ofSeconds(2));
    }
}
