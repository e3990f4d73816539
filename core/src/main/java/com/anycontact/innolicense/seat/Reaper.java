package com.anycontact.innolicense.seat;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Releases the leases of agents that stopped renewing, and reports them. Schedule {@link #run()}
 * at a fixed rate (every {@link SeatLedger#renewInterval()} suits); expired leases are free from
 * their expiry on whether or not the reaper has run, so its rate only bounds how long they stay
 * listed in the store.
 */
public final class Reaper implements Runnable {

    private static final System.Logger LOG = System.getLogger(Reaper.class.getName());

    private final SeatLedger ledger;
    private final Consumer<List<Lease>> reaped;

    /**
     * Creates a reaper.
     *
     * @param ledger the ledger to reap
     * @param reaped told of each non-empty batch of reaped leases, earliest-claimed first
     */
    public Reaper(SeatLedger ledger, Consumer<List<Lease>> reaped) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.reaped = Objects.requireNonNull(reaped, "reaped");
    }

    /**
     * Reaps once and reports the leases removed.
     *
     * @return the leases removed, earliest-claimed first
     */
    public List<Lease> reap() {
        List<Lease> leases = ledger.reap();
        if (!leases.isEmpty()) {
            reaped.accept(leases);
        }
        return leases;
    }

    /**
     * Reaps once, as {@link #reap()}, but logs a failure instead of throwing it, so that a
     * scheduled executor keeps running the reaper after a passing store failure.
     */
    @Override
    public void run() {
        try {
            reap();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reaping expired leases failed; will try again at the next run", e);
        }
    }
}
