package com.anycontact.innolicense.usage;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How many seats a period's seat use needed, computed from its minutes (docs/reports.md, "Right-size advice").
 *
 * <p>The demand of a minute is the most leases live at once plus the distinct agents refused in it
 * ({@link UsageMinute#demand()}). With {@code n} seats, a minute whose demand exceeds {@code n} would have had
 * at least one denial, and {@code demand - n} agents would have been refused in it: its refused agent-minutes.
 * A working minute is a minute with demand above 0. The service level of {@code n} seats is the share of working
 * minutes that would have had no denial; the advice is the smallest {@code n} whose service level reaches the
 * target. Minutes without a record (the server was not running) count for nothing.
 *
 * @param zone the zone whose calendar days are counted in {@link Row#daysWithDenial()}
 * @param minutesRecorded the minutes with a record
 * @param workingMinutes the minutes with demand above 0
 * @param peakDemand the largest demand of a minute
 * @param currentSeats the capacity the advice is compared with
 * @param target the service level asked for, a share from 0 (exclusive) to 1
 * @param recommendedSeats the smallest seat count whose service level reaches {@code target}
 * @param rows one row per seat count, from a few below the smaller of current and recommended to a few above the
 *     larger, ascending
 */
public record RightSizeAdvice(
        ZoneId zone,
        long minutesRecorded,
        long workingMinutes,
        int peakDemand,
        int currentSeats,
        double target,
        int recommendedSeats,
        List<Row> rows) {

    /** How many seat counts below and above the compared ones are listed. */
    public static final int MARGIN = 5;

    /**
     * What one seat count would have meant.
     *
     * @param seats the seat count
     * @param minutesWithDenial the minutes whose demand exceeded it
     * @param refusedAgentMinutes the sum over the minutes of the demand above it
     * @param daysWithDenial the calendar days with at least one such minute
     * @param serviceLevel the share of working minutes without a denial, 1 when there is no working minute
     */
    public record Row(
            int seats, long minutesWithDenial, long refusedAgentMinutes, int daysWithDenial, double serviceLevel) {}

    /** Copies the rows. */
    public RightSizeAdvice {
        Objects.requireNonNull(zone, "zone");
        rows = List.copyOf(rows);
    }

    /**
     * The advice for the given minutes.
     *
     * @param minutes the per-minute record of the period, any order, each minute once
     * @param zone the zone whose calendar days are counted
     * @param currentSeats the capacity now, 0 or more
     * @param target the service level, above 0 and at most 1 (e.g. 0.999)
     */
    public static RightSizeAdvice of(List<UsageMinute> minutes, ZoneId zone, int currentSeats, double target) {
        Objects.requireNonNull(zone, "zone");
        if (currentSeats < 0) {
            throw new IllegalArgumentException("current seats must not be negative, was " + currentSeats);
        }
        if (!(target > 0 && target <= 1)) {
            throw new IllegalArgumentException("the service level must be above 0 and at most 1, was " + target);
        }
        long working = 0;
        int peak = 0;
        Map<LocalDate, List<Integer>> demandsByDay = new TreeMap<>();
        List<Integer> demands = new ArrayList<>(minutes.size());
        for (UsageMinute minute : minutes) {
            int demand = minute.demand();
            demands.add(demand);
            peak = Math.max(peak, demand);
            if (demand > 0) {
                working++;
                demandsByDay
                        .computeIfAbsent(LocalDate.ofInstant(minute.start(), zone), day -> new ArrayList<>())
                        .add(demand);
            }
        }
        List<Integer> dayPeaks = demandsByDay.values().stream()
                .map(day -> day.stream().mapToInt(Integer::intValue).max().orElse(0))
                .toList();
        int[] sorted = demands.stream().mapToInt(Integer::intValue).sorted().toArray();
        long[] sumFrom = new long[sorted.length + 1];
        for (int i = sorted.length - 1; i >= 0; i--) {
            sumFrom[i] = sumFrom[i + 1] + sorted[i];
        }
        long targetPpm = Math.round(target * 1_000_000);
        int recommended = 0;
        while (!reaches(working, sorted.length - firstAbove(sorted, recommended), targetPpm)) {
            recommended++;
        }
        int low = Math.max(0, Math.min(currentSeats, recommended) - MARGIN);
        int high = Math.max(currentSeats, recommended) + MARGIN;
        List<Row> rows = new ArrayList<>();
        for (int seats = low; seats <= high; seats++) {
            int first = firstAbove(sorted, seats);
            long above = sorted.length - first;
            long refused = sumFrom[first] - above * seats;
            int finalSeats = seats;
            int days = (int) dayPeaks.stream().filter(p -> p > finalSeats).count();
            rows.add(new Row(seats, above, refused, days, serviceLevel(working, above)));
        }
        return new RightSizeAdvice(zone, minutes.size(), working, peak, currentSeats, target, recommended, rows);
    }

    /** The row of a seat count, if listed. */
    public java.util.Optional<Row> row(int seats) {
        return rows.stream().filter(row -> row.seats() == seats).findFirst();
    }

    /**
     * The advice in one sentence, e.g. "With 42 seats instead of 50 you would have been full for 37 minutes in the
     * last 90 days, on 6 days." {@code period} says when, e.g. "in the last 90 days" or "from 2027-01-01 to
     * 2027-01-31".
     */
    public String summary(String period) {
        if (workingMinutes == 0) {
            return "No seat was in use or wanted " + period + ": there is nothing to size by.";
        }
        Row at = row(recommendedSeats).orElseThrow();
        String seats = recommendedSeats == currentSeats
                ? "With the " + currentSeats + " seats you have,"
                : "With " + recommendedSeats + " seats instead of " + currentSeats;
        String outcome = at.minutesWithDenial() == 0
                ? " no agent would have been refused " + period
                : " you would have been full for " + count(at.minutesWithDenial(), "minute") + " " + period
                        + ", on " + count(at.daysWithDenial(), "day") + " ("
                        + count(at.refusedAgentMinutes(), "agent-minute")
                        + " refused)";
        return seats + outcome + "; " + recommendedSeats + " is the fewest seats with no denial in " + percent(target)
                + " of working minutes (peak demand " + peakDemand + ").";
    }

    /** The index of the first demand above {@code seats} in ascending demands, or their length. */
    private static int firstAbove(int[] sorted, int seats) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] > seats) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    private static double serviceLevel(long working, long withDenial) {
        return working == 0 ? 1.0 : (double) (working - withDenial) / working;
    }

    /** Whether the level is reached, in whole parts per million so that 99.9 % is not lost to rounding. */
    private static boolean reaches(long working, long withDenial, long targetPpm) {
        return working == 0 || (working - withDenial) * 1_000_000L >= targetPpm * working;
    }

    private static String percent(double share) {
        String text =
                java.math.BigDecimal.valueOf(share * 100).stripTrailingZeros().toPlainString();
        return text + " %";
    }

    private static String count(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
