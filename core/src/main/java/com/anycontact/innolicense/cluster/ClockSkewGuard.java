package com.anycontact.innolicense.cluster;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.Denial;
import com.anycontact.innolicense.seat.Lease;
import com.anycontact.innolicense.seat.SeatStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * A seat store that refuses every change while this node's clock does not agree with the cluster's ({@link
 * Cluster#seatRefusal()}): claims, renewals and releases throw {@link ClockSkewedException} (or complete with it),
 * and a reap removes nothing. Reads pass through. It sits under the seat ledger, so that no route and no task
 * can change a seat on a node whose clock would misjudge the leases.
 */
public final class ClockSkewGuard implements SeatStore {

    private final SeatStore store;
    private final Cluster cluster;

    /** Guards {@code store} by {@code cluster}'s clock. */
    public ClockSkewGuard(SeatStore store, Cluster cluster) {
        this.store = Objects.requireNonNull(store, "store");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
    }

    @Override
    public ClaimResult claim(ClaimRequest request, int capacity, Instant now, Duration ttl) {
        refuseWhenSkewed();
        return store.claim(request, capacity, now, ttl);
    }

    @Override
    public CompletableFuture<ClaimResult> claimAsync(ClaimRequest request, int capacity, Instant now, Duration ttl) {
        ClockSkewedException refusal = cluster.seatRefusal().orElse(null);
        return refusal != null
                ? CompletableFuture.failedFuture(refusal)
                : store.claimAsync(request, capacity, now, ttl);
    }

    @Override
    public boolean release(AgentId agent, Instant now) {
        refuseWhenSkewed();
        return store.release(agent, now);
    }

    @Override
    public CompletableFuture<Boolean> releaseAsync(AgentId agent, Instant now) {
        ClockSkewedException refusal = cluster.seatRefusal().orElse(null);
        return refusal != null ? CompletableFuture.failedFuture(refusal) : store.releaseAsync(agent, now);
    }

    @Override
    public CompletableFuture<OptionalInt> releaseCountedAsync(AgentId agent, Instant now) {
        ClockSkewedException refusal = cluster.seatRefusal().orElse(null);
        return refusal != null ? CompletableFuture.failedFuture(refusal) : store.releaseCountedAsync(agent, now);
    }

    @Override
    public List<Lease> leases(Instant now) {
        return store.leases(now);
    }

    @Override
    public int inUse(Instant now) {
        return store.inUse(now);
    }

    @Override
    public List<Lease> reap(Instant now) {
        return cluster.seatRefusal().isPresent() ? List.of() : store.reap(now);
    }

    @Override
    public long denials() {
        return store.denials();
    }

    @Override
    public List<Denial> recentDenials(int limit) {
        return store.recentDenials(limit);
    }

    private void refuseWhenSkewed() {
        ClockSkewedException refusal = cluster.seatRefusal().orElse(null);
        if (refusal != null) {
            throw refusal;
        }
    }
}
