package com.anycontact.innolicense.seat;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A change of who holds a seat, or a claim refused, as {@link ObservedSeatStore} reports it: each with the
 * number of live leases right after it. Renewals are not changes.
 */
public sealed interface SeatChange {

    /** When it happened, by trusted time. */
    Instant at();

    /** The live leases right after it. */
    int inUse();

    /**
     * A new lease.
     *
     * @param lease the lease granted
     * @param inUse the live leases right after it
     * @param capacity the capacity it was granted against
     */
    record Claimed(Lease lease, int inUse, int capacity) implements SeatChange {
        /** Requires the lease. */
        public Claimed {
            Objects.requireNonNull(lease, "lease");
        }

        @Override
        public Instant at() {
            return lease.claimedAt();
        }
    }

    /**
     * A lease released by its holder.
     *
     * @param agent whose lease it was
     * @param at when it was released
     * @param inUse the live leases right after it
     */
    record Released(AgentId agent, Instant at, int inUse) implements SeatChange {
        /** Requires the agent and the instant. */
        public Released {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * Expired leases removed by the reaper.
     *
     * @param leases the leases removed, earliest-claimed first
     * @param at when they were removed
     * @param inUse the live leases right after it
     */
    record Reaped(List<Lease> leases, Instant at, int inUse) implements SeatChange {
        /** Requires the instant; copies the leases. */
        public Reaped {
            leases = List.copyOf(leases);
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * A claim denied because no seat was free.
     *
     * @param agent who was refused
     * @param at when
     * @param inUse the live leases at that moment
     * @param capacity the capacity it was checked against
     */
    record Denied(AgentId agent, Instant at, int inUse, int capacity) implements SeatChange {
        /** Requires the agent and the instant. */
        public Denied {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * A renewal refused because capacity dropped beneath the lease, which was released.
     *
     * @param agent whose lease was released
     * @param at when
     * @param inUse the live leases right after it
     * @param capacity the reduced capacity
     */
    record CapacityReduced(AgentId agent, Instant at, int inUse, int capacity) implements SeatChange {
        /** Requires the agent and the instant. */
        public CapacityReduced {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(at, "at");
        }
    }
}
