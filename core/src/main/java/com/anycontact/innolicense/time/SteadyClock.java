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
    private record Anchor(Instant at, long nanos) {
        /**
         * What {@code source} reads, at the moment of the ticker it was read: read between two readings of the
         * ticker, and again while those are more than {@link #READ_WITHIN_NANOS} apart (a pause, or a class being
         * loaded, in between), at most {@link #READ_ATTEMPTS} times, keeping the closest pair; the moment is the
         * middle of the pair, so the clock is off the source by at most half of it. Reading the instant first and
         * the ticker after, as a separate step, would put the clock behind the source by whatever ran in between:
         * 4 ms on a cluster node starting beside two others, enough for two nodes on one machine to disagree on
         * a lease's expiry by that much.
         */
        static Anchor read(InstantSource source, Ticker ticker) {
            Anchor best = null;
            long bestSpan = Long.MAX_VALUE;
            for (int attempt = 0; attempt < READ_ATTEMPTS && bestSpan > READ_WITHIN_NANOS; attempt++) {
                long before = ticker.nanos();
                Instant at = source.instant();
                long span = ticker.nanos() - before;
                if (span < bestSpan) {
                    best = new Anchor(at, before + span / 2);
                    bestSpan = span;
                }
            }
            return best;
        }
    }

    /** How close the two readings of the ticker around a reading of the source must be to take it. */
    static final long READ_WITHIN_NANOS = 100_000;

    /** How often the source is read at most to find two readings of the ticker that close. */
    static final int READ_ATTEMPTS = 20;

    private final Ticker ticker;
    private volatile Anchor anchor;

    private SteadyClock(Anchor anchor, Ticker ticker) {
        this.ticker = ticker;
        this.anchor = anchor;
    }

    /**
     * A steady clock that reads {@code anchor} now and advances with {@code ticker}.
     *
     * @param anchor the instant it reads at once, usually the trusted time at startup
     * @param ticker the monotonic time it advances with
     */
    public static SteadyClock anchoredAt(Instant anchor, Ticker ticker) {
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(ticker, "ticker");
        return new SteadyClock(new Anchor(anchor, ticker.nanos()), ticker);
    }

    /**
     * A steady clock that reads what {@code source} reads now and advances with {@code ticker}, the two read
     * together (see {@link Anchor#read}); for a clock that must agree with the source, as the seat clock of cluster
     * nodes on one machine must agree with each other, rather than with an instant computed a while before.
     */
    public static SteadyClock anchoredAt(InstantSource source, Ticker ticker) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(ticker, "ticker");
        return new SteadyClock(Anchor.read(source, ticker), ticker);
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
     * Makes this clock read what {@code source} reads now (the two read together, see {@link Anchor#read}) and
     * advance with the ticker from here: a step, forward or back, of
     * every deadline measured on it. Only for a node that changes nothing by this clock meanwhile (a cluster node
     * that refuses seat calls because this clock disagrees with the database's).
     */
    public void reanchor(InstantSource source) {
        anchor = Anchor.read(Objects.requireNonNull(source, "source"), ticker);
    }

    /** The ticker this clock advances with. */
    public Ticker ticker() {
        return ticker;
    }
}
