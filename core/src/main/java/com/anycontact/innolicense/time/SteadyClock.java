package com.anycontact.innolicense.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Instants that advance with a {@link Ticker} and nothing else: it reads {@code anchor} at the moment it is
 * made and then moves on by the elapsed monotonic time. A step of the wall clock in either direction does not
 * move it, so deadlines computed from it (a lease's expiry, a session's idle end) are durations measured
 * monotonically, while they still read as instants near the wall time for logs, answers and storage.
 *
 * <p>Over weeks it may drift from the wall clock by the monotonic clock's drift (NTP slews both on Linux, so
 * usually by little); it is re-anchored when the process starts.
 *
 * <p>Thread-safe and immutable.
 */
public final class SteadyClock implements InstantSource {

    private final Instant anchor;
    private final long anchorNanos;
    private final Ticker ticker;

    private SteadyClock(Instant anchor, Ticker ticker) {
        this.anchor = Objects.requireNonNull(anchor, "anchor");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.anchorNanos = ticker.nanos();
    }

    /**
     * A steady clock that reads {@code anchor} now and advances with {@code ticker}.
     *
     * @param anchor the instant it reads at once, usually the trusted time at startup
     * @param ticker the monotonic time it advances with
     */
    public static SteadyClock anchoredAt(Instant anchor, Ticker ticker) {
        return new SteadyClock(anchor, ticker);
    }

    /** The anchor plus the monotonic time elapsed since this clock was made. */
    @Override
    public Instant instant() {
        return anchor.plusNanos(ticker.nanos() - anchorNanos);
    }

    /** How much monotonic time has elapsed since this clock was made. */
    public Duration elapsed() {
        return Duration.ofNanos(ticker.nanos() - anchorNanos);
    }

    /** The ticker this clock advances with. */
    public Ticker ticker() {
        return ticker;
    }
}
