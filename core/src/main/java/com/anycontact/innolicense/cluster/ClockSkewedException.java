package com.anycontact.innolicense.cluster;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A seat call refused because this node's clock is not known to agree with the cluster database's within the
 * bound: its offset is beyond it, or has not been measured (yet, or lately). An expected refusal, answered 503 with
 * {@code Retry-After}; the ACD retries, on this node or another.
 */
public final class ClockSkewedException extends RuntimeException {

    private final transient Optional<Duration> offset;
    private final Duration bound;

    /**
     * @param offset the node's clock minus the database's, empty when not measured
     * @param bound the largest offset at which the node serves seats
     */
    public ClockSkewedException(Optional<Duration> offset, Duration bound) {
        super(reason(offset, bound), null, false, false);
        this.offset = Objects.requireNonNull(offset, "offset");
        this.bound = Objects.requireNonNull(bound, "bound");
    }

    /** The node's clock minus the database's, empty when not measured. */
    public Optional<Duration> offset() {
        return offset;
    }

    /** The largest offset at which the node serves seats. */
    public Duration bound() {
        return bound;
    }

    /** When to try again: a second, the time to the next measurement. */
    public Duration retryAfter() {
        return Duration.ofSeconds(1);
    }

    /** Why seats are refused, for people. */
    public static String reason(Optional<Duration> offset, Duration bound) {
        return offset.map(o -> "this node's clock is " + millis(o.abs()) + (o.isNegative() ? " behind" : " ahead of")
                        + " the cluster database's, beyond the bound of " + millis(bound)
                        + "; it refuses seat calls until its clock agrees again (check NTP on this machine)")
                .orElse("this node has not measured its clock against the cluster database's lately (the database"
                        + " does not answer, or too slowly to tell); it refuses seat calls until it has");
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + " ms";
    }
}
