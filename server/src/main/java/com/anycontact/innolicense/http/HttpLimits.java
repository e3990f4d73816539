package com.anycontact.innolicense.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds on what clients may hold of the server at once; each is shown on {@code /metrics} as {@code
 * innolicense_limit{limit="…"}} beside what is in use, and described in {@code docs/operations.md}.
 *
 * @param maxConnections open TCP connections; beyond them Jetty stops accepting until one closes (the kernel's
 *     backlog holds the rest)
 * @param headerDeadline how long a request's line and headers may take to arrive once their first byte has;
 *     a client slower than that (slowloris) is disconnected
 * @param maxRequestsInFlight requests that leave the seat fast path and run at once, each on a virtual thread
 *     (event streams included); beyond them 503 {@code server-busy} with {@code Retry-After: 1}, at once
 * @param maxStreamsPerCaller live-event streams one session or API token may have open; beyond them 429 {@code
 *     stream-limit-reached}
 * @param maxStreams live-event streams open in total; beyond them 429 {@code stream-limit-reached}
 */
public record HttpLimits(
        int maxConnections, Duration headerDeadline, int maxRequestsInFlight, int maxStreamsPerCaller, int maxStreams) {

    /** The bounds the server runs with. */
    public static final HttpLimits DEFAULT = new HttpLimits(1_000, Duration.ofSeconds(10), 256, 5, 100);

    /** Requires every bound to be positive, and the streams to leave room for other requests. */
    public HttpLimits {
        Objects.requireNonNull(headerDeadline, "headerDeadline");
        if (maxConnections < 1
                || headerDeadline.isNegative()
                || headerDeadline.isZero()
                || maxRequestsInFlight < 1
                || maxStreamsPerCaller < 1
                || maxStreams < maxStreamsPerCaller
                || maxStreams >= maxRequestsInFlight) {
            throw new IllegalArgumentException("limits out of range: " + maxConnections + ", " + headerDeadline + ", "
                    + maxRequestsInFlight + ", " + maxStreamsPerCaller + ", " + maxStreams);
        }
    }

    /** These limits with another header deadline. */
    public HttpLimits withHeaderDeadline(Duration deadline) {
        return new HttpLimits(maxConnections, deadline, maxRequestsInFlight, maxStreamsPerCaller, maxStreams);
    }

    /** These limits with other stream caps. */
    public HttpLimits withStreams(int perCaller, int total) {
        return new HttpLimits(maxConnections, headerDeadline, maxRequestsInFlight, perCaller, total);
    }

    /** These limits with another bound on requests in flight. */
    public HttpLimits withRequestsInFlight(int requests) {
        return new HttpLimits(maxConnections, headerDeadline, requests, maxStreamsPerCaller, maxStreams);
    }
}
