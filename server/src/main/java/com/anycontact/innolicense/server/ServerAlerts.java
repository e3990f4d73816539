package com.anycontact.innolicense.server;

import com.anycontact.innolicense.alert.AlertDispatcher;
import com.anycontact.innolicense.alert.AlertMonitor;
import com.anycontact.innolicense.alert.AlertService;
import com.anycontact.innolicense.alert.AlertStore;
import com.anycontact.innolicense.alert.AlertingAuditLog;
import com.anycontact.innolicense.alert.EmailChannel;
import com.anycontact.innolicense.alert.RuleBook;
import com.anycontact.innolicense.alert.Subscription;
import com.anycontact.innolicense.alert.WebhookChannel;
import com.anycontact.innolicense.cluster.ClusterNode;
import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.LicenseStatus;
import com.anycontact.innolicense.license.TrustedClock;
import com.anycontact.innolicense.seat.SeatChange;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts of one server node, wired: the {@link AlertMonitor} that the server's tick and its seat changes
 * feed, the audit log that raises the alerts of key and clock events, the {@link AlertDispatcher} that delivers
 * on a thread of its own every {@link #DELIVERY_EVERY} (a slow receiver never delays the tick), and the {@link
 * AlertService} that the API serves. docs/alerts.md describes all of it.
 */
final class ServerAlerts implements AutoCloseable {

    /** How often due deliveries are sent. */
    static final Duration DELIVERY_EVERY = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(ServerAlerts.class);

    private final AlertMonitor monitor;
    private final AlertDispatcher dispatcher;
    private final AlertService service;
    private ScheduledExecutorService deliveries;

    private ServerAlerts(AlertMonitor monitor, AlertDispatcher dispatcher, AlertService service) {
        this.monitor = monitor;
        this.dispatcher = dispatcher;
        this.service = service;
    }

    /**
     * Wires the alerts over the store and starts raising the audit log's alerts.
     *
     * @param store where alerts live
     * @param audit the server's audit log, which raises the alerts of key and clock events from now on
     * @param clock trusted time
     * @param installation this installation's ID, part of every alert
     */
    static ServerAlerts wire(
            AlertStore store, AlertingAuditLog audit, TrustedClock clock, InstallationId installation) {
        RuleBook rules = new RuleBook(store, clock);
        AlertMonitor monitor = new AlertMonitor(store, rules, clock, installation.toString());
        AlertDispatcher dispatcher = new AlertDispatcher(
                store,
                Map.of(
                        Subscription.Channel.WEBHOOK, new WebhookChannel(store),
                        Subscription.Channel.EMAIL, new EmailChannel(store)),
                clock);
        AlertService service = new AlertService(store, rules, dispatcher, audit, clock, installation.toString());
        audit.alertTo(monitor);
        return new ServerAlerts(monitor, dispatcher, service);
    }

    /** What the API serves. */
    AlertService service() {
        return service;
    }

    /** Checks the rules; the server's tick calls this once a second. */
    void tick(LicenseStatus status, int inUse) {
        monitor.tick(status, inUse);
    }

    /**
     * Checks the cluster's node registry for missing nodes while this node leads, and forgets what it saw when
     * it does not; the server's tick calls this once a second on a cluster database.
     */
    void checkNodes(boolean leads, List<ClusterNode> nodes) {
        if (leads) {
            monitor.checkNodes(nodes);
        } else {
            monitor.stopCheckingNodes();
        }
    }

    /** Notes a denial for the next tick; cheap, on the claim's thread. */
    void denied(SeatChange.Denied denied) {
        monitor.denied(denied.agent().value(), denied.at(), denied.inUse(), denied.capacity());
    }

    /** Sends what is due now, on the calling thread; for tests. */
    int deliverDue() {
        return dispatcher.deliverDue();
    }

    /** Starts delivering every {@link #DELIVERY_EVERY} on a thread of its own. */
    synchronized void start() {
        if (deliveries != null) {
            return;
        }
        deliveries = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("innolicense-alerts").daemon(true).factory());
        deliveries.scheduleWithFixedDelay(
                dispatcher, DELIVERY_EVERY.toMillis(), DELIVERY_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops delivering; a delivery in progress may finish within the channel's timeout, or is tried again later. */
    @Override
    public synchronized void close() {
        if (deliveries == null) {
            return;
        }
        deliveries.shutdownNow();
        try {
            if (!deliveries.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("alert delivery did not stop within 5 s; what it was sending is sent again after the hold");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
