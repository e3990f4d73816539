package com.anycontact.innolicense.client;

import java.time.Instant;
import java.util.Optional;

/**
 * A seat held by one agent, renewed by its {@link LicenseClient} in the background until it is closed or
 * lost. Closing it releases the seat (the agent logs out). Thread-safe.
 *
 * <p>A lease is <em>held</em> from the claim until {@link #close()} or a loss. When it is lost, the client
 * stops renewing it and tells its {@link LeaseListener}s once; a lost lease stays lost (claim again for a new
 * one).
 */
public interface Lease extends AutoCloseable {

    /** The agent holding the seat. */
    String agentId();

    /** The ACD node the server recorded for the agent, if any. */
    Optional<String> node();

    /** The station the server recorded for the agent, if any. */
    Optional<String> station();

    /** When the server granted this seat; a renewal that had to claim afresh moves it on. */
    Instant claimedAt();

    /** The expiry the server gave in its latest answer, by the server's clock; each renewal moves it on. */
    Instant expiresAt();

    /**
     * Whether the seat is held as far as this client knows: not closed, not lost, and its latest renewal
     * still covers the client's clock.
     */
    boolean isHeld();

    /** Why the lease was lost, or empty while it is held or after it was closed. */
    Optional<LeaseLoss> loss();

    /**
     * Adds a listener told if this lease is lost, after the client's default listener. Added to a lease that is
     * already lost, it is told at once (on the listener thread); added to a closed lease, it is never called.
     */
    void addListener(LeaseListener listener);

    /**
     * Stops renewing the seat <em>without</em> releasing it, as if this ACD node had crashed: the server keeps
     * the seat until the lease expires and then reaps it, unless a claim for the same agent (from any ACD node)
     * takes it over before. For handing an agent over to another node, and for simulating crashes; an agent
     * who logs out is released with {@link #close()}. Sends nothing (a renewal already sent may still move the
     * expiry on once), calls no listener, and leaves the seat out of {@link LicenseClient#close()}. Idempotent;
     * a lease already closed or lost stays as it is.
     */
    void abandon();

    /**
     * Releases the seat and stops renewing. Waits for a renewal in flight, then for the server's answer (at
     * most the request timeout each). Idempotent, and quiet: a lease the server no longer holds counts as
     * released, and when the server cannot be reached the failure is logged and the seat frees itself when
     * the lease expires. Listeners are not called.
     */
    @Override
    void close();
}
