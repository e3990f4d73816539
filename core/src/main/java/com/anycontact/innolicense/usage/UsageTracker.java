package com.anycontact.innolicense.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Tracks how many seats are in use, exactly, minute by minute: the server reports every change of the live
 * leases with the count right after it ({@link #claimed}, {@link #changed}, {@link #denied}), and the tracker
 * keeps, per minute, the most leases live at any moment, the capacity, the claims and the denials. Nothing is
 * sampled: the maximum of a minute is the largest count reported in it, or the level carried in from the
 * minute before.
 *
 * <p>Writes: a minute is written to the {@link UsageStore} once, by the first {@link #flush()} after it ended;
 * the server flushes every second, so there is one write per minute however many claims there are, and a
 * row for every minute the server ran. {@link #close()} writes the minute in progress (holding both locks: it
 * runs at shutdown, when no claim should wait on it); the store merges it with the rest of that minute
 * written after a restart. Minutes older than the retention ({@link #RETENTION} by default) are dropped in
 * the same write.
 *
 * <p>Days: "today" is the calendar day in the zone the {@code zone} supplier gives (the license's), read at
 * every flush; the peak and the denials of today are kept in memory and start again at midnight, and are
 * recounted from the store when the zone changes. The distinct agents of a day are those granted a seat on it
 * and those holding one at its first flush ({@link #countHoldersFrom}), so that a login across midnight counts
 * on both days.
 *
 * <p>Concurrency: the reports take a short lock and touch memory only, so a claim never waits for the
 * database. {@link #flush()}, {@link #close()} and {@link #report()} serialize on a second lock, under which
 * they read and write the store; minutes move from memory to the store under both, so a report never counts
 * a minute twice or misses one.
 */
public final class UsageTracker {

    /** How long minutes are kept in the store unless configured otherwise. */
    public static final Duration RETENTION = Duration.ofDays(90);

    /** The span of one point of the last day's history. */
    public static final Duration DAY_STEP = Duration.ofMinutes(5);

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final int HOUR_POINTS = 60;
    private static final int DAY_POINTS = (int) (Duration.ofDays(1).toMinutes() / DAY_STEP.toMinutes());

    private final UsageStore store;
    private final InstantSource clock;
    private final Supplier<ZoneId> zone;
    private final Duration retention;
    private final Object storeLock = new Object();
    private volatile BooleanSupplier recordsPeaks = () -> true;
    private volatile Supplier<? extends Collection<String>> holders = List::of;
    private LocalDate holdersCountedFor;

    private Bucket current;
    private final List<UsageMinute> unsaved = new ArrayList<>();
    private int level;
    private int capacity;
    private ZoneId dayZone;
    private Instant dayStart;
    private Instant nextDayStart;
    private int peakToday;
    private long denialsToday;
    private final Set<String> agentsToday = new HashSet<>();
    private final Map<LocalDate, Set<String>> unsavedAgents = new LinkedHashMap<>();

    /**
     * Creates a tracker and reads today's peak and denials from the store.
     *
     * @param store where the minutes are kept
     * @param clock the trusted time
     * @param zone the zone of the license in force, whose calendar days count; asked at every flush
     * @param inUse the live leases now
     * @param capacity the seats usable now
     */
    public UsageTracker(UsageStore store, InstantSource clock, Supplier<ZoneId> zone, int inUse, int capacity) {
        this(store, clock, zone, inUse, capacity, RETENTION);
    }

    /**
     * Creates a tracker that keeps minutes for {@code retention}, and reads today's peak and denials from the
     * store.
     *
     * @param store where the minutes are kept
     * @param clock the trusted time
     * @param zone the zone of the license in force, whose calendar days count; asked at every flush
     * @param inUse the live leases now
     * @param capacity the seats usable now
     * @param retention how long minutes are kept, at least a day
     */
    public UsageTracker(
            UsageStore store, InstantSource clock, Supplier<ZoneId> zone, int inUse, int capacity, Duration retention) {
        this.store = Objects.requireNonNull(store, "store");
        this.retention = Objects.requireNonNull(retention, "retention");
        if (retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("the minute retention must be at least a day, was " + retention);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
        requireCounts(inUse, capacity);
        Instant now = clock.instant();
        this.level = inUse;
        this.capacity = capacity;
        this.current = new Bucket(minuteOf(now), inUse, capacity);
        ZoneId firstZone = Objects.requireNonNull(zone.get(), "zone");
        Instant start = startOfDay(now, firstZone);
        UsageTotals stored = store.totals(start, startOfNextDay(start, firstZone));
        setDay(firstZone, start);
        this.peakToday = Math.max(stored.peakInUse(), inUse);
        this.denialsToday = stored.denials();
    }

    /**
     * Says when this tracker writes the minutes' peaks and capacity: always by default (one node); on a node of a
     * cluster, only while it leads. A node that does not write them writes its minutes with a maximum and a
     * capacity of 0, so that only its claims and denials count (summed with the other nodes', each answered by
     * one node); the store merges maxima by taking the larger, so the leader's peak, which it keeps from the lease
     * table every second ({@link #changed}), is the minute's. Its own use and peaks in memory are unchanged.
     */
    public void recordPeaksWhen(BooleanSupplier condition) {
        this.recordsPeaks = Objects.requireNonNull(condition, "condition");
    }

    /**
     * Says who holds a seat now, so that an agent logged in across midnight counts among the distinct agents of
     * each day they held a seat, not only of the day of their login: at the first {@link #flush()} of each calendar
     * day (the first after the start, after midnight in the license's zone, after a change of zone) every holder
     * is noted for that day, as a claim would note them. Until this is called, only claims count.
     */
    public void countHoldersFrom(Supplier<? extends Collection<String>> currentHolders) {
        this.holders = Objects.requireNonNull(currentHolders, "currentHolders");
    }

    /** The start of the minute that {@code instant} falls in. */
    public static Instant minuteOf(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MINUTES);
    }

    /**
     * Reports a claim that granted a new lease.
     *
     * @param inUse the live leases right after it
     * @param capacity the capacity it was granted against
     */
    public synchronized void claimed(int inUse, int capacity) {
        requireCounts(inUse, capacity);
        Bucket bucket = roll(clock.instant());
        bucket.claims++;
        record(bucket, inUse, capacity);
    }

    /**
     * Reports a claim that granted a new lease to an agent, who then counts among the distinct agents of today.
     *
     * @param agent who was granted the seat
     * @param inUse the live leases right after it
     * @param capacity the capacity it was granted against
     */
    public synchronized void claimed(String agent, int inUse, int capacity) {
        Objects.requireNonNull(agent, "agent");
        claimed(inUse, capacity);
        if (agentsToday.add(agent)) {
            unsavedAgents
                    .computeIfAbsent(LocalDate.ofInstant(dayStart, dayZone), day -> new HashSet<>())
                    .add(agent);
        }
    }

    /**
     * Reports any other change of the live leases or of the capacity: a release, a reap, a lease released for
     * reduced capacity, a new license.
     *
     * @param inUse the live leases right after it
     * @param capacity the seats usable right after it
     */
    public synchronized void changed(int inUse, int capacity) {
        requireCounts(inUse, capacity);
        record(roll(clock.instant()), inUse, capacity);
    }

    /**
     * Reports a claim denied because no seat was free.
     *
     * @param inUse the live leases when it was denied
     * @param capacity the capacity it was checked against
     */
    public synchronized void denied(int inUse, int capacity) {
        requireCounts(inUse, capacity);
        Bucket bucket = roll(clock.instant());
        bucket.denials++;
        bucket.unnamedDenials++;
        denialsToday++;
        record(bucket, inUse, capacity);
    }

    /**
     * Reports a claim denied by another server node of the cluster: counted in today's denials, which are the
     * cluster's, but not in this node's minute (the other node writes it in its own).
     *
     * @param inUse the live leases when it was denied
     * @param capacity the capacity it was checked against
     */
    public synchronized void deniedElsewhere(int inUse, int capacity) {
        requireCounts(inUse, capacity);
        Bucket bucket = roll(clock.instant());
        denialsToday++;
        record(bucket, inUse, capacity);
    }

    /**
     * Reports a claim of an agent denied because no seat was free; an agent denied again in the same minute
     * counts once among the minute's denied agents.
     *
     * @param agent who was refused
     * @param inUse the live leases when it was denied
     * @param capacity the capacity it was checked against
     */
    public synchronized void denied(String agent, int inUse, int capacity) {
        Objects.requireNonNull(agent, "agent");
        requireCounts(inUse, capacity);
        Bucket bucket = roll(clock.instant());
        bucket.denials++;
        bucket.deniedAgents.add(agent);
        denialsToday++;
        record(bucket, inUse, capacity);
    }

    /**
     * The minutes that start at or after {@code from} and before {@code to}, stored or still in memory (the
     * minute in progress included), earliest first: what the reports read.
     */
    public List<UsageMinute> minutes(Instant from, Instant to) {
        synchronized (storeLock) {
            List<UsageMinute> stored = store.minutes(from, to);
            List<UsageMinute> memory;
            synchronized (this) {
                roll(clock.instant());
                memory = new ArrayList<>(unsaved);
                memory.add(current.toMinute());
            }
            TreeMap<Instant, UsageMinute> minutes = new TreeMap<>();
            for (UsageMinute minute : stored) {
                minutes.merge(minute.start(), minute, UsageMinute::merge);
            }
            for (UsageMinute minute : memory) {
                if (!minute.start().isBefore(from) && minute.start().isBefore(to)) {
                    minutes.merge(minute.start(), minute, UsageMinute::merge);
                }
            }
            return new ArrayList<>(minutes.values());
        }
    }

    /** How long minutes are kept. */
    public Duration retention() {
        return retention;
    }

    /** The zone whose calendar days count now: the license's. */
    public ZoneId zone() {
        return Objects.requireNonNull(zone.get(), "zone");
    }

    /** Use now, with today's peak and denials; from memory, never the store. */
    public synchronized LiveUsage live() {
        roll(clock.instant());
        return new LiveUsage(level, capacity, peakToday, denialsToday);
    }

    /**
     * Writes the minutes that have ended since the last flush, in one write, and recounts today when the
     * license's zone changed. The server calls this every second; a failed write is tried again by the next.
     */
    public void flush() {
        synchronized (storeLock) {
            saveEnded();
            followZone();
            noteHolders();
        }
    }

    /** Writes every minute not yet written, the one in progress included; the server calls this at shutdown. */
    public void close() {
        synchronized (storeLock) {
            synchronized (this) {
                roll(clock.instant());
                List<UsageMinute> toSave = new ArrayList<>(unsaved);
                toSave.add(current.toMinute());
                store.save(written(toSave), minuteOf(clock.instant()).minus(retention));
                unsaved.clear();
                unsavedAgents.forEach(store::saveAgents);
                unsavedAgents.clear();
                current = new Bucket(current.start, level, capacity);
            }
        }
    }

    /**
     * Use now, the peaks of today, 7 and 30 days, and the history of the last hour and day; follows a change of
     * the license's zone at once rather than at the next flush.
     */
    public UsageReport report() {
        synchronized (storeLock) {
            followZone();
            Instant now = clock.instant();
            Instant thisMinute = minuteOf(now);
            Instant hourFrom = thisMinute.minus(MINUTE.multipliedBy(HOUR_POINTS - 1));
            Instant thisStep = stepOf(now);
            Instant dayFrom = thisStep.minus(DAY_STEP.multipliedBy(DAY_POINTS - 1));
            Instant historyFrom = hourFrom.isBefore(dayFrom) ? hourFrom : dayFrom;
            Instant end = thisMinute.plus(MINUTE);
            List<UsageMinute> stored = store.minutes(historyFrom, end);
            List<UsageMinute> memory;
            LiveUsage live;
            ZoneId reportZone;
            Instant today;
            synchronized (this) {
                roll(now);
                memory = new ArrayList<>(unsaved);
                memory.add(current.toMinute());
                live = new LiveUsage(level, capacity, peakToday, denialsToday);
                reportZone = dayZone;
                today = dayStart;
            }
            Instant from7 = daysBefore(today, reportZone, 6);
            Instant from30 = daysBefore(today, reportZone, 29);
            int peak7 = Math.max(live.peakToday(), peak(store.totals(from7, end), memory, from7));
            int peak30 = Math.max(live.peakToday(), peak(store.totals(from30, end), memory, from30));
            TreeMap<Instant, UsageMinute> minutes = new TreeMap<>();
            for (UsageMinute minute : stored) {
                minutes.merge(minute.start(), minute, UsageMinute::merge);
            }
            for (UsageMinute minute : memory) {
                minutes.merge(minute.start(), minute, UsageMinute::merge);
            }
            return new UsageReport(
                    live,
                    reportZone,
                    peak7,
                    peak30,
                    points(minutes, hourFrom, MINUTE, HOUR_POINTS),
                    points(minutes, dayFrom, DAY_STEP, DAY_POINTS),
                    now);
        }
    }

    private void saveEnded() {
        List<UsageMinute> toSave;
        Map<LocalDate, Set<String>> agents;
        Instant now = clock.instant();
        synchronized (this) {
            roll(now);
            toSave = new ArrayList<>(unsaved);
            agents = new LinkedHashMap<>();
            unsavedAgents.forEach((day, names) -> agents.put(day, Set.copyOf(names)));
        }
        if (!toSave.isEmpty()) {
            store.save(written(toSave), minuteOf(now).minus(retention));
            synchronized (this) {
                unsaved.subList(0, toSave.size()).clear();
            }
        }
        if (!agents.isEmpty()) {
            agents.forEach(store::saveAgents);
            synchronized (this) {
                agents.forEach((day, names) -> {
                    Set<String> left = unsavedAgents.get(day);
                    if (left != null) {
                        left.removeAll(names);
                        if (left.isEmpty()) {
                            unsavedAgents.remove(day);
                        }
                    }
                });
            }
        }
    }

    /**
     * Notes the seat holders among today's agents once a day (written by the next flush); the day is read again
     * after asking, and if it turned meanwhile the next flush notes them for the new day instead.
     */
    private void noteHolders() {
        LocalDate today;
        synchronized (this) {
            roll(clock.instant());
            today = LocalDate.ofInstant(dayStart, dayZone);
        }
        if (today.equals(holdersCountedFor)) {
            return;
        }
        Collection<String> now = holders.get();
        synchronized (this) {
            roll(clock.instant());
            if (!today.equals(LocalDate.ofInstant(dayStart, dayZone))) {
                return;
            }
            for (String agent : now) {
                if (agentsToday.add(agent)) {
                    unsavedAgents.computeIfAbsent(today, day -> new HashSet<>()).add(agent);
                }
            }
        }
        holdersCountedFor = today;
    }

    /** The minutes as this node writes them: without peaks and capacity unless it records them. */
    private List<UsageMinute> written(List<UsageMinute> minutes) {
        return recordsPeaks.getAsBoolean()
                ? minutes
                : minutes.stream()
                        .map(minute -> new UsageMinute(
                                minute.start(), 0, 0, minute.claims(), minute.denials(), minute.deniedAgents()))
                        .toList();
    }

    private void followZone() {
        ZoneId newZone = Objects.requireNonNull(zone.get(), "zone");
        boolean zoneChanged;
        synchronized (this) {
            zoneChanged = !newZone.equals(dayZone);
        }
        if (zoneChanged) {
            recountToday(newZone);
        }
    }

    private void recountToday(ZoneId newZone) {
        Instant now = clock.instant();
        Instant start = startOfDay(now, newZone);
        Instant next = startOfNextDay(start, newZone);
        UsageTotals stored = store.totals(start, next);
        synchronized (this) {
            roll(now);
            UsageTotals total = stored;
            for (UsageMinute minute : unsaved) {
                if (!minute.start().isBefore(start)) {
                    total = total.plus(minute);
                }
            }
            if (!current.start.isBefore(start)) {
                total = total.plus(current.toMinute());
            }
            setDay(newZone, start);
            agentsToday.clear();
            peakToday = Math.max(total.peakInUse(), level);
            denialsToday = total.denials();
        }
    }

    private Bucket roll(Instant now) {
        Instant minute = minuteOf(now);
        if (minute.isAfter(current.start)) {
            unsaved.add(current.toMinute());
            current = new Bucket(minute, level, capacity);
        }
        if (!now.isBefore(nextDayStart)) {
            setDay(dayZone, startOfDay(now, dayZone));
            peakToday = level;
            denialsToday = 0;
            agentsToday.clear();
        }
        return current;
    }

    private void record(Bucket bucket, int inUse, int newCapacity) {
        level = inUse;
        capacity = newCapacity;
        bucket.maxInUse = Math.max(bucket.maxInUse, inUse);
        bucket.capacity = Math.max(bucket.capacity, newCapacity);
        peakToday = Math.max(peakToday, inUse);
    }

    private void setDay(ZoneId newZone, Instant start) {
        dayZone = newZone;
        dayStart = start;
        nextDayStart = startOfNextDay(start, newZone);
    }

    private static int peak(UsageTotals stored, List<UsageMinute> memory, Instant from) {
        int peak = stored.peakInUse();
        for (UsageMinute minute : memory) {
            if (!minute.start().isBefore(from)) {
                peak = Math.max(peak, minute.maxInUse());
            }
        }
        return peak;
    }

    private static List<UsagePoint> points(
            TreeMap<Instant, UsageMinute> minutes, Instant from, Duration step, int count) {
        List<UsagePoint> points = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Instant start = from.plus(step.multipliedBy(i));
            Map<Instant, UsageMinute> span = minutes.subMap(start, start.plus(step));
            if (span.isEmpty()) {
                points.add(new UsagePoint(start, null, null));
                continue;
            }
            int max = 0;
            int cap = 0;
            for (UsageMinute minute : span.values()) {
                max = Math.max(max, minute.maxInUse());
                cap = Math.max(cap, minute.capacity());
            }
            points.add(new UsagePoint(start, max, cap));
        }
        return points;
    }

    private static Instant stepOf(Instant instant) {
        long stepSeconds = DAY_STEP.toSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(instant.getEpochSecond(), stepSeconds) * stepSeconds);
    }

    private static Instant startOfDay(Instant instant, ZoneId zone) {
        return LocalDate.ofInstant(instant, zone).atStartOfDay(zone).toInstant();
    }

    private static Instant startOfNextDay(Instant dayStart, ZoneId zone) {
        return LocalDate.ofInstant(dayStart, zone)
                .plusDays(1)
                .atStartOfDay(zone)
                .toInstant();
    }

    private static Instant daysBefore(Instant dayStart, ZoneId zone, int days) {
        return LocalDate.ofInstant(dayStart, zone)
                .minusDays(days)
                .atStartOfDay(zone)
                .toInstant();
    }

    private static void requireCounts(int inUse, int capacity) {
        if (inUse < 0 || capacity < 0) {
            throw new IllegalArgumentException(
                    "in use and capacity must not be negative, were " + inUse + " and " + capacity);
        }
    }

    /** The minute in progress. */
    private static final class Bucket {
        private final Instant start;
        private int maxInUse;
        private int capacity;
        private int claims;
        private int denials;
        private int unnamedDenials;
        private final Set<String> deniedAgents = new HashSet<>();

        Bucket(Instant start, int level, int capacity) {
            this.start = start;
            this.maxInUse = level;
            this.capacity = capacity;
        }

        UsageMinute toMinute() {
            return new UsageMinute(start, maxInUse, capacity, claims, denials, deniedAgents.size() + unnamedDenials);
        }
    }
}
