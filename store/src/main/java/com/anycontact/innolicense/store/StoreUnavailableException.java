package com.anycontact.innolicense.store;

import java.time.Duration;
import java.util.Objects;

/**
 * The store cannot make a decision durable right now (the disk is full, another process holds the database's
 * write lock, a commit failed) and refuses it instead of making it; it retries on its own and answers again
 * once it can write. The caller should try again after {@link #retryAfter()}. Nothing was decided: no lease
 * was granted, renewed or released by the refused call.
 */
public final class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /**
     * A refusal.
     *
     * @param message what cannot be written and why, for people; no internals beyond the cause's message
     * @param retryAfter when to try again, at least one second
     */
    public StoreUnavailableException(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** When to try again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
