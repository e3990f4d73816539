package com.anycontact.innolicense.access;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The {@link LoginThrottle}'s global failure budget: how many failures may still be counted, and when it was last
 * refilled.
 *
 * @param left failures left, {@code 0} to {@link LoginThrottle#GLOBAL_BUDGET}; fractions accumulate the refill
 * @param readAt when it was last refilled; it never moves back, so that nodes whose clocks disagree cannot refill
 *     the same interval twice
 */
public record LoginBudget(double left, Instant readAt) {

    /** A full budget, never read. */
    public static final LoginBudget FULL = new LoginBudget(LoginThrottle.GLOBAL_BUDGET, Instant.EPOCH);

    /** Requires every component. */
    public LoginBudget {
        Objects.requireNonNull(readAt, "readAt");
    }

    /** This budget refilled by one failure per {@link LoginThrottle#GLOBAL_REFILL} from {@code readAt} to now. */
    LoginBudget refilledAt(Instant now) {
        if (!now.isAfter(readAt)) {
            return this;
        }
        double refill = (double) Duration.between(readAt, now).toNanos() / LoginThrottle.GLOBAL_REFILL.toNanos();
        return new LoginBudget(Math.min(LoginThrottle.GLOBAL_BUDGET, left + refill), now);
    }
}
