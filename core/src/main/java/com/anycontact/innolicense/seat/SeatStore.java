package com.anycontact.innolicense.seat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * Where leases are kept, and the arbiter of the seat cap: every decision about a seat is made
 * inside the store in one atomic step, so that concurrent claims, from one server or many, can
 * never hold more leases than the capacity they were checked against.
 *
 * <p>A lease is live at {@code now} while its expiry lies after {@code now}; an expired lease
 * counts as free at once, whether or not {@link #reap(Instant)} has removed it yet. Time is never
 * read by the store: every method is given {@code now}, and the capacity and lease TTL to apply.
 *
 * <p>Implementations are safe for use by many threads at once. A result returned from a method
 * that changes leases is durable: the change survives a crash of the process that made it.
 */
public interface SeatStore {

    /**
     * Claims or renews a seat, in one atomic step.
     *
     * <ul>
     *   <li>The agent holds a live lease: it is renewed to expire at {@code now + ttl}
     *       ({@link ClaimResult.Renewed}), unless at least {@code capacity} live leases were claimed
     *       before it; then it is released and {@link ClaimResult.CapacityReduced} returned.
     *   <li>The agent holds no live lease: a new lease is granted ({@link ClaimResult.Claimed}) if
     *       fewer than {@code capacity} leases are live, otherwise the denial is recorded and
     *       {@link ClaimResult.Denied} returned.
     * </ul>
     *
     * @param request the agent, and the node and station it reports
     * @param capacity the seats usable right now, not negative
     * @param now the current trusted time
     * @param ttl how long a claim or renewal holds the seat, positive
     */
    ClaimResult claim(ClaimRequest request, int capacity, Instant now, Duration ttl);

    /**
     * Releases the agent's seat.
     *
     * @return {@code true} when the agent held a live lease, {@code false} when it held none
     */
    boolean release(AgentId agent, Instant now);

    /**
     * Claims or renews a seat as {@link #claim} does, without making the caller wait until the decision is
     * durable: the returned future completes with the decision once it is durable, or exceptionally when it
     * cannot be made durable. A store that decides in memory decides, in the same atomic step, before this
     * method returns; a store whose database decides (PostgreSQL) makes the call on a thread of its own. For a
     * server that answers many callers on a few threads, which must not block while a commit is written.
     *
     * <p>The future may complete on the caller's thread, before this method returns, or on a thread of the
     * store; what depends on it must be quick and must not block. The default claims on the caller's thread
     * and returns a completed future, for stores whose decisions are durable when they are made.
     *
     * @throws IllegalArgumentException for a negative capacity or a TTL that is not positive, as {@link
     *     #claim} does
     */
    default CompletableFuture<ClaimResult> claimAsync(ClaimRequest request, int capacity, Instant now, Duration ttl) {
        ClaimResult result;
        try {
            result = claim(request, capacity, now, ttl);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw e;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.completedFuture(result);
    }

    /**
     * Releases the agent's seat as {@link #release} does, without making the caller wait until the release is
     * durable; see {@link #claimAsync} for when and where the future completes.
     *
     * @return a future of {@code true} when the agent held a live lease, {@code false} when it held none
     */
    default CompletableFuture<Boolean> releaseAsync(AgentId agent, Instant now) {
        boolean released;
        try {
            released = release(agent, now);
        } catch (NullPointerException e) {
            throw e;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.completedFuture(released);
    }

    /**
     * Releases as {@link #releaseAsync} does and tells how many seats remain in use: a future of the number of
     * live leases after the release when the agent held a live lease, of empty when it held none. The default
     * counts with {@link #inUse} once the release has completed, which suits a store that counts in memory; a
     * store whose count is a query of its database answers the count with the release instead, since what reports
     * the release runs where the future completes and must not wait there.
     */
    default CompletableFuture<OptionalInt> releaseCountedAsync(AgentId agent, Instant now) {
        return releaseAsync(agent, now)
                .thenApply(released -> released ? OptionalInt.of(inUse(now)) : OptionalInt.empty());
    }

    /** The live leases, earliest-claimed first. */
    List<Lease> leases(Instant now);

    /** The number of live leases. */
    int inUse(Instant now);

    /**
     * Removes the leases that have expired at {@code now}.
     *
     * @return the removed leases, earliest-claimed first
     */
    List<Lease> reap(Instant now);

    /** The number of denials ever recorded. */
    long denials();

    /**
     * The most recent denials.
     *
     * @param limit the most to return, not negative
     * @return the denials, newest first
     */
    List<Denial> recentDenials(int limit);
}
