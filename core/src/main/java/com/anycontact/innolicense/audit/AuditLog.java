package com.anycontact.innolicense.audit;

import java.time.Instant;
import java.util.List;

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
