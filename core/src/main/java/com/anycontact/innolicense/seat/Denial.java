package com.anycontact.innolicense.seat;

import java.time.Instant;
import java.util.Objects;

/**
 * A recorded claim that found no free seat.
 *
 * @param agent the agent that was refused
 * @param at when the claim was refused
 * @param capacity the capacity at that moment
 * @param inUse the live leases at that moment
 */
public record Denial(AgentId agent, Instant at, int capacity, int inUse) {

    /** Requires the agent and the instant. */
    public Denial {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(at, "at");
    }
}
