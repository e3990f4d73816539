package com.anycontact.innolicense.license;

import com.anycontact.innolicense.time.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * A hand-set system clock with the monotonic {@link #ticker()} beside it, for tests. Time passing moves both
 * ({@link #advance}, and {@link #set} to a later instant); a step of the system clock moves it alone ({@link
 * #rewind}, {@link #stepForward}, and {@link #set} to an earlier instant).
 */
final class MutableClock implements InstantSource {

    private volatile Instant now;
    private volatile long nanos = 1_000_000_000L;

    MutableClock(Instant now) {
        this.now = now;
    }

    /** The instant the clock was last set to. */
    @Override
    public Instant instant() {
        return now;
    }

    /** The monotonic clock that advances as time passes here and ignores steps. */
    Ticker ticker() {
        return () -> nanos;
    }

    /** Time passes until {@code instant} when it is later; otherwise the system clock is set back to it. */
    synchronized void set(Instant instant) {
        if (instant.isAfter(now)) {
            nanos += Duration.between(now, instant).toNanos();
        }
        now = instant;
    }

    /** Time passes. */
    synchronized void advance(Duration duration) {
        nanos += duration.toNanos();
        now = now.plus(duration);
    }

    /** The system clock is set back; no time passes. */
    synchronized void rewind(Duration duration) {
        now = now.minus(duration);
    }

    /** The system clock is set forward; no time passes. */
    synchronized void stepForward(Duration duration) {
        now = now.plus(duration);
    }
}
