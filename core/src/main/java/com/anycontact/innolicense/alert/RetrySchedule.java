package com.anycontact.innolicense.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When a failed delivery is tried again: exponential backoff for a day. The n-th retry waits {@link #FIRST}
 * × 4<sup>n-1</sup> after the attempt before it (30 s, 2 min, 8 min, 32 min, 2 h 8 min, 8 h 32 min), until the
 * next one would come more than {@link #SPAN} after the first attempt: then one last attempt is made at exactly
 * a day, and after it none. Eight attempts in all; {@code docs/alerts.md} has the table.
 */
public final class RetrySchedule {

    /** The wait before the first retry. */
    public static final Duration FIRST = Duration.ofSeconds(30);

    /** How long retries go on, from the first attempt. */
    public static final Duration SPAN = Duration.ofDays(1);

    private static final int FACTOR = 4;

    private RetrySchedule() {}

    /**
     * When to try again after a failed attempt.
     *
     * @param attemptsMade how many attempts were made, the failed one included (at least 1)
     * @param firstDueAt when the first attempt was due
     * @return when the next attempt is due, or empty to give up
     */
    public static Optional<Instant> next(int attemptsMade, Instant firstDueAt) {
        if (attemptsMade < 1) {
            throw new IllegalArgumentException("attemptsMade must be at least 1, was " + attemptsMade);
        }
        List<Duration> offsets = offsets();
        return attemptsMade < offsets.size()
                ? Optional.of(firstDueAt.plus(offsets.get(attemptsMade)))
                : Optional.empty();
    }

    /** When each attempt is due, after the first one's due time: 0 for the first, {@link #SPAN} for the last. */
    public static List<Duration> offsets() {
        List<Duration> offsets = new ArrayList<>();
        Duration due = Duration.ZERO;
        Duration wait = FIRST;
        offsets.add(due);
        while (due.plus(wait).compareTo(SPAN) <= 0) {
            due = due.plus(wait);
            offsets.add(due);
            wait = wait.multipliedBy(FACTOR);
        }
        if (due.compareTo(SPAN) < 0) {
            offsets.add(SPAN);
        }
        return List.copyOf(offsets);
    }
}
