package com.anycontact.innolicense.usage;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The usage reports, for any period and time zone (docs/reports.md): days and months, the hour-of-week heatmap
 * and the right-size advice.
 *
 * <p>Where the numbers come from: a day that lies within the minute retention is added up from its minutes in
 * the zone asked for, so it is exact in every zone; an older day is the day stored by {@link UsageRollup}, which
 * was added up in the license's zone of the time (its {@link UsageAggregate#zone()} says which). A month is
 * added up from its days. The heatmap and the right-size advice need minutes and cover only the part of the
 * period within the minute retention. The distinct agents of a day are those recorded for the calendar date in
 * the license's zone, whatever zone the report is in.
 */
public final class UsageReports {

    private final UsageTracker tracker;
    private final UsageStore store;
    private final InstantSource clock;

    /**
     * Creates the reports.
     *
     * @param tracker the minutes, stored and in memory (the minute in progress included)
     * @param store the stored days, months and agents
     * @param clock the trusted time
     */
    public UsageReports(UsageTracker tracker, UsageStore store, InstantSource clock) {
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The first instant the minutes still cover. */
    public Instant minutesFrom() {
        return UsageTracker.minuteOf(clock.instant()).minus(tracker.retention());
    }

    /** Today in the zone. */
    public LocalDate today(ZoneId zone) {
        return LocalDate.ofInstant(clock.instant(), zone);
    }

    /**
     * One aggregate per calendar day from {@code from} to {@code to}, both included, in the zone; days in the
     * future are left out, a day with nothing recorded is {@link UsageAggregate#empty}.
     */
    public List<UsageAggregate> daily(LocalDate from, LocalDate to, ZoneId zone) {
        LocalDate last = to.isAfter(today(zone)) ? today(zone) : to;
        List<UsageAggregate> days = new ArrayList<>();
        if (last.isBefore(from)) {
            return days;
        }
        Instant horizon = minutesFrom();
        Map<LocalDate, UsageAggregate> stored = new HashMap<>();
        for (UsageAggregate day : store.aggregates(UsageAggregate.Level.DAY, from, last.plusDays(1))) {
            stored.put(day.first(), day);
        }
        Instant minutesStart = start(from, zone).isBefore(horizon) ? horizon : start(from, zone);
        Instant end = start(last.plusDays(1), zone);
        Map<LocalDate, List<UsageMinute>> minutesByDay = new HashMap<>();
        if (minutesStart.isBefore(end)) {
            for (UsageMinute minute : tracker.minutes(minutesStart, end)) {
                minutesByDay
                        .computeIfAbsent(LocalDate.ofInstant(minute.start(), zone), day -> new ArrayList<>())
                        .add(minute);
            }
        }
        for (LocalDate day = from; !day.isAfter(last); day = day.plusDays(1)) {
            UsageAggregate kept = stored.get(day);
            boolean covered = !start(day, zone).isBefore(horizon);
            if (!covered && kept != null) {
                days.add(kept);
                continue;
            }
            List<UsageMinute> minutes = minutesByDay.getOrDefault(day, List.of());
            if (minutes.isEmpty()) {
                days.add(kept != null ? kept : UsageAggregate.empty(day, zone));
                continue;
            }
            Integer agents = kept != null && kept.distinctAgents() != null
                    ? kept.distinctAgents()
                    : store.hasAgents(day, day.plusDays(1)) ? store.distinctAgents(day, day.plusDays(1)) : null;
            days.add(UsageAggregate.ofMinutes(day, zone, minutes, agents));
        }
        return days;
    }

    /**
     * One aggregate per calendar month from {@code from} to {@code to}, both included, added up from its days
     * ({@link #daily}); the current month so far, months in the future left out. Distinct agents are the stored
     * month's, or counted from the agents still recorded, or {@code null}.
     */
    public List<UsageAggregate> monthly(YearMonth from, YearMonth to, ZoneId zone) {
        YearMonth thisMonth = YearMonth.from(today(zone));
        YearMonth last = to.isAfter(thisMonth) ? thisMonth : to;
        List<UsageAggregate> months = new ArrayList<>();
        if (last.isBefore(from)) {
            return months;
        }
        Map<LocalDate, UsageAggregate> stored = new HashMap<>();
        for (UsageAggregate month : store.aggregates(
                UsageAggregate.Level.MONTH, from.atDay(1), last.plusMonths(1).atDay(1))) {
            stored.put(month.first(), month);
        }
        List<UsageAggregate> days = daily(from.atDay(1), last.atEndOfMonth(), zone);
        for (YearMonth month = from; !month.isAfter(last); month = month.plusMonths(1)) {
            YearMonth current = month;
            List<UsageAggregate> ofMonth = days.stream()
                    .filter(day -> YearMonth.from(day.first()).equals(current))
                    .toList();
            LocalDate first = month.atDay(1);
            LocalDate next = month.plusMonths(1).atDay(1);
            UsageAggregate kept = stored.get(first);
            Integer agents = kept != null && kept.distinctAgents() != null
                    ? kept.distinctAgents()
                    : store.hasAgents(first, next) ? store.distinctAgents(first, next) : null;
            UsageAggregate added = UsageAggregate.ofDays(first, zone, ofMonth, agents);
            months.add(!added.recorded() && kept != null ? kept : added);
        }
        return months;
    }

    /**
     * The hour-of-week heatmap of the days from {@code from} to {@code to}, both included, as far as the minutes
     * reach.
     */
    public Heatmap heatmap(LocalDate from, LocalDate to, ZoneId zone) {
        List<UsageMinute> minutes = minutes(from, to, zone);
        int[][] peak = new int[7][24];
        long[][] sum = new long[7][24];
        int[][] recorded = new int[7][24];
        int[][] atCapacity = new int[7][24];
        for (UsageMinute minute : minutes) {
            ZonedDateTime at = minute.start().atZone(zone);
            int day = at.getDayOfWeek().getValue() - 1;
            int hour = at.getHour();
            peak[day][hour] = Math.max(peak[day][hour], minute.maxInUse());
            sum[day][hour] += minute.maxInUse();
            recorded[day][hour]++;
            if (minute.capacity() > 0 && minute.maxInUse() >= minute.capacity()) {
                atCapacity[day][hour]++;
            }
        }
        List<Heatmap.Cell> cells = new ArrayList<>(7 * 24);
        for (int day = 0; day < 7; day++) {
            for (int hour = 0; hour < 24; hour++) {
                Double average = recorded[day][hour] == 0 ? null : (double) sum[day][hour] / recorded[day][hour];
                cells.add(new Heatmap.Cell(
                        DayOfWeek.of(day + 1),
                        hour,
                        recorded[day][hour],
                        recorded[day][hour] == 0 ? null : peak[day][hour],
                        average,
                        atCapacity[day][hour]));
            }
        }
        return new Heatmap(zone, coveredFrom(from, zone), cells);
    }

    /**
     * The right-size advice for the days from {@code from} to {@code to}, both included, as far as the minutes
     * reach, against {@code currentSeats}.
     */
    public RightSizeAdvice rightSize(LocalDate from, LocalDate to, ZoneId zone, int currentSeats, double target) {
        return RightSizeAdvice.of(minutes(from, to, zone), zone, currentSeats, target);
    }

    /** Where the minutes of a period start: the period's start, or the minute retention's when later. */
    public Instant coveredFrom(LocalDate from, ZoneId zone) {
        Instant start = start(from, zone);
        Instant horizon = minutesFrom();
        return start.isBefore(horizon) ? horizon : start;
    }

    private List<UsageMinute> minutes(LocalDate from, LocalDate to, ZoneId zone) {
        Instant start = coveredFrom(from, zone);
        Instant end = start(to.plusDays(1), zone);
        return start.isBefore(end) ? tracker.minutes(start, end) : List.of();
    }

    private static Instant start(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toInstant();
    }

    /**
     * Seat use by hour of the week.
     *
     * @param zone the zone of the hours
     * @param coveredFrom where the minutes the heatmap is made of start
     * @param cells 168 cells, Monday 0:00 first, then by hour
     */
    public record Heatmap(ZoneId zone, Instant coveredFrom, List<Cell> cells) {

        /** Copies the cells. */
        public Heatmap {
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(coveredFrom, "coveredFrom");
            cells = List.copyOf(cells);
        }

        /**
         * One hour of the week.
         *
         * @param day the day of the week
         * @param hour the hour of the day, 0 to 23
         * @param minutesRecorded the minutes recorded in this hour of the week over the period
         * @param peakInUse the most leases live at once, or {@code null} when nothing was recorded
         * @param averageInUse the mean of the minutes' maxima, or {@code null} when nothing was recorded
         * @param minutesAtCapacity the minutes whose maximum reached their capacity
         */
        public record Cell(
                DayOfWeek day,
                int hour,
                int minutesRecorded,
                Integer peakInUse,
                Double averageInUse,
                int minutesAtCapacity) {}
    }
}
