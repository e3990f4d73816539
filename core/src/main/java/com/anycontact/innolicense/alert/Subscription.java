package com.anycontact.innolicense.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * Where alerts go: a webhook URL or an e-mail address. Every alert that fires is delivered to every subscription
 * that exists then. A webhook's signing secret is kept by the store beside it and never part of this value.
 *
 * @param id a random ID, e.g. {@code sub_0a1b2c3d4e5f6a7b}
 * @param name what it is for, for people
 * @param channel how alerts are delivered
 * @param target the {@code https://} or {@code http://} URL, or the e-mail address
 * @param createdAt when it was created
 * @param createdBy who created it
 */
public record Subscription(
        String id, String name, Channel channel, String target, Instant createdAt, String createdBy) {

    /** How an alert reaches a subscription. */
    public enum Channel {
        /** An HTTP POST of a signed JSON body (Standard Webhooks). */
        WEBHOOK,
        /** An e-mail over the configured SMTP server. */
        EMAIL
    }

    /** Requires every field. */
    public Subscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
    }
}
