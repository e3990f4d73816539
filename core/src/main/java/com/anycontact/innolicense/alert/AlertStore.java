package com.anycontact.innolicense.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where alerts, their rules, subscriptions and deliveries are kept: the one arbiter of "exactly once". An alert
 * is inserted only if no alert with its event key exists ({@link #fire}), in one atomic step, so that of two
 * nodes (or a node before and after a restart) that see the same event only one fires it; its deliveries, one
 * per subscription, are created in the same step, so an alert fired is an alert that will be delivered.
 * Implementations are safe for use by many threads and many nodes at once.
 */
public interface AlertStore {

    /** The rules an administrator has set; a rule never set is absent (its defaults apply). */
    List<RuleSetting> rules();

    /**
     * Keeps a rule's setting, replacing the one before.
     *
     * @param at when it was set
     * @param actor who set it
     */
    void saveRule(RuleSetting setting, Instant at, String actor);

    /**
     * Fires an alert unless one with its event key exists: inserts it with one pending delivery, due at {@code
     * alert.firedAt()}, for every subscription there is that {@linkplain Subscription#takes takes} its rule.
     * Atomic: of concurrent calls with one key, one returns true.
     *
     * @return whether it was inserted; false when its event had fired already
     */
    boolean fire(Alert alert);

    /**
     * Fires an alert as {@link #fire} does, but only when the gate named {@code gate} last let one through at
     * least {@code gap} before {@code alert.firedAt()}, or never; passing the gate and inserting the alert are one
     * atomic step, so that across nodes at most one alert per {@code gap} passes.
     *
     * @return whether it was inserted
     */
    boolean fireThrottled(Alert alert, String gate, Duration gap);

    /**
     * The start of the episode named {@code name}, which began at {@code now} unless it is under way already:
     * insert-if-absent, so every node and every restart sees the same start.
     */
    Instant episodeSince(String name, Instant now);

    /** Ends the episode named {@code name}, if one is under way. */
    void endEpisode(String name);

    /** The alerts fired, newest first, at most {@code limit}. */
    List<Alert> recent(int limit);

    /**
     * Keeps a new subscription.
     *
     * @param secret a webhook's signing secret ({@code whsec_…}); empty for e-mail
     */
    void createSubscription(Subscription subscription, Optional<String> secret);

    /**
     * Changes which rules' alerts a subscription takes, from the next alert fired on.
     *
     * @param rules the rules it takes; empty for every rule
     * @return whether the subscription exists
     */
    boolean setSubscriptionRules(String id, Optional<Set<AlertRule>> rules);

    /** Every subscription, oldest first. */
    List<Subscription> subscriptions();

    /** The subscription with this ID. */
    Optional<Subscription> subscription(String id);

    /** The signing secret of a webhook subscription; empty for e-mail or an unknown ID. */
    Optional<String> secret(String subscriptionId);

    /**
     * Removes a subscription with its pending deliveries and its delivery log.
     *
     * @return whether it existed
     */
    boolean deleteSubscription(String id);

    /**
     * Takes up to {@code limit} pending deliveries due at {@code now}, earliest first, and holds them for {@code
     * hold}: no other caller takes them until the hold ends or {@link #recordAttempt} records their attempt. So a
     * delivery is sent by one node at a time, and one that a crashed node held is taken again after the hold.
     */
    List<Delivery> takeDue(Instant now, int limit, Duration hold);

    /**
     * Logs an attempt in the delivery log of its subscription and, when a delivery with its ID is pending,
     * updates it: delivered, given up, or due again at {@link DeliveryAttempt#nextAttemptAt()} (and no longer
     * held). A test event's attempt, which has no delivery, is only logged.
     */
    void recordAttempt(DeliveryAttempt attempt);

    /** The delivery log of a subscription, newest first, at most {@code limit}. */
    List<DeliveryAttempt> attempts(String subscriptionId, int limit);

    /** The SMTP settings, without the password; empty until set. */
    Optional<SmtpSettings> smtp();

    /**
     * Keeps the SMTP settings ({@link SmtpSettings#passwordSet()} is ignored).
     *
     * @param password empty to keep the stored password; a value to replace it; an empty string to remove it
     */
    void saveSmtp(SmtpSettings settings, Optional<String> password);

    /** The stored SMTP password; empty when none is. */
    Optional<String> smtpPassword();

    /**
     * Removes what is older than {@code before} and done with, in one transaction: the delivery log's attempts
     * made before it (a test event's too), the deliveries due before it that were delivered or given up, and the
     * alerts fired before it none of whose deliveries is left. A delivery still being retried is kept, with its
     * attempts and its alert. The newest alert of each rule is kept whatever its age: a condition that still
     * holds (demo mode for months, a long high-use episode, the tightest expiry warning) fires once because its
     * event key is stored, and would fire again if its alert were gone.
     *
     * @return how many rows of each kind were removed
     */
    Pruned prune(Instant before);

    /**
     * What {@link #prune} removed.
     *
     * @param alerts alerts
     * @param deliveries deliveries
     * @param attempts attempts of the delivery log
     */
    record Pruned(int alerts, int deliveries, int attempts) {

        /** Whether anything was removed. */
        public boolean any() {
            return alerts + deliveries + attempts > 0;
        }
    }
}
