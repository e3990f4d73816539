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
 * restart, so the mark survives restarts too.
 *
 * <p>Because the license lifecycle is evaluated at {@link #now()}, setting the system clock back never makes
 * an expired license valid again: time stands still at the mark until the clock catches up. A clock reading
 * more than {@code tolerance} below the mark is reported as a {@link ClockJump} so that the server can audit
 * it; smaller steps back, such as NTP corrections, are absorbed silently.
 *
 * <p>Thread-safe and lock-free: each call reads the clock once and merges the reading into the mark with one
 * atomic accumulate, so concurrent callers never see the mark go back and each jump is reported once, by the
 * caller whose reading it was, on that caller's thread.
 */
public final class TrustedClock {

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
    private final AtomicReference<Instant> mark;
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
        this.mark = new AtomicReference<>(Objects.requireNonNull(highWaterMark, "highWaterMark"));
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
        this.jumps = Objects.requireNonNull(jumps, "jumps");
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative, was " + tolerance);
        }
    }

    /** The trusted current instant: the later of the clock and the high-water mark, which it advances. */
    public Instant now() {
        Instant reading = clock.instant();
        Instant previous = mark.getAndAccumulate(reading, TrustedClock::later);
        if (Duration.between(reading, previous).compareTo(tolerance) > 0) {
            jumps.accept(new ClockJump(previous, reading));
        }
        return later(previous, reading);
    }

    /** The latest instant handed out (or the initial mark), for the server to persist. */
    public Instant highWaterMark() {
        return mark.get();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
