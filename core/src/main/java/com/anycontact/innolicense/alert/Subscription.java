package com.anycontact.innolicense.alert;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where alerts go: a webhook URL or an e-mail address, and which rules' alerts it takes. An alert that fires is
 * delivered to every subscription that exists then and takes its rule. A webhook's signing secret is kept by the
 * store beside it and never part of this value.
 *
 * @param id a random ID, e.g. {@code sub_0a1b2c3d4e5f6a7b}
 * @param name what it is for, for people
 * @param channel how alerts are delivered
 * @param target the {@code https://} or {@code http://} URL, or the e-mail address
 * @param createdAt when it was created
 * @param createdBy who created it
 * @param rules the rules whose alerts it takes, none of them {@link AlertRule#TEST}; empty for every rule,
 *     including rules a later release adds
 */
public record Subscription(
        String id,
        String name,
        Channel channel,
        String target,
        Instant createdAt,
        String createdBy,
        Optional<Set<AlertRule>> rules) {

    /** How an alert reaches a subscription. */
    public enum Channel {
        /** An HTTP POST of a signed JSON body (Standard Webhooks). */
        WEBHOOK,
        /** An e-mail over the configured SMTP server. */
        EMAIL
    }

    /** Requires every field and, when rules are named, at least one configurable rule; keeps them unmodifiable. */
    public Subscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(rules, "rules");
        if (rules.isPresent()) {
            if (rules.get().isEmpty() || rules.get().stream().anyMatch(rule -> !rule.configurable())) {
                throw new IllegalArgumentException("a subscription names one or more configurable rules, or none for"
                        + " all; was " + rules.get());
            }
            rules = Optional.of(Collections.unmodifiableSet(EnumSet.copyOf(rules.get())));
        }
    }

    /** A subscription that takes every rule's alerts. */
    public Subscription(String id, String name, Channel channel, String target, Instant createdAt, String createdBy) {
        this(id, name, channel, target, createdAt, createdBy, Optional.empty());
    }

    /** Whether an alert of this rule is delivered to it: a rule it takes, or a test event. */
    public boolean takes(AlertRule rule) {
        return rule == AlertRule.TEST || rules.isEmpty() || rules.get().contains(rule);
    }

    /** The rules it takes now, in the order of {@link AlertRule}. */
    public Set<AlertRule> rulesTaken() {
        return rules.orElseGet(() -> Collections.unmodifiableSet(EnumSet.copyOf(Arrays.stream(AlertRule.values())
                .filter(AlertRule::configurable)
                .toList())));
    }

    /**
     * The rules as one text for a store's column: their names, comma-separated, e.g. {@code USAGE_HIGH,DENIAL};
     * {@code null} (SQL NULL) for every rule.
     */
    public static String encodeRules(Optional<Set<AlertRule>> rules) {
        return rules.map(taken ->
                        String.join(",", taken.stream().map(AlertRule::name).toList()))
                .orElse(null);
    }

    /**
     * The rules {@link #encodeRules} wrote; a name this release does not know (written by a later one) is left
     * out, and a text naming none it knows takes every rule.
     */
    public static Optional<Set<AlertRule>> decodeRules(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Set<AlertRule> taken = EnumSet.noneOf(AlertRule.class);
        for (String name : text.split(",")) {
            Arrays.stream(AlertRule.values())
                    .filter(AlertRule::configurable)
                    .filter(rule -> rule.name().equals(name.strip()))
                    .forEach(taken::add);
        }
        return taken.isEmpty() ? Optional.empty() : Optional.of(taken);
    }

    /** This subscription taking other rules' alerts. */
    public Subscription withRules(Optional<Set<AlertRule>> taken) {
        return new Subscription(id, name, channel, target, createdAt, createdBy, taken);
    }
}
