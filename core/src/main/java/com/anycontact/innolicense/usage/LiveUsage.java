package com.anycontact.innolicense.usage;

/**
 * Seat use right now, cheap to ask: kept in memory by {@link UsageTracker}.
 *
 * @param inUse the live leases, as last reported
 * @param capacity the seats usable, as last reported
 * @param peakToday the most live leases at any moment of today (the calendar day in the license's time zone)
 * @param denialsToday the claims denied today
 */
public record LiveUsage(int inUse, int capacity, int peakToday, long denialsToday) {}
