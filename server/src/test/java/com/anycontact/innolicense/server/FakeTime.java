package com.anycontact.innolicense.server;

import com.anycontact.innolicense.time.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Time that tests move by hand: the system clock (this {@link InstantSource}) and the monotonic {@link
 * #ticker()} beside it. Time passing moves both ({@link #advance}, {@link #set}); a step of the system clock,
 * as an operator or a bad NTP source makes, moves it alone ({@link #stepWall}).
 */
final class FakeTime implements InstantSource {

    private volatile Instant wall;
    private volatile long nanos = 1_000_000_000L;

    FakeTime(Instant start) {
        this.wall = start;
    }

    /** The system clock. */
    @Override
    public Instant instant() {
        return wall;
    }

    /** The monotonic clock, moved only by time passing. */
    Ticker ticker() {
        return () -> nanos;
    }

    /** Time passes: the system clock and the monotonic clock move on together. */
    synchronized void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time does not pass backwards; step the wall clock instead");
        }
        nanos += duration.toNanos();
        wall = wall.plus(duration);
    }

    /** Time passes until the system clock reads {@code instant}, which must not be earlier than it reads now. */
    synchronized void set(Instant instant) {
        advance(Duration.between(wall, instant));
    }

    /** The system clock is stepped by {@code step}, forward or (negative) back; no time passes. */
    synchronized void stepWall(Duration step) {
        wall = wall.plus(step);
    }
}
