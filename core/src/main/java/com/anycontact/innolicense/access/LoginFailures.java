package com.anycontact.innolicense.access;

import java.time.Instant;
import java.util.Objects;

/**
 * One counter of the {@link LoginThrottle}: consecutive failures for one username from one address, or from one
 * address for any usernames.
 *
 * @param count how many consecutive failures, positive
 * @param lockedUntil until when attempts are refused; at or before {@code lastFailure} when not locked
 * @param lastFailure when the last failure was counted
 */
public record LoginFailures(int count, Instant lockedUntil, Instant lastFailure) {

    /** Requires every component and a positive count. */
    public LoginFailures {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive, got " + count);
        }
        Objects.requireNonNull(lockedUntil, "lockedUntil");
        Objects.requireNonNull(lastFailure, "lastFailure");
    }

    /** Whether attempts are refused at {@code now}. */
    public boolean lockedAt(Instant now) {
        return lockedUntil.isAfter(now);
    }
}
