package com.anycontact.innolicense.store.jdbc;

import java.time.Instant;

/** Instants as both databases keep them: epoch milliseconds (UTC) in a 64-bit integer column. */
public final class Instants {

    private Instants() {}

    /**
     * An instant as the epoch milliseconds the schemas keep, rounded up: the smallest whole millisecond at or after
     * it. For a stored millisecond {@code t}, {@code t >= instant} exactly when {@code t >= ceilingMillis(instant)},
     * and likewise for {@code <}.
     */
    public static long ceilingMillis(Instant instant) {
        long floor = instant.toEpochMilli();
        return instant.getNano() % 1_000_000 == 0 ? floor : floor + 1;
    }
}
