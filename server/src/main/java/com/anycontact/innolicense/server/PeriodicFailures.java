package com.anycontact.innolicense.server;

import com.anycontact.innolicense.store.DatabaseUnreachableException;
import com.anycontact.innolicense.store.StoreUnavailableException;
import org.slf4j.Logger;

/** How the server's periodic work logs a failed turn, which the next turn tries again. */
final class PeriodicFailures {

    private PeriodicFailures() {}

    /**
     * Logs a failed turn with its cause, unless the failure is an outage that its store logs itself, once when it
     * starts and once when it ends: the cluster database cannot be reached (its circuit), or the database cannot
     * write (the embedded store's writer; the cluster database's write refusals, a full disk say). Each periodic
     * task's stack trace every second of such an outage would bury those two lines.
     */
    static void warnUnlessOutage(Logger log, String message, RuntimeException failure) {
        if (!(failure instanceof DatabaseUnreachableException) && !(failure instanceof StoreUnavailableException)) {
            log.warn(message, failure);
        }
    }
}
