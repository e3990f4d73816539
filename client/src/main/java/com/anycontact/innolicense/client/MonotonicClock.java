package com.anycontact.innolicense.client;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The client's default clock for its lease deadlines: the wall time when the client was built, then moved on
 * by the JVM's monotonic clock only, so that a step of the host's system clock neither ends a lease early nor
 * lets the client believe in a lease the server has already let go. (The SDK depends on nothing, so it does
 * not use the server's {@code SteadyClock}; this is the same idea in a few lines.)
 */
final class MonotonicClock implements InstantSource {

    private final Instant anchor;
    private final long anchorNanos;
    private final LongSupplier nanos;

    MonotonicClock(Instant anchor, LongSupplier nanos) {
        this.anchor = Objects.requireNonNull(anchor, "anchor");
        this.nanos = Objects.requireNonNull(nanos, "nanos");
        this.anchorNanos = nanos.getAsLong();
    }

    /** Anchored at the system clock now, advancing with {@link System#nanoTime()}. */
    static MonotonicClock system() {
        return new MonotonicClock(Instant.now(), System::nanoTime);
    }

    @Override
    public Instant instant() {
        return anchor.plusNanos(nanos.getAsLong() - anchorNanos);
    }
}
