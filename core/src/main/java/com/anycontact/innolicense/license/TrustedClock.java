package com.anycontact.innolicense.license;

import com.anycontact.innolicense.time.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Trusted time, the license clock (DESIGN §3): it follows the system clock while that clock agrees with the
 * monotonic clock, continues on the monotonic clock alone while it does not, and never runs backwards.
 *
 * <p>The model. Besides the latest instant handed out (the <em>mark</em>), the clock keeps a line that
 * advances with the {@link Ticker}: the <em>continuation</em>, {@code C(t) = base + (t − baseTicks)}. Each
 * reading of the system clock {@code W} at ticker reading {@code t} is compared with {@code C(t)}:
 *
 * <ul>
 *   <li>{@code C(t) − tolerance ≤ W ≤ C(t) + tolerance}, the clock <em>agrees</em>: trusted time is the later
 *       of {@code W} and the mark, so with a good clock it is the system time to the nanosecond and the
 *       lifecycle's boundaries fall on the second. When that is ahead of the line (a small step forward), the
 *       line moves up to it; it never moves down, so small steps back add up until they exceed the
 *       tolerance instead of holding trusted time still forever.
 *   <li>otherwise the clock has <em>jumped</em> (forward or back): trusted time is {@code C(t)}, elapsed
 *       monotonic time only. A step forward is not believed (no lease expires early, no license lapses early,
 *       and the persisted mark never includes it), a step back holds nothing still (no license is kept alive
 *       by a clock set back). The first such reading starts an <em>episode</em>, which is reported once, as a
 *       {@link ClockJump}, and lasts until the clock agrees again; a reading that jumps the other way starts a
 *       new episode.
 * </ul>
 *
 * <p>Invariants, for every reading: {@code C(t) − tolerance ≤ now ≤ C(t)}; so between any two readings
 * trusted time advances by at least the elapsed monotonic time less the tolerance, and by at most what an
 * agreeing system clock or the monotonic clock confirms. Linux's {@code CLOCK_REALTIME} and {@code
 * CLOCK_MONOTONIC} are slewed alike by NTP, so only steps of the system clock move them apart.
 *
 * <p>At construction the clock starts at the later of the system clock and the {@code floor} (the persisted
 * mark and the other anti-rollback evidence, see {@link TrustedTimeFloor}); when the system clock reads more
 * than the tolerance below the floor, the episode starts at once. Time that passed while the process was not
 * running cannot be confirmed by anything local: a system clock ahead of the floor at startup is believed,
 * unless a witness gives a ceiling (a cluster node: the database's clock), beyond which it is not.
 *
 * <p>Thread-safe and lock-free: each call reads the ticker and the system clock once and merges the reading
 * into the immutable state with one compare-and-set, so concurrent callers never see trusted time go back
 * and each episode is reported once, by the caller whose reading started it, on that caller's thread (keep
 * the listener quick: hand the work to another thread).
 */
public final class TrustedClock implements InstantSource {

    /** Which way the system clock stepped away from trusted time. */
    public enum Direction {
        /** The system clock reads ahead of trusted time: it was set forward, or the host was suspended. */
        FORWARD,
        /** The system clock reads behind trusted time: it was set back. */
        BACK
    }

    /**
     * The system clock stepped beyond the tolerance from trusted time: the start of an episode.
     *
     * @param direction which way it stepped
     * @param trustedTime trusted time at detection, from when the episode lasts
     * @param systemTime the system clock's reading then
     */
    public record ClockJump(Direction direction, Instant trustedTime, Instant systemTime) {

        /** Requires every field. */
        public ClockJump {
            Objects.requireNonNull(direction, "direction");
            Objects.requireNonNull(trustedTime, "trustedTime");
            Objects.requireNonNull(systemTime, "systemTime");
        }

        /** How far the system clock read from trusted time: positive ahead, negative behind. */
        public Duration offset() {
            return Duration.between(trustedTime, systemTime);
        }
    }

    /**
     * One reading of the clock, for showing.
     *
     * @param trustedTime trusted time
     * @param systemTime the system clock at the same reading
     * @param jump the episode in progress, empty while the system clock agrees
     */
    public record Reading(Instant trustedTime, Instant systemTime, Optional<ClockJump> jump) {

        /** Requires every field. */
        public Reading {
            Objects.requireNonNull(trustedTime, "trustedTime");
            Objects.requireNonNull(systemTime, "systemTime");
            Objects.requireNonNull(jump, "jump");
        }

        /** How far the system clock reads from trusted time: positive ahead, negative behind. */
        public Duration offset() {
            return Duration.between(trustedTime, systemTime);
        }
    }

    private final InstantSource clock;
    private final Ticker ticker;
    private final Duration tolerance;
    private final Consumer<ClockJump> jumps;
    private final AtomicReference<State> state;

