package com.anycontact.innolicense.server;

import com.anycontact.innolicense.store.DatabaseUnreachableException;
import org.slf4j.Logger;

/** How the server's periodic work logs a failed turn, which the next turn tries again. */
final class PeriodicFailures {

    private PeriodicFailures() {}

    /**
     * Logs a failed turn with its cause, unless the cluster database cannot be reached: its circuit logs that
     * outage once when it starts and once when it ends, and each periodic task's stack trace every second of it
     * would bury those two lines.
     */
    static void warnUnlessDatabaseDown(Logger log, String message, RuntimeException failure) {
        if (!(failure instanceof DatabaseUnreachableException)) {
            log.warn(message, failure);
        }
    }
}
