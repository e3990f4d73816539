package com.anycontact.innolicense.server;

import com.anycontact.innolicense.time.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * A node's clocks that follow real time, as the test database's clock does, plus an offset that a test moves
 * forward: {@link #runAhead} makes the node's system clock and monotonic clock both gain, as on a machine whose
 * clock runs fast or was paused and resumed ahead. For the clock-skew tests, which compare a node's clock with
 * PostgreSQL's real one; tests that only need time to pass use {@link FakeTime}.
 */
final class RealTime implements InstantSource {

    private volatile long aheadNanos;
    private volatile long systemAheadNanos;

    /** The system clock: real time plus the offset, unless it was {@link #correctSystemClock corrected}. */
    @Override
    public Instant instant() {
        return Instant.now().plusNanos(systemAheadNanos);
    }

    /** The monotonic clock: the JVM's plus the offset. */
    Ticker ticker() {
        return () -> System.nanoTime() + aheadNanos;
    }

    /** The node's clocks gain {@code gain} at once. */
    void runAhead(Duration gain) {
        if (gain.isNegative()) {
            throw new IllegalArgumentException("a monotonic clock does not go back");
        }
        aheadNanos += gain.toNanos();
        systemAheadNanos += gain.toNanos();
    }

    /**
     * The system clock is set right (as NTP steps a wrong clock): it reads real time again, while the monotonic
     * clock keeps its offset, as a monotonic clock does not go back.
     */
    void correctSystemClock() {
        systemAheadNanos = 0;
    }

    /**
     * Sets the system clock alone to real time plus the offset (negative: behind), the monotonic clock untouched:
     * a machine whose clock was wrong when it booted, or was stepped.
     */
    void setSystemClock(Duration offset) {
        systemAheadNanos = offset.toNanos();
    }
}
