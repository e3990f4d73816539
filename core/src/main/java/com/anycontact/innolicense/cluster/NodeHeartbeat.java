package com.anycontact.innolicense.cluster;

import com.anycontact.innolicense.license.TrustMode;
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
 * @param trust which vendor keys it trusts: a node on development trust accepts license keys that the others ignore
 */
public record NodeHeartbeat(
        String id,
        String address,
        String version,
        Instant startedAt,
        boolean leader,
        Optional<Duration> clockOffset,
        Duration maxClockOffset,
        boolean serving,
        TrustMode trust) {

    /** Requires every component. */
    public NodeHeartbeat {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(clockOffset, "clockOffset");
        Objects.requireNonNull(maxClockOffset, "maxClockOffset");
        Objects.requireNonNull(trust, "trust");
    }
}
