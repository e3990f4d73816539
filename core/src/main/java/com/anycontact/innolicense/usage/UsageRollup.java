package com.anycontact.innolicense.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Rolls the per-minute record up into days and months that outlive it: a calendar day (in the license's zone
 * at the time) is added up from its minutes once it has ended and {@link #SETTLE} has passed, so that every
 * node and a restarted server have written their part; a month is added up from its days once it has ended.
 * The distinct agents of a day and of a month are counted from the agents recorded per day, which are then
 * dropped: no list of agents is kept beyond the month before the current one.
 *
 * <p>{@link #run()} is cheap when there is nothing to do (it compares the clock with the next day's end), so
 * the server calls it every second; the first run, and the first after a change of zone, look for every day
 * within the minute retention that has minutes but no stored day, so a server that was stopped at midnight
 * catches up; a month is rolled up before its oldest days are dropped. Days and months older than their
 * retention are dropped after the roll-up. Rolling up the same day twice (two nodes) stores the same row
 * twice.
 */
public final class UsageRollup {

    /** How long after a day's end it is rolled up. */
    public static final Duration SETTLE = Duration.ofMinutes(5);

    private final UsageStore store;
    private final InstantSource clock;
    private final Supplier<ZoneId> zone;
    private final UsageRetention retention;
    private Instant nextRun = Instant.MIN;
    private ZoneId lastZone;

    /**
     * Creates a roll-up.
     *
     * @param store where minutes, days and months are kept
     * @param clock the trusted time
     * @param zone the license's zone, whose calendar days are rolled up
     * @param retention how long each level is kept
     */
    public UsageRollup(UsageStore store, InstantSource clock, Supplier<ZoneId> zone, UsageRetention retention) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    /** Rolls up every ended day and month not stored yet, when one has ended since the last run. */
    public synchronized void run() {
        Instant now = clock.instant();
        ZoneId dayZone = Objects.requireNonNull(zone.get(), "zone");
        if (now.isBefore(nextRun) && dayZone.equals(lastZone)) {
            return;
        }
        LocalDate today = LocalDate.ofInstant(now.minus(SETTLE), dayZone);
        rollDays(now, dayZone, today);
        rollMonths(now, dayZone, today);
        store.saveAggregates(
                UsageAggregate.Level.DAY, List.of(), LocalDate.ofInstant(now.minus(retention.days()), dayZone));
        store.saveAggregates(
                UsageAggregate.Level.MONTH,
                List.of(),
                YearMonth.from(LocalDate.ofInstant(now.minus(retention.months()), dayZone))
                        .atDay(1));
        store.dropAgents(YearMonth.from(today).minusMonths(1).atDay(1));
        lastZone = dayZone;
        nextRun = today.plusDays(1).atStartOfDay(dayZone).toInstant().plus(SETTLE);
    }

    private void rollDays(Instant now, ZoneId dayZone, LocalDate today) {
        LocalDate first = LocalDate.ofInstant(now.minus(retention.minutes()), dayZone);
        Set<LocalDate> stored = new HashSet<>();
        for (UsageAggregate day : store.aggregates(UsageAggregate.Level.DAY, first, today)) {
            stored.add(day.first());
        }
        List<UsageAggregate> rolled = new ArrayList<>();
        for (LocalDate day = first; day.isBefore(today); day = day.plusDays(1)) {
            if (stored.contains(day)) {
                continue;
            }
            Instant start = day.atStartOfDay(dayZone).toInstant();
            Instant end = day.plusDays(1).atStartOfDay(dayZone).toInstant();
            List<UsageMinute> minutes = store.minutes(start, end);
            if (minutes.isEmpty()) {
                continue;
            }
            Integer agents = store.hasAgents(day, day.plusDays(1)) ? store.distinctAgents(day, day.plusDays(1)) : null;
            rolled.add(UsageAggregate.ofMinutes(day, dayZone, minutes, agents));
        }
        store.saveAggregates(UsageAggregate.Level.DAY, rolled, LocalDate.EPOCH);
    }

    private void rollMonths(Instant now, ZoneId dayZone, LocalDate today) {
        YearMonth thisMonth = YearMonth.from(today);
        YearMonth firstMonth = YearMonth.from(LocalDate.ofInstant(now.minus(retention.days()), dayZone))
                .minusMonths(1);
        Set<LocalDate> stored = new HashSet<>();
        for (UsageAggregate month :
                store.aggregates(UsageAggregate.Level.MONTH, firstMonth.atDay(1), thisMonth.atDay(1))) {
            stored.add(month.first());
        }
        List<UsageAggregate> rolled = new ArrayList<>();
        for (YearMonth month = firstMonth; month.isBefore(thisMonth); month = month.plusMonths(1)) {
            LocalDate start = month.atDay(1);
            LocalDate end = month.plusMonths(1).atDay(1);
            if (stored.contains(start)) {
                continue;
            }
            List<UsageAggregate> days = store.aggregates(UsageAggregate.Level.DAY, start, end);
            if (days.isEmpty()) {
                continue;
            }
            Integer agents = store.hasAgents(start, end) ? store.distinctAgents(start, end) : null;
            rolled.add(UsageAggregate.ofDays(start, dayZone, days, agents));
        }
        store.saveAggregates(UsageAggregate.Level.MONTH, rolled, LocalDate.EPOCH);
    }
}
