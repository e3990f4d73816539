package com.anycontact.innolicense.seat;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A seat store that tells a listener of every change it made: every claim granted or denied, release, reap
 * and release for reduced capacity, whichever route or task asked. Every change of a seat passes through
 * the store, so nothing is missed. Renewals are passed through untold and cost nothing more.
 *
 * <p>The count of live leases in a change is the store's own: the one its decision carries (a grant, a denial,
 * a release for reduced capacity), or the one the store answers with an asynchronous release ({@link
 * SeatStore#releaseCountedAsync}); after a release made waiting, or a reap, it is read from the store right after
 * the change. The listener runs after the change is durable, on the caller's thread (or, for the
 * asynchronous calls, on the thread that completes the store's future); it must be quick and must not block.
 * A listener that throws is logged and does not fail the call: the change has been made.
 */
public final class ObservedSeatStore implements SeatStore {

    private static final System.Logger LOG = System.getLogger(ObservedSeatStore.class.getName());

    private final SeatStore store;
    private final Consumer<SeatChange> listener;

    /**
     * Wraps a store.
     *
     * @param store the store that decides
     * @param listener told of every change
     */
    public ObservedSeatStore(SeatStore store, Consumer<SeatChange> listener) {
        this.store = Objects.requireNonNull(store, "store");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public ClaimResult claim(ClaimRequest request, int capacity, Instant now, Duration ttl) {
        return claimed(request, capacity, now, store.claim(request, capacity, now, ttl));
    }

    @Override
    public CompletableFuture<ClaimResult> claimAsync(ClaimRequest request, int capacity, Instant now, Duration ttl) {
        return store.claimAsync(request, capacity, now, ttl)
                .thenApply(result -> claimed(request, capacity, now, result));
    }

    @Override
    public boolean release(AgentId agent, Instant now) {
        return released(agent, now, store.release(agent, now));
    }

    @Override
    public CompletableFuture<Boolean> releaseAsync(AgentId agent, Instant now) {
        return releaseCountedAsync(agent, now).thenApply(OptionalInt::isPresent);
    }

    @Override
    public CompletableFuture<OptionalInt> releaseCountedAsync(AgentId agent, Instant now) {
        return store.releaseCountedAsync(agent, now).thenApply(inUse -> {
            inUse.ifPresent(count -> tell(new SeatChange.Released(agent, now, count)));
            return inUse;
        });
    }

    private ClaimResult claimed(ClaimRequest request, int capacity, Instant now, ClaimResult result) {
        switch (result) {
            case ClaimResult.Claimed claimed ->
                tell(new SeatChange.Claimed(claimed.lease(), claimed.inUse(), capacity));
            case ClaimResult.Renewed renewed -> {}
            case ClaimResult.Denied denied ->
                tell(new SeatChange.Denied(request.agent(), now, denied.inUse(), denied.capacity()));
            case ClaimResult.CapacityReduced reduced ->
                tell(new SeatChange.CapacityReduced(request.agent(), now, reduced.inUse(), reduced.capacity()));
        }
        return result;
    }

    private boolean released(AgentId agent, Instant now, boolean released) {
        if (released) {
            tell(new SeatChange.Released(agent, now, store.inUse(now)));
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
        List<Lease> reaped = store.reap(now);
        if (!reaped.isEmpty()) {
            tell(new SeatChange.Reaped(reaped, now, store.inUse(now)));
        }
        return reaped;
    }

    @Override
    public long denials() {
        return store.denials();
    }

    @Override
    public List<Denial> recentDenials(int limit) {
        return store.recentDenials(limit);
    }

    private void tell(SeatChange change) {
        try {
            listener.accept(change);
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "a seat change listener failed on " + change.getClass().getSimpleName(),
                    e);
        }
    }
}
