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
 * usually by little); it is re-anchored when the process starts, and by {@link #reanchor} only: a cluster node
 * that started with a wrong wall clock, and refuses seat calls for it, re-anchors once its wall clock agrees with
 * the cluster database's again.
 *
 * <p>Thread-safe: the anchor is one volatile reference.
 */
public final class SteadyClock implements InstantSource {

    /** The instant read at a moment of the ticker. */
    private record Anchor(Instant at, long nanos) {}

    private final Ticker ticker;
    private volatile Anchor anchor;

    private SteadyClock(Instant anchor, Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.anchor = new Anchor(Objects.requireNonNull(anchor, "anchor"), ticker.nanos());
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
        Anchor current = anchor;
        return current.at().plusNanos(ticker.nanos() - current.nanos());
    }

    /** How much monotonic time has elapsed since this clock was made or last re-anchored. */
    public Duration elapsed() {
        return Duration.ofNanos(ticker.nanos() - anchor.nanos());
    }

    /**
     * Makes this clock read {@code at} now and advance with the ticker from here: a step, forward or back, of
     * every deadline measured on it. Only for a node that changes nothing by this clock meanwhile (a cluster node
     * that refuses seat calls because this clock disagrees with the database's).
     */
    public void reanchor(Instant at) {
        anchor = new Anchor(Objects.requireNonNull(at, "at"), ticker.nanos());
    }

    /** The ticker this clock advances with. */
    public Ticker ticker() {
        return ticker;
    }
}
