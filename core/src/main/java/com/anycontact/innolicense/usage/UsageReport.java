package com.anycontact.innolicense.usage;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * Seat use now, its peaks and its recent history, as the AC Agent Dashboard shows it.
 *
 * @param live use now, the peak and the denials of today
 * @param zone the time zone whose calendar days "today", "7 days" and "30 days" count in
 * @param peak7Days the most live leases at any moment of today and the 6 calendar days before
 * @param peak30Days the same over today and the 29 calendar days before
 * @param lastHour one point per minute, the last 60 minutes, the current one last
 * @param lastDay one point per {@link UsageTracker#DAY_STEP}, the last 24 hours, the current span last
 * @param at when the report was made
 */
public record UsageReport(
        LiveUsage live,
        ZoneId zone,
        int peak7Days,
        int peak30Days,
        List<UsagePoint> lastHour,
        List<UsagePoint> lastDay,
        Instant at) {

    /** Requires every component; copies the lists. */
    public UsageReport {
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(zone, "zone");
        lastHour = List.copyOf(lastHour);
        lastDay = List.copyOf(lastDay);
        Objects.requireNonNull(at, "at");
    }
}
