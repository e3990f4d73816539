package com.anycontact.innolicense.store;

import java.time.Duration;
import java.util.Objects;

/**
 * The cluster database cannot be reached right now (PostgreSQL stopped, restarting or out of the network), so the
 * call was refused at once instead of waiting for it; the node notices when the database is back, within a second
 * or two, without a restart. The caller should try again after {@link #retryAfter()}. A refused call changed
 * nothing; a call whose connection broke while it ran may or may not have been made, which claims and releases
 * bear, being idempotent per agent.
 */
public final class DatabaseUnreachableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /**
     * A refusal.
     *
     * @param message what cannot be reached and why, for logs; no credentials
     * @param retryAfter when to try again, at least one second
     */
    public DatabaseUnreachableException(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** When to try again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
