package com.anycontact.innolicense.client;

/**
 * A claim was refused because no seat was free: a <em>denial</em>. The server counts and records it.
 *
 * <p>A checked exception on purpose: a denial is an expected outcome of every claim (a full contact center),
 * not a fault, and the compiler makes sure that each place that logs an agent in decides what the agent is
 * told. Failures of the server or the network are {@link LicenseServerException}s instead.
 */
public final class SeatDeniedException extends Exception {

    private final String agentId;
    private final int capacity;
    private final int inUse;

    SeatDeniedException(String agentId, int capacity, int inUse, String detail) {
        super(detail);
        this.agentId = agentId;
        this.capacity = capacity;
        this.inUse = inUse;
    }

    /** The agent that got no seat. */
    public String agentId() {
        return agentId;
    }

    /** The seats usable when the claim was refused, or -1 when the server did not say. */
    public int capacity() {
        return capacity;
    }

    /** The seats held when the claim was refused, or -1 when the server did not say. */
    public int inUse() {
        return inUse;
    }
}
