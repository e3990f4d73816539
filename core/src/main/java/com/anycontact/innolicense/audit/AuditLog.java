package com.anycontact.innolicense.audit;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The audit log: an append-only record of what happened to the license, the seats and access. Nothing in
 * it is ever changed or removed through this port. Implementations are safe for use by many threads at
 * once.
 */
public interface AuditLog {

    /**
     * Appends an event. It is durable when this method returns, and gets an ID larger than that of every
     * event recorded before.
     *
     * @param at the trusted instant the event happened; stores may keep only whole milliseconds
     * @param actor who caused it, not blank; {@link AuditEvent#SYSTEM} for the server itself
     * @param type what happened
     * @param detail what exactly happened, for people
     */
    void record(Instant at, String actor, AuditEvent.Type type, String detail);

    /**
     * Appends an event as {@link #record} does, without making the caller wait until it is durable: for an
     * event that must not hold up an answer already decided (a denial answered on the thread that committed
     * it). The event is ordered by when this method was called, and every {@link #find} or {@link
     * #verifyChain} that begins after this method returned sees it. The returned future completes once the
     * event is durable, or exceptionally when writing it failed; it may complete on the caller's thread before
     * this method returns, or on a thread of the log, so what depends on it must be quick.
     *
     * <p>The default records on the caller's thread and returns a completed future, for logs that have no
     * writer of their own; arguments are checked as {@link #record} checks them, by throwing.
     */
    default CompletableFuture<Void> recordLater(Instant at, String actor, AuditEvent.Type type, String detail) {
        try {
            record(at, actor, type, detail);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw e;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * The events that match the query, newest (largest ID) first, at most {@link AuditQuery#limit()}.
     * Page backwards by passing the ID of the last event returned as {@link AuditQuery#beforeId()}.
     */
    List<AuditEvent> find(AuditQuery query);

    /**
     * Checks the whole hash chain ({@link AuditChain}) from the archive anchor to the head and names the first
     * entry that does not fit. Logs that keep no chain (test fakes) do not override it.
     *
     * @throws UnsupportedOperationException when this log keeps no chain
     */
    default AuditChainReport verifyChain() {
        throw new UnsupportedOperationException("this audit log keeps no hash chain");
    }
}
