package com.anycontact.innolicense.usage;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * The seat use of one calendar day or month in a time zone, added up from its minutes (docs/reports.md).
 *
 * @param first the day, or the first day of the month
 * @param zone the time zone whose calendar the day or month is in
 * @param minutesRecorded the minutes with a record (the server ran); 0 when nothing is known
 * @param peakInUse the most leases live at once
 * @param minutesAtPeak the minutes whose maximum reached {@code peakInUse} (the time at peak)
 * @param minutesAtCapacity the minutes whose maximum reached their capacity (every seat taken)
 * @param capacity the largest capacity in force
 * @param claims the new leases granted
 * @param denials the claims denied because no seat was free
 * @param distinctAgents the distinct agents granted a seat, or {@code null} when not known
 */
public record UsageAggregate(
        LocalDate first,
        ZoneId zone,
        int minutesRecorded,
        int peakInUse,
        int minutesAtPeak,
        int minutesAtCapacity,
        int capacity,
        long claims,
        long denials,
        Integer distinctAgents) {

    /** Each level of aggregate, with how long it is kept by default. */
    public enum Level {
        /** A calendar day. */
        DAY,
        /** A calendar month. */
        MONTH
    }

    /** Requires the day and zone and counts that are not negative. */
    public UsageAggregate {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(zone, "zone");
        if (minutesRecorded < 0
                || peakInUse < 0
                || minutesAtPeak < 0
                || minutesAtCapacity < 0
                || capacity < 0
                || claims < 0
                || denials < 0
                || (distinctAgents != null && distinctAgents < 0)) {
            throw new IllegalArgumentException("usage aggregate counts must not be negative");
        }
    }

    /** Nothing recorded on that day or month. */
    public static UsageAggregate empty(LocalDate first, ZoneId zone) {
        return new UsageAggregate(first, zone, 0, 0, 0, 0, 0, 0, 0, null);
    }

    /**
     * The aggregate of the given minutes: the peak is the largest maximum, the time at peak the minutes that
     * reached it, the minutes at capacity those whose maximum reached a capacity above 0, and the sums.
     */
    public static UsageAggregate ofMinutes(
            LocalDate first, ZoneId zone, List<UsageMinute> minutes, Integer distinctAgents) {
        int peak = 0;
        int atPeak = 0;
        int atCapacity = 0;
        int capacity = 0;
        long claims = 0;
        long denials = 0;
        for (UsageMinute minute : minutes) {
            if (minute.maxInUse() > peak) {
                peak = minute.maxInUse();
                atPeak = 0;
            }
            if (minute.maxInUse() == peak) {
                atPeak++;
            }
            if (minute.capacity() > 0 && minute.maxInUse() >= minute.capacity()) {
                atCapacity++;
            }
            capacity = Math.max(capacity, minute.capacity());
            claims += minute.claims();
            denials += minute.denials();
        }
        return new UsageAggregate(
                first, zone, minutes.size(), peak, atPeak, atCapacity, capacity, claims, denials, distinctAgents);
    }

    /**
     * The aggregate of several days (a month): the largest peak, the time at peak summed over the days that
     * reached it, the other counts summed. Distinct agents do not add up across days and are given.
     */
    public static UsageAggregate ofDays(
            LocalDate first, ZoneId zone, List<UsageAggregate> days, Integer distinctAgents) {
        int peak = 0;
        for (UsageAggregate day : days) {
            peak = Math.max(peak, day.peakInUse);
        }
        int minutes = 0;
        int atPeak = 0;
        int atCapacity = 0;
        int capacity = 0;
        long claims = 0;
        long denials = 0;
        for (UsageAggregate day : days) {
            minutes += day.minutesRecorded;
            if (day.minutesRecorded > 0 && day.peakInUse == peak) {
                atPeak += day.minutesAtPeak;
            }
            atCapacity += day.minutesAtCapacity;
            capacity = Math.max(capacity, day.capacity);
            claims += day.claims;
            denials += day.denials;
        }
        return new UsageAggregate(
                first, zone, minutes, peak, atPeak, atCapacity, capacity, claims, denials, distinctAgents);
    }

    /** Whether anything was recorded. */
    public boolean recorded() {
        return minutesRecorded > 0;
    }

    /** This aggregate with another count of distinct agents. */
    public UsageAggregate withDistinctAgents(Integer agents) {
        return new UsageAggregate(
                first,
                zone,
                minutesRecorded,
                peakInUse,
                minutesAtPeak,
                minutesAtCapacity,
                capacity,
                claims,
                denials,
                agents);
    }
}
