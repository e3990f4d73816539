package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.Lease;
import java.time.Instant;

/**
 * A lease as {@link SeatBook} keeps it: instants as epoch milliseconds, so that 100,000 of them
 * stay small, and immutable, so that a renewal replaces it and a checkpoint can write a snapshot
 * without copying.
 *
 * @param journalPosition the journal position of the claim that created the lease; the lease is
 *     durable once that position is committed ({@code 0} for a lease read from the database)
 */
record Held(
        AgentId agent,
        String node,
        String station,
        long claimedAt,
        long renewedAt,
        long expiresAt,
        long claimSequence,
        long journalPosition) {

    boolean isLiveAt(long nowMillis) {
        return expiresAt > nowMillis;
    }

    Held renewed(String newNode, String newStation, long renewedMillis, long expiresMillis) {
        return new Held(
                agent, newNode, newStation, claimedAt, renewedMillis, expiresMillis, claimSequence, journalPosition);
    }

    Held expiringNoEarlierThan(long expiresMillis) {
        return expiresMillis <= expiresAt
                ? this
                : new Held(agent, node, station, claimedAt, renewedAt, expiresMillis, claimSequence, journalPosition);
    }

    Lease toLease() {
        return new Lease(
                agent,
                node,
                station,
                Instant.ofEpochMilli(claimedAt),
                Instant.ofEpochMilli(renewedAt),
                Instant.ofEpochMilli(expiresAt),
                claimSequence);
    }
}
