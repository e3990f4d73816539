package com.anycontact.innolicense.usage;

import java.time.Instant;
import java.util.Objects;

/**
 * The use of seats during one minute.
 *
 * @param start the first instant of the minute, a whole minute since the epoch
 * @param maxInUse the most live leases at any moment of the minute, the level carried in from the minute
 *     before included
 * @param capacity the largest capacity in force during the minute
 * @param claims the new leases granted during the minute (renewals not counted)
 * @param denials the claims denied during the minute because no seat was free
 */
public record UsageMinute(Instant start, int maxInUse, int capacity, int claims, int denials) {

    /** Requires a whole-minute start and counts that are not negative. */
    public UsageMinute {
        Objects.requireNonNull(start, "start");
        if (!start.equals(UsageTracker.minuteOf(start))) {
            throw new IllegalArgumentException("a usage minute starts on a whole minute, not at " + start);
        }
        if (maxInUse < 0 || capacity < 0 || claims < 0 || denials < 0) {
            throw new IllegalArgumentException("usage counts must not be negative: " + maxInUse + ", " + capacity + ", "
                    + claims + ", " + denials);
        }
    }

    /**
     * This minute together with another record of the same minute, as when a server stopped and started
     * again within it: the larger maximum and capacity, the sums of claims and denials.
     */
    public UsageMinute merge(UsageMinute other) {
        if (!start.equals(other.start)) {
            throw new IllegalArgumentException("cannot merge the minutes " + start + " and " + other.start);
        }
        return new UsageMinute(
                start,
                Math.max(maxInUse, other.maxInUse),
                Math.max(capacity, other.capacity),
                Math.addExact(claims, other.claims),
                Math.addExact(denials, other.denials));
    }
}
