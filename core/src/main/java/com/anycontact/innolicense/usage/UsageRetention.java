package com.anycontact.innolicense.usage;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each level of the usage record is kept.
 *
 * @param minutes the per-minute record, which the heatmap and the right-size advice read (default 90 days)
 * @param days the daily aggregates (default 1,110 days: three years and a margin)
 * @param months the monthly aggregates (default 3,660 days: ten years)
 */
public record UsageRetention(Duration minutes, Duration days, Duration months) {

    /** The default minute retention. */
    public static final Duration DEFAULT_MINUTES = UsageTracker.RETENTION;
    /** The default day retention. */
    public static final Duration DEFAULT_DAYS = Duration.ofDays(1_110);
    /** The default month retention. */
    public static final Duration DEFAULT_MONTHS = Duration.ofDays(3_660);
    /** The defaults. */
    public static final UsageRetention DEFAULT = new UsageRetention(DEFAULT_MINUTES, DEFAULT_DAYS, DEFAULT_MONTHS);

    /** Requires at least a day of minutes and days and months kept at least as long as minutes. */
    public UsageRetention {
        Objects.requireNonNull(minutes, "minutes");
        Objects.requireNonNull(days, "days");
        Objects.requireNonNull(months, "months");
        if (minutes.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("the minute retention must be at least a day, was " + minutes);
        }
        if (days.compareTo(minutes) < 0 || months.compareTo(minutes) < 0) {
            throw new IllegalArgumentException("days and months must be kept at least as long as minutes");
        }
    }
}
