package com.anycontact.innolicense.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a node writes to the {@link NodeRegistry} once a second.
 *
 * @param id the node's ID
 * @param address where it is reached
 * @param version the release it runs
 * @param startedAt when it started, by its trusted clock
 * @param leader whether it leads now
 * @param clockOffset its last measured offset to the database's clock, empty if none yet
 * @param maxClockOffset its bound
 * @param serving whether it answers seat calls
 */
public record NodeHeartbeat(
        String id,
        String address,
        String version,
        Instant startedAt,
        boolean leader,
        Optional<Duration> clockOffset,
        Duration maxClockOffset,
        boolean serving) {

    /** Requires every component. */
    public NodeHeartbeat {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(clockOffset, "clockOffset");
        Objects.requireNonNull(maxClockOffset, "maxClockOffset");
    }
}
