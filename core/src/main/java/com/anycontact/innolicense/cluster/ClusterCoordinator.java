package com.anycontact.innolicense.cluster;

import com.anycontact.innolicense.license.TrustMode;
import com.anycontact.innolicense.time.SteadyClock;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A node of a cluster that shares one database: measures its clock against the database's, holds or seeks the
 * leadership, and keeps its row in the {@link NodeRegistry}, once a second ({@link #tick()}).
 *
 * <p>Clock: each tick reads the database's clock between two readings of the node's seat clock (the clock that
 * dates leases); the offset is taken at the middle of the round trip and counted as within the bound only if its
 * size plus half the round trip is ({@link ClockReading#within}), as beyond it only if its size less half the
 * round trip is ({@link ClockReading#beyond}). A reading that is neither (a round trip too slow to tell: the
 * node's thread not run for a while, a pause, a slow database) counts as no reading: the last one that could tell
 * stands, since the seat clock is monotonic and does not move against it in a few seconds. Beyond the bound, or
 * after {@link #FAILED_READINGS_UNKNOWN} ticks in a row without a reading that tells, or before the first, the
 * node is not serving: {@link #seatRefusal()} says why, and it does not lead.
 *
 * <p>Correcting the clock: the seat clock is monotonic, anchored at startup, so a correction of the node's system
 * clock (NTP stepping a clock that was wrong when the node started) does not move it. So while the seat clock is
 * certainly beyond the bound, each tick also reads the database's clock
 * against the system clock; once that one is within the bound, the seat clock is re-anchored to it (logged), and
 * the next tick finds the node serving again — while it refused every seat call, so no lease was judged by the
 * old clock after the refusal began.
 *
 * <p>Leadership: a serving node that does not lead tries the {@link LeaderLock} every tick (never waiting for
 * it); a leader checks every tick that its lock connection still answers and stops leading the moment it does not
 * (the database has let the lock go with the connection, and another node may take it within a second). A leader
 * that stops serving lets the lock go at once. A leader counts as leading ({@link #leads()}) only for {@link
 * #LEADERSHIP_CONFIRMED_FOR} after its last confirmation, measured on the monotonic clock, so that a node that was
 * stopped (SIGSTOP, a long pause) does no singleton work on waking before its next check has found its lock
 * connection still there. A follower whose lock attempt fails because the holder's node is missing from the registry
 * (no heartbeat for {@link NodeRegistry#MISSING_AFTER}, by the database's clock) ends the holder's connection
 * ({@link LeaderLock#endMissingHolder}) and takes the lock in the same tick: a stopped leader keeps its lock only
 * until it is shown as missing. The leader also drops long-missing nodes from the registry, once a
 * minute.
 *
 * <p>Threads: {@link #tick()} and {@link #close()} run on the server's scheduler thread (close after it stopped);
 * the getters are read from any thread.
 */
public final class ClusterCoordinator implements Cluster {

    /** After this many ticks in a row without a reading of the database's clock, the offset counts as unknown. */
    public static final int FAILED_READINGS_UNKNOWN = 3;

    /** How long after confirming its lock a leader still counts as leading without confirming again. */
    public static final Duration LEADERSHIP_CONFIRMED_FOR = Duration.ofSeconds(2);

    private static final System.Logger LOG = System.getLogger(ClusterCoordinator.class.getName());
    private static final int DROP_MISSING_EVERY_TICKS = 60;

    private final NodeRegistry registry;
    private final DatabaseClock databaseClock;
    private final LeaderLock lock;
    private final SteadyClock seatClock;
    private final InstantSource systemClock;
    private final String id;
    private final Supplier<String> address;
    private final String version;
    private final TrustMode trust;
    private final Instant startedAt;
    private final Duration maxOffset;

    private volatile Optional<Duration> offset = Optional.empty();
    private volatile Optional<Duration> offsetAtLeast = Optional.empty();
    private volatile boolean serving;
    private volatile boolean leading;
    private volatile long confirmedAtNanos;
    private int failedReadings = FAILED_READINGS_UNKNOWN;
    private long ticks;

    /**
     * Creates a node that neither leads nor serves until its first {@link #tick()}.
     *
     * @param registry where the nodes are listed
     * @param databaseClock the database's clock
     * @param lock the leadership lock, on a connection of its own
     * @param seatClock the clock that dates leases on this node, re-anchored to {@code systemClock} when that one
     *     agrees with the database's and it does not
     * @param systemClock this machine's wall clock
     * @param id this node's ID
     * @param address where this node is reached, asked at every heartbeat (the port is known once it listens)
     * @param version the release it runs
     * @param trust which vendor keys it trusts, told to the other nodes
     * @param startedAt when it started
     * @param maxOffset the largest offset to the database's clock at which this node serves seats, positive
     */
    public ClusterCoordinator(
            NodeRegistry registry,
            DatabaseClock databaseClock,
            LeaderLock lock,
            SteadyClock seatClock,
            InstantSource systemClock,
            String id,
            Supplier<String> address,
            String version,
            TrustMode trust,
            Instant startedAt,
            Duration maxOffset) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.databaseClock = Objects.requireNonNull(databaseClock, "databaseClock");
        this.lock = Objects.requireNonNull(lock, "lock");
        this.seatClock = Objects.requireNonNull(seatClock, "seatClock");
        this.systemClock = Objects.requireNonNull(systemClock, "systemClock");
        this.id = Objects.requireNonNull(id, "id");
        this.address = Objects.requireNonNull(address, "address");
        this.version = Objects.requireNonNull(version, "version");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.maxOffset = Objects.requireNonNull(maxOffset, "maxOffset");
        if (maxOffset.isNegative() || maxOffset.isZero()) {
            throw new IllegalArgumentException("the clock offset bound must be positive, was " + maxOffset);
        }
    }

    @Override
    public synchronized void tick() {
        measure();
        lead();
        try {
            registry.heartbeat(new NodeHeartbeat(
                    id, address.get(), version, startedAt, leading, offset, maxOffset, serving, trust));
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "writing this node's heartbeat to the node registry failed; will try again in a" + " second: "
                            + e.getMessage());
        }
        if (leading && ++ticks % DROP_MISSING_EVERY_TICKS == 0) {
            try {
                int dropped = registry.dropMissing();
                if (dropped > 0) {
                    LOG.log(
                            Level.INFO,
                            "dropped " + dropped + " nodes missing for longer than "
                                    + NodeRegistry.DROPPED_AFTER.toMinutes() + " min from the node registry");
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "dropping missing nodes from the registry failed: " + e.getMessage());
            }
        }
    }

    private void measure() {
        ClockReading reading;
        try {
            reading = databaseClock.read(seatClock);
        } catch (RuntimeException e) {
            noReading("cannot read the cluster database's clock (" + e.getMessage() + ")");
            return;
        }
        boolean within = reading.within(maxOffset);
        if (!within && !reading.beyond(maxOffset)) {
            // neither certainly within nor certainly beyond: a reading over a round trip too slow to tell (this
            // node's thread not run, a pause, a slow database); the seat clock is monotonic, so the last reading
            // that could tell still stands, as it does when a reading fails
            noReading("read the cluster database's clock over a round trip of "
                    + reading.roundTrip().toMillis()
                    + " ms, too slow to tell whether the offset ("
                    + reading.offset().toMillis()
                    + " ms) is within the bound");
            return;
        }
        failedReadings = 0;
        offset = Optional.of(reading.offset());
        offsetAtLeast = Optional.of(reading.offset().minus(reading.uncertainty()));
        if (within != serving) {
            if (within) {
                LOG.log(
                        Level.INFO,
                        "this node's clock agrees with the cluster database's (offset "
                                + reading.offset().toMillis() + " ms, bound " + maxOffset.toMillis()
                                + " ms): serving seat calls");
            } else {
                LOG.log(Level.WARNING, ClockSkewedException.reason(offset, maxOffset));
            }
        }
        serving = within;
        if (!within) {
            reanchorWhenTheSystemClockAgrees();
        }
    }

    /**
     * A tick without a reading that tells: the last one stands until {@link #FAILED_READINGS_UNKNOWN} such ticks in
     * a row, then the offset counts as unknown and the node stops serving.
     */
    private void noReading(String why) {
        if (++failedReadings >= FAILED_READINGS_UNKNOWN) {
            if (serving) {
                LOG.log(
                        Level.WARNING,
                        why + " " + FAILED_READINGS_UNKNOWN + " times in a row: "
                                + ClockSkewedException.reason(Optional.empty(), maxOffset));
            }
            serving = false;
            offset = Optional.empty();
            offsetAtLeast = Optional.empty();
        }
    }

    /**
     * Re-anchors the seat clock to the system clock, which the caller found certainly beyond the bound, when the
     * system clock is within it; the node serves again from the next tick's reading.
     */
    private void reanchorWhenTheSystemClockAgrees() {
        ClockReading system;
        try {
            system = databaseClock.read(systemClock);
        } catch (RuntimeException e) {
            return; // tried again at the next tick, which also finds the seat clock still off
        }
        if (!system.within(maxOffset)) {
            return;
        }
        Duration seatOffset = offset.orElseThrow();
        seatClock.reanchor(systemClock);
        LOG.log(
                Level.INFO,
                "this node's system clock agrees with the cluster database's again (offset "
                        + system.offset().toMillis() + " ms, bound " + maxOffset.toMillis()
                        + " ms); its seat clock, " + seatOffset.toMillis()
                        + " ms off, now follows it: serving seat calls again from the next check");
    }

    private void lead() {
        if (!serving) {
            if (leading) {
                leading = false;
                LOG.log(Level.WARNING, "this node stops leading the cluster: it does not serve seat calls");
                releaseQuietly();
            }
            return;
        }
        if (leading) {
            long asked = seatClock.ticker().nanos();
            if (lock.stillHeld()) {
                confirmedAtNanos = asked;
            } else {
                leading = false;
                LOG.log(
                        Level.WARNING,
                        "this node lost its connection holding the cluster leadership and stops"
                                + " leading; another node takes over");
            }
            return;
        }
        long asked = seatClock.ticker().nanos();
        try {
            leading = lock.tryAcquire(id);
            if (!leading && lock.endMissingHolder(NodeRegistry.MISSING_AFTER)) {
                LOG.log(
                        Level.WARNING,
                        "the node leading the cluster is missing (no heartbeat for "
                                + NodeRegistry.MISSING_AFTER.toSeconds()
                                + " s) but its database session still held the leadership: ended that session");
                leading = lock.tryAcquire(id);
            }
        } catch (RuntimeException e) {
            leading = false;
        }
        if (leading) {
            confirmedAtNanos = asked;
            LOG.log(Level.INFO, "this node (" + id + ", " + address.get() + ") now leads the cluster");
        }
    }

    private void releaseQuietly() {
        try {
            lock.release();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "letting the leadership go failed: " + e.getMessage());
        }
    }

    @Override
    public boolean leads() {
        return leading && seatClock.ticker().nanos() - confirmedAtNanos < LEADERSHIP_CONFIRMED_FOR.toNanos();
    }

    @Override
    public Optional<ClockSkewedException> seatRefusal() {
        return serving ? Optional.empty() : Optional.of(new ClockSkewedException(offset, maxOffset));
    }

    @Override
    public Optional<Duration> clockOffset() {
        return offset;
    }

    @Override
    public Optional<Duration> clockOffsetAtLeast() {
        return offsetAtLeast;
    }

    @Override
    public ClusterStatus status() {
        List<ClusterNode> nodes;
        try {
            nodes = registry.nodes();
        } catch (RuntimeException e) {
            nodes = List.of();
        }
        Optional<Duration> measured = offset;
        boolean up = serving;
        return new ClusterStatus(
                ClusterStatus.Mode.CLUSTER,
                id,
                leading,
                up,
                measured,
                maxOffset,
                up ? Optional.empty() : Optional.of(ClockSkewedException.reason(measured, maxOffset)),
                nodes);
    }

    @Override
    public synchronized void close() {
        leading = false;
        serving = false;
        try {
            registry.leave(id);
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "removing this node from the registry failed: " + e.getMessage());
        }
        lock.close();
    }
}
