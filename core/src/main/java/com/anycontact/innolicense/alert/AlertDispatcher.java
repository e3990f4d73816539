package com.anycontact.innolicense.alert;

import com.anycontact.innolicense.store.DatabaseUnreachableException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Delivers the alerts that fired: takes the deliveries that are due from the {@link AlertStore} (held, so that
 * no other node sends them at the same time), sends each once through its channel, and records the attempt:
 * delivered, or due again on the {@link RetrySchedule}, or given up after a day. The deliveries live in the
 * store, so retries survive a restart and a delivery a crashed node held is taken again after {@link #HOLD}.
 * Delivery is at least once: a receiver drops a repeat by its {@code webhook-id}. A delivery whose subscription
 * stopped taking its rule after the alert fired is not sent; its log says so.
 *
 * <p>The server runs {@link #run()} every few seconds on a thread of its own, since a receiver may take up to
 * the channel's timeout to answer.
 */
public final class AlertDispatcher implements Runnable {

    /** How long a taken delivery is held for this node before another may take it. */
    public static final Duration HOLD = Duration.ofMinutes(5);

    /** How many deliveries one run takes at most. */
    public static final int BATCH = 10;

    private static final System.Logger LOG = System.getLogger(AlertDispatcher.class.getName());

    private final AlertStore store;
    private final Map<Subscription.Channel, AlertChannel> channels;
    private final InstantSource clock;

    /**
     * A dispatcher over the store.
     *
     * @param store where the deliveries are
     * @param channels how each kind of subscription is sent to; every {@link Subscription.Channel} needs one
     * @param clock trusted time, which dates the attempts and the retries
     */
    public AlertDispatcher(AlertStore store, Map<Subscription.Channel, AlertChannel> channels, InstantSource clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.channels = new EnumMap<>(channels);
        for (Subscription.Channel channel : Subscription.Channel.values()) {
            if (!this.channels.containsKey(channel)) {
                throw new IllegalArgumentException("no channel for " + channel);
            }
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Sends every delivery due now, a batch at a time, and records each attempt.
     *
     * @return how many attempts were made
     */
    public int deliverDue() {
        int made = 0;
        List<Delivery> due;
        do {
            due = store.takeDue(clock.instant(), BATCH, HOLD);
            for (Delivery delivery : due) {
                store.recordAttempt(attempt(delivery));
                made++;
            }
        } while (due.size() == BATCH);
        return made;
    }

    /** Delivers what is due, as {@link #deliverDue()}, logging a failure of the store instead of throwing it. */
    @Override
    public void run() {
        try {
            deliverDue();
        } catch (DatabaseUnreachableException e) {
            // the cluster database's circuit logs its outage, once; the next turn delivers what is due
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "delivering alerts failed; will try again shortly", e);
        }
    }

    /**
     * Sends a test event to one subscription now, once, without retries, and logs the attempt in its delivery
     * log.
     *
     * @param subscription where to
     * @param actor who asked, named in the event
     * @param installationId this installation's ID, part of the event
     */
    public DeliveryAttempt sendTest(Subscription subscription, String actor, String installationId) {
        Instant now = clock.instant();
        String alertId = AlertMonitor.newId();
        Alert alert = new Alert(
                alertId,
                "test:" + alertId,
                AlertRule.TEST,
                now,
                "A test event sent by " + actor + " to the subscription '" + subscription.name()
                        + "'; no action is needed.",
                Map.of("installationId", installationId, "sentBy", actor));
        Delivery delivery = new Delivery(Delivery.idOf(alert, subscription), alert, subscription, 0, now);
        AlertChannel.Outcome outcome = send(delivery, now);
        DeliveryAttempt attempt = new DeliveryAttempt(
                delivery.id(),
                subscription.id(),
                alertId,
                AlertRule.TEST,
                1,
                now,
                outcome.delivered() ? DeliveryAttempt.Outcome.DELIVERED : DeliveryAttempt.Outcome.GAVE_UP,
                outcome.statusCode(),
                outcome.error(),
                Optional.empty());
        store.recordAttempt(attempt);
        return attempt;
    }

    private DeliveryAttempt attempt(Delivery delivery) {
        Instant now = clock.instant();
        AlertRule rule = delivery.alert().rule();
        if (!delivery.subscription().takes(rule)) {
            return new DeliveryAttempt(
                    delivery.id(),
                    delivery.subscription().id(),
                    delivery.alert().id(),
                    rule,
                    delivery.attempts() + 1,
                    now,
                    DeliveryAttempt.Outcome.GAVE_UP,
                    Optional.empty(),
                    Optional.of("not sent: the subscription stopped taking " + rule + " alerts after this one fired"),
                    Optional.empty());
        }
        AlertChannel.Outcome outcome = send(delivery, now);
        int number = delivery.attempts() + 1;
        DeliveryAttempt.Outcome result;
        Optional<Instant> next = Optional.empty();
        if (outcome.delivered()) {
            result = DeliveryAttempt.Outcome.DELIVERED;
        } else {
            next = RetrySchedule.next(number, delivery.firstDueAt());
            while (next.isPresent() && next.get().isBefore(now)) {
                // the server was down past some retries: skip them, never send a burst
                number++;
                next = RetrySchedule.next(number, delivery.firstDueAt());
            }
            result = next.isPresent() ? DeliveryAttempt.Outcome.FAILED : DeliveryAttempt.Outcome.GAVE_UP;
            LOG.log(
                    Level.INFO,
                    "delivering alert " + delivery.alert().id() + " to subscription "
                            + delivery.subscription().id()
                            + " failed (attempt " + (delivery.attempts() + 1) + "): "
                            + outcome.error().orElse("")
                            + next.map(at -> "; next attempt at " + at).orElse("; giving up"));
        }
        return new DeliveryAttempt(
                delivery.id(),
                delivery.subscription().id(),
                delivery.alert().id(),
                delivery.alert().rule(),
                delivery.attempts() + 1,
                now,
                result,
                outcome.statusCode(),
                outcome.error(),
                next);
    }

    private AlertChannel.Outcome send(Delivery delivery, Instant now) {
        try {
            return channels.get(delivery.subscription().channel()).send(delivery, now.getEpochSecond());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the " + delivery.subscription().channel() + " channel failed", e);
            return AlertChannel.Outcome.failed(Optional.empty(), "the server failed to send it; its log has details");
        }
    }
}
