package com.anycontact.innolicense.seat;

import java.util.Objects;

/** The outcome of a claim: a seat granted or kept, or the reason there is none. */
public sealed interface ClaimResult {

    /**
     * A new lease: the agent held no live seat and one was free.
     *
     * @param lease the new lease
     * @param inUse the live leases right after the grant, the new one included, as the store counted them to
     *     decide (so that whoever reports the grant need not ask the store again)
     */
    record Claimed(Lease lease, int inUse) implements ClaimResult {
        /** Requires a lease and at least that lease in use. */
        public Claimed {
            Objects.requireNonNull(lease, "lease");
            if (inUse < 1) {
                throw new IllegalArgumentException("a grant leaves at least its own lease in use, not " + inUse);
            }
        }
    }

    /**
     * The agent's live lease, renewed: same seat, later expiry.
     *
     * @param lease the lease with its new expiry
     */
    record Renewed(Lease lease) implements ClaimResult {
        /** Requires a lease. */
        public Renewed {
            Objects.requireNonNull(lease, "lease");
        }
    }

    /**
     * A denial: no seat was free. The store has recorded it.
     *
     * @param capacity the capacity the claim was checked against
     * @param inUse the live leases at that moment
     */
    record Denied(int capacity, int inUse) implements ClaimResult {}

    /**
     * A renewal refused because capacity dropped and the lease ranks beyond it; the lease has
     * been released in the same step.
     *
     * @param capacity the reduced capacity
     * @param inUse the live leases after this one was released
     */
    record CapacityReduced(int capacity, int inUse) implements ClaimResult {}
}
