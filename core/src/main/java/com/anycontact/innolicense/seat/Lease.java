package com.anycontact.innolicense.seat;

import java.time.Instant;
import java.util.Objects;

/**
 * A seat held by one agent until {@code expiresAt}; each renewal moves the expiry on.
 *
 * @param agent the agent holding the seat
 * @param node the ACD node last reported for the agent, or {@code null}
 * @param station the station last reported for the agent, or {@code null}
 * @param claimedAt when the seat was claimed
 * @param renewedAt when the lease was last claimed or renewed
 * @param expiresAt the first instant at which the lease is no longer held
 * @param claimSequence the order of claims: a later claim has a larger number, and when capacity
 *     drops the leases with the smallest numbers keep their seats
 */
public record Lease(
        AgentId agent,
        String node,
        String station,
        Instant claimedAt,
        Instant renewedAt,
        Instant expiresAt,
        long claimSequence) {

    /** Checks that the instants are present and in order. */
    public Lease {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(claimedAt, "claimedAt");
        Objects.requireNonNull(renewedAt, "renewedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (renewedAt.isBefore(claimedAt) || !expiresAt.isAfter(renewedAt)) {
            throw new IllegalArgumentException("lease instants out of order: claimed " + claimedAt + ", renewed "
                    + renewedAt + ", expires " + expiresAt);
        }
    }

    /** Whether the seat is still held at {@code now}: its expiry lies after it. */
    public boolean isLiveAt(Instant now) {
        return expiresAt.isAfter(now);
    }
}
