package com.anycontact.innolicense.server;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.Denial;
import com.anycontact.innolicense.seat.Lease;
import com.anycontact.innolicense.seat.SeatStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * A seat store that counts what the store it wraps decided: claims, renewals, denials, renewals refused for
 * reduced capacity, releases and reaped leases. Every change of a seat passes through the store, so this is
 * the one place where seats are counted, whichever route or task asked. A call that throws counts nothing.
 */
final class MeteredSeatStore implements SeatStore {

    private final SeatStore store;
    private final Counter claims;
    private final Counter renewals;
    private final Counter denials;
    private final Counter capacityReduced;
    private final Counter releases;
    private final Counter reaped;

    MeteredSeatStore(SeatStore store, MeterRegistry registry) {
        this.store = Objects.requireNonNull(store, "store");
        this.claims = counter(registry, "innolicense.claims", "Claims that granted a new lease");
        this.renewals = counter(registry, "innolicense.renewals", "Claims that renewed a live lease");
        this.denials = counter(registry, "innolicense.denials", "Claims denied because no seat was free");
        this.capacityReduced = counter(
                registry,
                "innolicense.capacity.reduced",
                "Renewals refused because capacity dropped beneath the lease, which was released");
        this.releases = counter(registry, "innolicense.releases", "Leases released by their holder");
        this.reaped = counter(registry, "innolicense.reaped", "Expired leases removed by the reaper");
    }

    private static Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    @Override
    public ClaimResult claim(ClaimRequest request, int capacity, Instant now, Duration ttl) {
        return counted(store.claim(request, capacity, now, ttl));
    }

    @Override
    public CompletableFuture<ClaimResult> claimAsync(ClaimRequest request, int capacity, Instant now, Duration ttl) {
        return store.claimAsync(request, capacity, now, ttl).thenApply(this::counted);
    }

    @Override
    public boolean release(AgentId agent, Instant now) {
        return counted(store.release(agent, now));
    }

    @Override
    public CompletableFuture<Boolean> releaseAsync(AgentId agent, Instant now) {
        return store.releaseAsync(agent, now).thenApply(this::counted);
    }

    @Override
    public CompletableFuture<OptionalInt> releaseCountedAsync(AgentId agent, Instant now) {
        return store.releaseCountedAsync(agent, now).thenApply(inUse -> {
            counted(inUse.isPresent());
            return inUse;
        });
    }

    private ClaimResult counted(ClaimResult result) {
        switch (result) {
            case ClaimResult.Claimed claimed -> claims.increment();
            case ClaimResult.Renewed renewed -> renewals.increment();
            case ClaimResult.Denied denied -> denials.increment();
            case ClaimResult.CapacityReduced reduced -> capacityReduced.increment();
        }
        return result;
    }

    private boolean counted(boolean released) {
        if (released) {
            releases.increment();
        }
        return released;
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
        List<Lease> removed = store.reap(now);
        reaped.increment(removed.size());
        return removed;
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
