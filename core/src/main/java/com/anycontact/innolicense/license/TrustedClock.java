package com.anycontact.innolicense.license;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Trusted time: a clock that never runs backwards (DESIGN §3). It keeps a high-water mark, the latest
 * instant it has handed out; {@link #now()} returns the later of the underlying clock and the mark and moves
 * the mark forward, never back. The server persists {@link #highWaterMark()} and passes it back in on
 * restart, so the mark survives restarts too. As an {@link InstantSource} it hands out {@link #now()}, so it
 * can be given wherever time is injected.
 *
 * <p>Because the license lifecycle is evaluated at {@link #now()}, setting the system clock back never makes
 * an expired license valid again: time stands still at the mark until the clock catches up.
 *
 * <p>Jumps: the clock reads <em>behind</em> when a reading is earlier than the mark. A stretch of
 * consecutive readings behind the mark is one period, which ends at the first reading at or after the mark.
 * A period in which a reading falls more than {@code tolerance} below the mark is reported once, as a
 * {@link ClockJump}, at the first such reading, so that the server can audit it; the readings after it in
 * the same period are not reported again, however long the clock takes to catch up. Periods that stay
 * within the tolerance, such as NTP corrections, are not reported.
 *
 * <p>Thread-safe and lock-free: each call reads the clock once and merges the reading into the state (mark
 * and whether the current period was reported) with one compare-and-set, so concurrent callers never see
 * the mark go back and each period is reported once, by the caller whose reading it was, on that caller's
 * thread.
 */
public final class TrustedClock implements InstantSource {

    /**
     * The underlying clock read earlier than the trusted time by more than the tolerance.
     *
     * @param from the high-water mark when the reading was taken: the trusted time of detection
     * @param to the clock reading
     */
    public record ClockJump(Instant from, Instant to) {

        /** Requires both instants. */
        public ClockJump {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        /** How far the clock reads behind the trusted time. */
        public Duration backwards() {
            return Duration.between(to, from);
        }
    }

    private final InstantSource clock;
    private final AtomicReference<State> state;
    private final Duration tolerance;
    private final Consumer<ClockJump> jumps;

    /**
     * Creates a trusted clock.
     *
     * @param clock the underlying clock, usually the system clock
     * @param highWaterMark the persisted mark, or {@link Instant#EPOCH} on first start
     * @param tolerance how far the clock may read behind the mark without being reported; not negative
     * @param jumps receives each reported jump, on the thread that called {@link #now()}; keep it quick
     */
    public TrustedClock(InstantSource clock, Instant highWaterMark, Duration tolerance, Consumer<ClockJump> jumps) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.state = new AtomicReference<>(new State(Objects.requireNonNull(highWaterMark, "highWaterMark"), false));
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
        this.jumps = Objects.requireNonNull(jumps, "jumps");
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative, was " + tolerance);
        }
    }

    /** The trusted current instant: the later of the clock and the high-water mark, which it advances. */
    public Instant now() {
        Instant reading = clock.instant();
        while (true) {
            State previous = state.get();
            State next = previous.merge(reading, tolerance);
            if (next == previous || state.compareAndSet(previous, next)) {
                if (next.reported() && !previous.reported()) {
                    jumps.accept(new ClockJump(previous.mark(), reading));
                }
                return next.mark();
            }
        }
    }

    /** The same as {@link #now()}. */
    @Override
    public Instant instant() {
        return now();
    }

    /** The latest instant handed out (or the initial mark), for the server to persist. */
    public Instant highWaterMark() {
        return state.get().mark();
    }

    /**
     * The high-water mark, and whether the clock reads behind it in a period that was already reported.
     * Immutable; {@link #merge} returns itself when a reading changes nothing.
     */
    private record State(Instant mark, boolean reported) {

        State merge(Instant reading, Duration tolerance) {
            if (!reading.isBefore(mark)) {
                return reading.equals(mark) && !reported ? this : new State(reading, false);
            }
            if (!reported && Duration.between(reading, mark).compareTo(tolerance) > 0) {
                return new State(mark, true);
            }
            return this;
        }
    }
}
