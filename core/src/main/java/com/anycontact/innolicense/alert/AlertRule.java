package com.anycontact.innolicense.alert;

/**
 * What an alert is about: each rule is switched on or off by the administrator, some with a threshold ({@link
 * RuleSetting}); {@code docs/alerts.md} says when each fires and what its event key is, which makes it fire once.
 */
public enum AlertRule {
    /** The license in force ends within one of the configured numbers of days, and no renewal is lined up. */
    LICENSE_EXPIRING("license.expiring", "License expires soon"),
    /** The license ended and its grace period began. */
    GRACE_BEGAN("license.grace_began", "Grace period began"),
    /** The grace period ended without a new key: demo mode, two seats. */
    DEMO_BEGAN("license.demo_began", "Demo mode began"),
    /** A license key was applied. */
    KEY_APPLIED("license.key_applied", "License key applied"),
    /** A license key was rejected. */
    KEY_REJECTED("license.key_rejected", "License key rejected"),
    /** Seats in use stayed at or above a share of the capacity for a number of minutes. */
    USAGE_HIGH("seats.usage_high", "Seat use high"),
    /** A claim was denied because no seat was free; at most one alert per configured number of minutes. */
    DENIAL("seats.denied", "Claim denied"),
    /** The server's system clock stepped away from trusted time. */
    CLOCK_JUMP("server.clock_jumped", "Clock jumped"),
    /** A node of the cluster sent no heartbeat for a configured number of minutes; raised by the leader. */
    NODE_MISSING("cluster.node_missing", "Cluster node missing"),
    /** A node that {@link #NODE_MISSING} reported heartbeats again, or a node at its address started. */
    NODE_BACK("cluster.node_back", "Cluster node back"),
    /** A test event sent by an administrator to one subscription; not a rule one can switch. */
    TEST("alert.test", "Test event");

    private final String eventType;
    private final String title;

    AlertRule(String eventType, String title) {
        this.eventType = eventType;
        this.title = title;
    }

    /** The {@code type} of the webhook payload, e.g. {@code license.expiring}. */
    public String eventType() {
        return eventType;
    }

    /** A short title for people, e.g. the start of an e-mail subject. */
    public String title() {
        return title;
    }

    /** Whether an administrator switches this rule and sets its threshold ({@link #TEST} is not). */
    public boolean configurable() {
        return this != TEST;
    }
}
