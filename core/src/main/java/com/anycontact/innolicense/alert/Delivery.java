package com.anycontact.innolicense.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * One alert on its way to one subscription, as the store hands it to be sent: its ID is the same on every
 * attempt (a webhook's {@code webhook-id}, by which a receiver drops a repeat).
 *
 * @param id the delivery's ID, {@code msg_} followed by the alert's and the subscription's IDs
 * @param alert what is delivered
 * @param subscription where to
 * @param attempts how many attempts were made before this one
 * @param firstDueAt when it was first due: the retries stop a day after it ({@link RetrySchedule})
 */
public record Delivery(String id, Alert alert, Subscription subscription, int attempts, Instant firstDueAt) {

    /** Requires every field. */
    public Delivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(firstDueAt, "firstDueAt");
    }

    /** The ID of the delivery of {@code alert} to {@code subscription}. */
    public static String idOf(Alert alert, Subscription subscription) {
        return idOf(alert.id(), subscription.id());
    }

    /** The ID of the delivery of the alert with ID {@code alertId} to the subscription {@code subscriptionId}. */
    public static String idOf(String alertId, String subscriptionId) {
        return "msg_" + alertId + "_" + subscriptionId;
    }
}
