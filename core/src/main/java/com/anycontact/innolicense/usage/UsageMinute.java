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
 * @param deniedAgents the distinct agents among those denials (at most {@code denials}); a minute written in
 *     parts (a restart within it, several cluster nodes) adds the parts' counts, an upper bound
 */
public record UsageMinute(Instant start, int maxInUse, int capacity, int claims, int denials, int deniedAgents) {

    /** Requires a whole-minute start and counts that are not negative. */
    public UsageMinute {
        Objects.requireNonNull(start, "start");
        if (!start.equals(UsageTracker.minuteOf(start))) {
            throw new IllegalArgumentException("a usage minute starts on a whole minute, not at " + start);
        }
        if (maxInUse < 0 || capacity < 0 || claims < 0 || denials < 0 || deniedAgents < 0) {
            throw new IllegalArgumentException("usage counts must not be negative: " + maxInUse + ", " + capacity + ", "
                    + claims + ", " + denials + ", " + deniedAgents);
        }
        if (deniedAgents > denials) {
            throw new IllegalArgumentException(
                    "denied agents (" + deniedAgents + ") cannot exceed the denials (" + denials + ")");
        }
    }

    /** A minute whose every denial is counted as a distinct agent. */
    public UsageMinute(Instant start, int maxInUse, int capacity, int claims, int denials) {
        this(start, maxInUse, capacity, claims, denials, denials);
    }

    /**
     * The seats wanted in this minute, as the right-size advice estimates it: the most leases live at once plus
     * the distinct agents refused (docs/reports.md says where this over- or underestimates).
     */
    public int demand() {
        return maxInUse + deniedAgents;
    }

    /**
     * This minute together with another record of the same minute, as when a server stopped and started
     * again within it: the larger maximum and capacity, the sums of claims, denials and denied agents.
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
                Math.addExact(denials, other.denials),
                Math.addExact(deniedAgents, other.deniedAgents));
    }
}
