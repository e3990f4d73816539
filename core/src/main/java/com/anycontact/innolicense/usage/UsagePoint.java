package com.anycontact.innolicense.usage;

import java.time.Instant;
import java.util.Objects;

/**
 * One point of a usage chart: a span of one or more minutes.
 *
 * @param at the start of the span
 * @param maxInUse the most live leases during the span, or {@code null} when nothing was recorded (the
 *     server was not running)
 * @param capacity the largest capacity during the span, or {@code null} likewise
 */
public record UsagePoint(Instant at, Integer maxInUse, Integer capacity) {

    /** Requires the start. */
    public UsagePoint {
        Objects.requireNonNull(at, "at");
    }
}
