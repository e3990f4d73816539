package com.anycontact.innolicense.usage;

import java.time.Instant;
import java.util.List;

/**
 * Where the minutes of seat use are kept. Time is never read by the store: every instant is a parameter.
 * Implementations are safe for use by many threads at once.
 */
public interface UsageStore {

    /**
     * Adds minutes and drops old ones, in one transaction. A minute already stored with the same start is
     * merged with the new one ({@link UsageMinute#merge}), never replaced, so that a minute written by a server
     * that stopped within it and again by the one that started next counts both.
     *
     * @param minutes the minutes to add, any order
     * @param dropBefore minutes that start before this instant are removed
     */
    void save(List<UsageMinute> minutes, Instant dropBefore);

    /** The stored minutes that start at or after {@code from} and before {@code to}, earliest first. */
    List<UsageMinute> minutes(Instant from, Instant to);

    /** The totals of the stored minutes that start at or after {@code from} and before {@code to}. */
    UsageTotals totals(Instant from, Instant to);
}
