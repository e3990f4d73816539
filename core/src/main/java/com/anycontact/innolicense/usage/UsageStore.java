package com.anycontact.innolicense.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;

/**
 * Where the minutes of seat use are kept, with the days and months rolled up from them and the agents of the
 * days not yet counted. Time is never read by the store: every instant is a parameter. Implementations are
 * safe for use by many threads at once.
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

    /**
     * Stores days or months, replacing those stored for the same first day, and drops those before a day, in
     * one transaction.
     *
     * @param level days or months
     * @param aggregates what to store
     * @param dropBefore aggregates whose first day is before this are removed
     */
    void saveAggregates(UsageAggregate.Level level, List<UsageAggregate> aggregates, LocalDate dropBefore);

    /** The stored days or months whose first day is at or after {@code from} and before {@code to}, earliest first. */
    List<UsageAggregate> aggregates(UsageAggregate.Level level, LocalDate from, LocalDate to);

    /** Records that these agents held a seat on the day; an agent already recorded for it is kept once. */
    void saveAgents(LocalDate day, Collection<String> agents);

    /** How many distinct agents were recorded on the days at or after {@code from} and before {@code to}. */
    int distinctAgents(LocalDate from, LocalDate to);

    /** Whether any agent is recorded on the days at or after {@code from} and before {@code to}. */
    boolean hasAgents(LocalDate from, LocalDate to);

    /** Drops the agents recorded on days before {@code day}. */
    void dropAgents(LocalDate day);
}
