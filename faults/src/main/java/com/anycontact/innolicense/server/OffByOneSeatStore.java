package com.anycontact.innolicense.server;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.Denial;
import com.anycontact.innolicense.seat.Lease;
import com.anycontact.innolicense.seat.SeatStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * A seat store whose cap guard is off by one: every claim is decided against one seat more than the capacity.
 * Only for {@link FaultTestServer}: the fault suite must catch it.
 */
final class OffByOneSeatStore implements SeatStore {

    private final SeatStore store;

    OffByOneSeatStore(SeatStore store) {
        this.store = store;
    }

    @Override
    public ClaimResult claim(ClaimRequest request, int capacity, Instant now, Duration ttl) {
        return store.claim(request, capacity + 1, now, ttl);
    }

    @Override
    public CompletableFuture<ClaimResult> claimAsync(ClaimRequest request, int capacity, Instant now, Duration ttl) {
        return store.claimAsync(request, capacity + 1, now, ttl);
    }

    @Override
    public boolean release(AgentId agent, Instant now) {
        return store.release(agent, now);
    }

    @Override
    public CompletableFuture<Boolean> releaseAsync(AgentId agent, Instant now) {
        return store.releaseAsync(agent, now);
    }

    @Override
    public CompletableFuture<OptionalInt> releaseCountedAsync(AgentId agent, Instant now) {
        return store.releaseCountedAsync(agent, now);
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
        return store.reap(now);
    }

    @Override
    public long denials() {
        return store.denials();
    }

    @Override
    public List<Denial> recentDenials(int limit) {
        return store.recentDenials(limit);
    }
}
