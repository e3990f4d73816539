package com.anycontact.innolicense.seat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

/**
 * The seat ledger: agents claim, renew and release seats against the capacity of the license
 * in force. The ledger supplies the time, the capacity and the lease TTL; the {@link SeatStore}
 * makes every decision in one atomic step.
 *
 * <p>Time: a lease's expiry is a duration, so the clock given here must be moved by a monotonic
 * clock only (the server passes a {@link com.anycontact.innolicense.time.SteadyClock}); a step of
 * the system clock must neither expire a renewing agent's lease nor extend a vanished one's.
 */
public final class SeatLedger {

    private final SeatStore store;
    private final InstantSource clock;
    private final IntSupplier capacity;
    private final Duration ttl;

    /**
     * Creates a ledger.
     *
     * @param store where leases are kept
     * @param clock the time leases are claimed, renewed, expired and reaped at: a steady clock
     * @param capacity the seats usable right now, asked on every claim so that a change of
     *     license takes effect at once
     * @param ttl how long a claim or renewal holds a seat; at least 3 milliseconds
     */
    public SeatLedger(SeatStore store, InstantSource clock, IntSupplier capacity, Duration ttl) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.capacity = Objects.requireNonNull(capacity, "capacity");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.compareTo(Duration.ofMillis(3)) < 0) {
            throw new IllegalArgumentException("lease TTL must be at least 3 ms, got " + ttl);
        }
    }

    /** Claims a seat for the agent, or renews the one it holds (see {@link SeatStore#claim}). */
    public ClaimResult claim(ClaimRequest request) {
        return store.claim(request, capacity(), clock.instant(), ttl);
    }

    /**
     * Claims a seat for the agent, or renews the one it holds, without waiting for the decision to become
     * durable (see {@link SeatStore#claimAsync}): the future completes once it is.
     */
    public CompletableFuture<ClaimResult> claimAsync(ClaimRequest request) {
        return store.claimAsync(request, capacity(), clock.instant(), ttl);
    }

    /**
     * Releases the agent's seat without waiting for the release to become durable (see {@link
     * SeatStore#releaseAsync}).
     *
     * @return a future of {@code true} when the agent held a live lease
     */
    public CompletableFuture<Boolean> releaseAsync(AgentId agent) {
        return store.releaseAsync(agent, clock.instant());
    }

    /**
     * Releases the agent's seat.
     *
     * @return {@code true} when the agent held a live lease
     */
    public boolean release(AgentId agent) {
        return store.release(agent, clock.instant());
    }

    /**
     * The instant this ledger judges leases by: its clock, which in a server is steady (it never steps with the
     * wall clock), so the difference of two readings is a duration.
     */
    public Instant now() {
        return clock.instant();
    }

    /** The live leases, earliest-claimed first. */
    public List<Lease> leases() {
        return store.leases(clock.instant());
    }

    /** The number of live leases. */
    public int inUse() {
        return store.inUse(clock.instant());
    }

    /**
     * Removes the leases whose holders stopped renewing.
     *
     * @return the removed leases, earliest-claimed first
     */
    public List<Lease> reap() {
        return store.reap(clock.instant());
    }

    /** The number of denials ever recorded. */
    public long denials() {
        return store.denials();
    }

    /** The most recent denials, newest first. */
    public List<Denial> recentDenials(int limit) {
        return store.recentDenials(limit);
    }

    /** The seats usable right now. */
    public int capacity() {
        int seats = capacity.getAsInt();
        if (seats < 0) {
            throw new IllegalStateException("capacity is negative: " + seats);
        }
        return seats;
    }

    /** How long a claim or renewal holds a seat. */
    public Duration ttl() {
        return ttl;
    }

    /** How often a holder should renew: a third of the TTL, so two renewals may be lost in a row. */
    public Duration renewInterval() {
        return ttl.dividedBy(3);
    }
}
