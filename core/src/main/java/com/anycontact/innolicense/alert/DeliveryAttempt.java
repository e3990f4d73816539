package com.anycontact.innolicense.alert;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt to deliver an alert, as the delivery log of its subscription shows it.
 *
 * @param deliveryId the delivery
 * @param subscriptionId where to
 * @param alertId what
 * @param rule the alert's rule ({@link AlertRule#TEST} for a test event)
 * @param attempt 1 for the first attempt, 2 for the first retry, and so on
 * @param at when it was made
 * @param outcome how it ended
 * @param statusCode the HTTP status the receiver answered, or the SMTP reply code; empty when none came
 * @param error what went wrong, for people (never a secret); empty when delivered
 * @param nextAttemptAt when it is tried again, for {@link Outcome#FAILED}
 */
public record DeliveryAttempt(
        String deliveryId,
        String subscriptionId,
        String alertId,
        AlertRule rule,
        int attempt,
        Instant at,
        Outcome outcome,
        Optional<Integer> statusCode,
        Optional<String> error,
        Optional<Instant> nextAttemptAt) {

    /** How an attempt ended. */
    public enum Outcome {
        /** The receiver took it (HTTP 2xx, or the SMTP server accepted the message). */
        DELIVERED,
        /** It failed and will be tried again at {@code nextAttemptAt}. */
        FAILED,
        /** It failed and will not be tried again: a day of retries passed, or it was a test event. */
        GAVE_UP
    }

    /** Requires every field; an attempt number of at least 1; a next attempt exactly when it failed. */
    public DeliveryAttempt {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(statusCode, "statusCode");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
        }
        if (nextAttemptAt.isPresent() != (outcome == Outcome.FAILED)) {
            throw new IllegalArgumentException("a next attempt is due exactly when an attempt FAILED");
        }
    }
}
