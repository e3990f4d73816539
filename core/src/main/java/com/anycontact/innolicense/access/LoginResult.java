package com.anycontact.innolicense.access;

import java.time.Duration;
import java.util.Objects;

/** The outcome of a login attempt. */
public sealed interface LoginResult {

    /**
     * The username and password matched.
     *
     * @param principal the user who logged in
     */
    record LoggedIn(Principal principal) implements LoginResult {
        /** Requires a principal. */
        public LoggedIn {
            Objects.requireNonNull(principal, "principal");
        }
    }

    /**
     * The username or the password was wrong. Which of the two is not told: an unknown username
     * and a wrong password give this same result, after the same work.
     */
    record Refused() implements LoginResult {}

    /**
     * Too many failed logins for this username from this address, from this address, or on the whole
     * server ({@code LoginThrottle}): the attempt was not checked.
     *
     * @param retryAfter how long until the next attempt will be checked; round up to whole seconds
     *     for a {@code Retry-After} header
     */
    record Throttled(Duration retryAfter) implements LoginResult {
        /** Requires a positive duration. */
        public Throttled {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (retryAfter.isNegative() || retryAfter.isZero()) {
                throw new IllegalArgumentException("retryAfter must be positive, got " + retryAfter);
            }
        }
    }

    /**
     * As many passwords as the server checks at once were being checked already: the attempt was not checked
     * and not counted as a failure. Try again shortly.
     */
    record Busy() implements LoginResult {}
}
