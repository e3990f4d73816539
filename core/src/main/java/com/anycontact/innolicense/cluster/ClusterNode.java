package com.anycontact.innolicense.cluster;

import com.anycontact.innolicense.license.TrustMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One server node as the node registry lists it.
 *
 * @param id the node's ID, new at every start
 * @param address where the node is reached, e.g. {@code http://node-a.example.com:8080}
 * @param version the innolicense release it runs
 * @param startedAt when it started, by its own trusted clock
 * @param lastSeen its last heartbeat, by the database's clock
 * @param leader whether it held the leadership at its last heartbeat (does the cluster's singleton work)
 * @param clockOffset its seat clock minus the database's clock, as it last measured it; empty before the first
 *     measurement
 * @param maxClockOffset the bound beyond which it refuses seat calls
 * @param serving whether it answers seat calls (its offset is within the bound)
 * @param missing whether its last heartbeat is older than {@link NodeRegistry#MISSING_AFTER}
 * @param trust which vendor keys it trusts; empty for a node of a release before 2026-12-05, which does not say
 */
public record ClusterNode(
        String id,
        String address,
        String version,
        Instant startedAt,
        Instant lastSeen,
        boolean leader,
        Optional<Duration> clockOffset,
        Duration maxClockOffset,
        boolean serving,
        boolean missing,
        Optional<TrustMode> trust) {

    /** Requires every component. */
    public ClusterNode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(clockOffset, "clockOffset");
        Objects.requireNonNull(maxClockOffset, "maxClockOffset");
        Objects.requireNonNull(trust, "trust");
    }

    /** Whether the node says it runs on development trust. */
    public boolean onDevelopmentTrust() {
        return trust.equals(Optional.of(TrustMode.DEVELOPMENT));
    }
}