    /**
     * Creates a trusted clock that starts at the later of the system clock and {@code floor}.
     *
     * @param clock the system clock
     * @param ticker the monotonic clock, advancing with the system clock while nobody steps it
     * @param floor the earliest trusted time may start at: the persisted mark, or {@link Instant#EPOCH} on a
     *     first start
     * @param tolerance how far the system clock may step from the continuation and still be followed; not
     *     negative
     * @param jumps told of each episode as it starts, on the thread that read the clock; keep it quick
     */
    public TrustedClock(
            InstantSource clock, Ticker ticker, Instant floor, Duration tolerance, Consumer<ClockJump> jumps) {
        this(clock, ticker, floor, Instant.MAX, tolerance, jumps);
    }

    /**
     * Creates a trusted clock that starts at the later of {@code floor} and the earlier of the system clock and
     * {@code ceiling}: a witness (a cluster node's database clock) says the system clock cannot rightly read
     * beyond the ceiling now, so a system clock that does is not believed, as a step forward is not believed
     * while the clock runs: trusted time starts at the ceiling, and when the system clock reads more than the
     * tolerance beyond that, the episode ({@link Direction#FORWARD}) starts at once. The ceiling only ever lowers
     * the start, never below the floor, so it cannot undo the anti-rollback evidence.
     *
     * @param clock the system clock
     * @param ticker the monotonic clock, advancing with the system clock while nobody steps it
     * @param floor the earliest trusted time may start at: the persisted mark, or {@link Instant#EPOCH} on a
     *     first start
     * @param ceiling the latest instant the system clock is believed at now; {@link Instant#MAX} for none
     * @param tolerance how far the system clock may step from the continuation and still be followed; not
     *     negative
     * @param jumps told of each episode as it starts, on the thread that read the clock; keep it quick
     */
    public TrustedClock(
            InstantSource clock,
            Ticker ticker,
            Instant floor,
            Instant ceiling,
            Duration tolerance,
            Consumer<ClockJump> jumps) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
        this.jumps = Objects.requireNonNull(jumps, "jumps");
        Objects.requireNonNull(floor, "floor");
        Objects.requireNonNull(ceiling, "ceiling");
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative, was " + tolerance);
        }
        long ticks = ticker.nanos();
        Instant system = clock.instant();
        Instant believed = system.isAfter(ceiling) ? ceiling : system;
        Instant start = believed.isAfter(floor) ? believed : floor;
        ClockJump jump = null;
        if (system.isBefore(start.minus(tolerance))) {
            jump = new ClockJump(Direction.BACK, start, system);
        } else if (system.isAfter(start.plus(tolerance))) {
            jump = new ClockJump(Direction.FORWARD, start, system);
        }
        this.state = new AtomicReference<>(new State(start, start, ticks, jump));
        if (jump != null) {
            jumps.accept(jump);
        }
    }

    /** Trusted now; see the class comment. */
    public Instant now() {
        return read().trustedTime();
    }

    /** The same as {@link #now()}. */
    @Override
    public Instant instant() {
        return now();
    }

    /** Reads the clock, as {@link #now()}, and tells the system time beside it and the episode in progress. */
    public Reading read() {
        while (true) {
            // The readings are taken after the state they are merged into: a state published by another
            // thread before then was read from the ticker earlier, so the continuation never runs back and a
            // stale reading is never mistaken for a step of the system clock.
            State previous = state.get();
            long ticks = ticker.nanos();
            Instant system = clock.instant();
            State next = previous.merge(system, ticks, tolerance);
            if (next == previous || state.compareAndSet(previous, next)) {
                if (next.jump() != null && next.jump() != previous.jump()) {
                    jumps.accept(next.jump());
                }
                return new Reading(next.mark(), system, Optional.ofNullable(next.jump()));
            }
        }
    }

    /**
     * The latest trusted instant handed out, for the server to persist: it includes no step of the system
     * clock that the monotonic clock did not confirm.
     */
    public Instant highWaterMark() {
        return state.get().mark();
    }

    /**
     * The latest trusted instant handed out, the continuation line through {@code base} at ticker reading
     * {@code baseTicks}, and the episode in progress or {@code null}. Immutable; {@link #merge} returns itself
     * when a reading changes nothing.
     */
    private record State(Instant mark, Instant base, long baseTicks, ClockJump jump) {

        State merge(Instant system, long ticks, Duration tolerance) {
            Instant continuation = base.plusNanos(ticks - baseTicks);
            if (!system.isBefore(continuation.minus(tolerance)) && !system.isAfter(continuation.plus(tolerance))) {
                Instant trusted = system.isAfter(mark) ? system : mark;
                boolean lineUp = trusted.isAfter(continuation);
                if (trusted.equals(mark) && !lineUp && jump == null) {
                    return this;
                }
                return lineUp ? new State(trusted, trusted, ticks, null) : new State(trusted, base, baseTicks, null);
            }
            Instant trusted = continuation.isAfter(mark) ? continuation : mark;
            Direction direction = system.isAfter(continuation) ? Direction.FORWARD : Direction.BACK;
            ClockJump episode =
                    jump != null && jump.direction() == direction ? jump : new ClockJump(direction, trusted, system);
            if (trusted.equals(mark) && episode == jump) {
                return this;
            }
            return new State(trusted, base, baseTicks, episode);
        }
    }
}
