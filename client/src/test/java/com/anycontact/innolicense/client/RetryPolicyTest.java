package com.anycontact.innolicense.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Duration RENEW_AFTER = Duration.ofSeconds(20);
    private static final Duration PLENTY = Duration.ofMinutes(10);

    @Test
    void renewalDelay_spreadsTheServersIntervalByTenPercent() {
        assertThat(RetryPolicy.renewalDelay(RENEW_AFTER, PLENTY, 0.0)).isEqualTo(Duration.ofSeconds(18));
        assertThat(RetryPolicy.renewalDelay(RENEW_AFTER, PLENTY, 0.5)).isEqualTo(Duration.ofSeconds(20));
        assertThat(RetryPolicy.renewalDelay(RENEW_AFTER, PLENTY, 0.999999)).isLessThan(Duration.ofSeconds(22));
        assertThat(RetryPolicy.renewalDelay(RENEW_AFTER, PLENTY, 0.999999)).isGreaterThan(Duration.ofMillis(21_999));
    }

    @Test
    void renewalDelay_isNeverLaterThanHalfTheTimeLeft() {
        assertThat(RetryPolicy.renewalDelay(RENEW_AFTER, Duration.ofSeconds(30), 0.9))
                .isEqualTo(Duration.ofSeconds(15));
        assertThat(RetryPolicy.renewalDelay(RENEW_AFTER, Duration.ofSeconds(-1), 0.5))
                .isZero();
    }

    @Test
    void retryDelay_startsAtATenthOfTheIntervalAndDoublesWithEqualJitter() {
        assertThat(RetryPolicy.retryDelay(1, Duration.ofSeconds(5), PLENTY, null, 0.0))
                .isEqualTo(Duration.ofMillis(250));
        assertThat(RetryPolicy.retryDelay(1, Duration.ofSeconds(5), PLENTY, null, 0.999999))
                .isBetween(Duration.ofMillis(499), Duration.ofMillis(500));
        assertThat(RetryPolicy.retryDelay(2, Duration.ofSeconds(5), PLENTY, null, 0.0))
                .isEqualTo(Duration.ofMillis(500));
        assertThat(RetryPolicy.retryDelay(3, Duration.ofSeconds(5), PLENTY, null, 0.0))
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retryDelay_firstTryIsBetweenTenMillisecondsAndOneSecond() {
        assertThat(RetryPolicy.retryDelay(1, Duration.ofMinutes(5), PLENTY, null, 0.999999))
                .isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
        assertThat(RetryPolicy.retryDelay(1, Duration.ofMillis(20), PLENTY, null, 0.0))
                .isEqualTo(RetryPolicy.MIN_RETRY);
        assertThat(RetryPolicy.retryDelay(1, Duration.ofMillis(20), PLENTY, Duration.ZERO, 0.0))
                .isEqualTo(RetryPolicy.MIN_RETRY);
    }

    @Test
    void retryDelay_growsNoFurtherThanTheRenewInterval() {
        assertThat(RetryPolicy.retryDelay(1_000, RENEW_AFTER, PLENTY, null, 0.999999))
                .isBetween(Duration.ofMillis(19_999), RENEW_AFTER);
        assertThat(RetryPolicy.retryDelay(Integer.MAX_VALUE, RENEW_AFTER, PLENTY, null, 0.0))
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void retryDelay_waitsAtLeastTheServersRetryAfter() {
        assertThat(RetryPolicy.retryDelay(1, RENEW_AFTER, PLENTY, Duration.ofSeconds(7), 0.0))
                .isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void retryDelay_isNeverLaterThanHalfTheTimeLeft() {
        assertThat(RetryPolicy.retryDelay(5, RENEW_AFTER, Duration.ofSeconds(6), Duration.ofSeconds(30), 0.5))
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void retryDelay_withTooLittleTimeLeftForAnotherTry_waitsOutTheLease() {
        assertThat(RetryPolicy.retryDelay(5, RENEW_AFTER, Duration.ofMillis(15), null, 0.5))
                .isEqualTo(Duration.ofMillis(15));
        assertThat(RetryPolicy.retryDelay(5, RENEW_AFTER, Duration.ofMillis(-3), null, 0.5))
                .isZero();
    }
}
