package com.anycontact.innolicense.client;

import java.time.Duration;

/**
 * When to renew next: pure functions of the server's hints, the time a lease has left and a random number,
 * so that the policy is tested without clocks.
 *
 * <ul>
 *   <li>After a successful renewal: at the server's renew interval, spread by ±10% so that leases claimed
 *       together do not renew together, and never later than halfway through the time left.
 *   <li>After a transient failure: exponential backoff with equal jitter, starting at a tenth of the renew
 *       interval (between 10 ms and 1 s) and doubling up to the renew interval, never under 10 ms, at least
 *       any {@code Retry-After} the server sent, and never later than halfway through the time left; once
 *       that half is under 10 ms, no further try: the next look finds the time up.
 * </ul>
 */
final class RetryPolicy {

    /** The shortest wait between tries; below it the lease is let run out. */
    static final Duration MIN_RETRY = Duration.ofMillis(10);

    private static final Duration MAX_FIRST_RETRY = Duration.ofSeconds(1);
    private static final int MAX_DOUBLINGS = 30;

    private RetryPolicy() {}

    /**
     * The wait before the next renewal after a success.
     *
     * @param random a number in [0, 1)
     */
    static Duration renewalDelay(Duration renewAfter, Duration remaining, double random) {
        Duration jittered = scale(renewAfter, 0.9 + 0.2 * random);
        return min(jittered, positiveHalf(remaining));
    }

    /**
     * The wait before the next try after {@code failures} failed tries in a row.
     *
     * @param failures at least 1
     * @param retryAfter the server's {@code Retry-After}, or {@code null}
     * @param random a number in [0, 1)
     */
    static Duration retryDelay(
            int failures, Duration renewAfter, Duration remaining, Duration retryAfter, double random) {
        Duration first = max(MIN_RETRY, min(MAX_FIRST_RETRY, renewAfter.dividedBy(10)));
        Duration ceiling = max(first, renewAfter);
        int doublings = Math.min(Math.max(failures, 1) - 1, MAX_DOUBLINGS);
        Duration base = min(ceiling, first.multipliedBy(1L << doublings));
        Duration delay = max(MIN_RETRY, scale(base, 0.5 + 0.5 * random));
        if (retryAfter != null) {
            delay = max(delay, retryAfter);
        }
        Duration half = positiveHalf(remaining);
        if (half.compareTo(MIN_RETRY) < 0) {
            return remaining.isNegative() ? Duration.ZERO : remaining;
        }
        return min(delay, half);
    }

    private static Duration positiveHalf(Duration remaining) {
        return remaining.isNegative() ? Duration.ZERO : remaining.dividedBy(2);
    }

    private static Duration scale(Duration duration, double factor) {
        return Duration.ofNanos((long) (duration.toNanos() * factor));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
