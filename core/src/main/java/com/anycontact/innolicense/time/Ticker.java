package com.anycontact.innolicense.time;

/**
 * A monotonic source of elapsed time, in nanoseconds from an arbitrary origin: readings never go back, and
 * setting the system's wall clock does not move them. Only the difference of two readings means anything.
 *
 * <p>Every duration measured inside a running process (lease TTLs, sessions, throttles, caches) is measured
 * with a ticker, never with a wall clock (DESIGN §7); tests pass a hand-moved ticker.
 */
@FunctionalInterface
public interface Ticker {

    /** The current reading in nanoseconds; only differences between readings are meaningful. */
    long nanos();

    /** The JVM's monotonic clock, {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
