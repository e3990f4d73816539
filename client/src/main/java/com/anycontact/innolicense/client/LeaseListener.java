package com.anycontact.innolicense.client;

/**
 * Told when a lease is lost, that is when the agent no longer holds a seat although nobody closed the
 * {@link Lease}. Closing a lease or the client is not a loss and is not reported.
 *
 * <p>Listeners run one at a time on the client's listener thread, never on the caller's thread and never
 * while the client holds a lock, so a listener may call the client (for example to claim again). Keep them
 * short: a slow listener delays the next. An exception thrown by a listener is logged and otherwise ignored.
 */
@FunctionalInterface
public interface LeaseListener {

    /**
     * Called once when {@code lease} is lost.
     *
     * @param lease the lost lease; {@link Lease#isHeld()} is already {@code false}
     * @param loss why it was lost
     */
    void leaseLost(Lease lease, LeaseLoss loss);
}
