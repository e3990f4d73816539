package com.anycontact.innolicense.alert;

import com.anycontact.innolicense.cluster.ClusterNode;
import com.anycontact.innolicense.cluster.NodeRegistry;
import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.LicenseState;
import com.anycontact.innolicense.license.LicenseStatus;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides when an alert fires. Two kinds of rules:
 *
 * <ul>
 *   <li>Conditions, checked at every {@link #tick} (the server ticks once a second): the license ends within N
 *       days, grace or demo mode began, use is high. Each occurrence has an event key made of what it is about
 *       (the license and serial, the threshold crossed, the start of the episode), so however many ticks, nodes
 *       and restarts see it, the store inserts it once ({@link AlertStore#fire}).
 *   <li>Events, reported as they happen: a key applied or rejected, a clock jump ({@link #raise}, with a random
 *       key: each report is one event), and denials ({@link #denied}, noted in memory and fired at the next tick
 *       through the store's throttle gate, so that a claim never waits for the database and at most one denial
 *       alert per configured number of minutes fires across all nodes).
 * </ul>
 *
 * <p>On a cluster, the leader also checks the node registry ({@link #checkNodes}): a node missing for the
 * configured minutes raises {@link AlertRule#NODE_MISSING}, and its return {@link AlertRule#NODE_BACK}; each
 * outage is an episode in the store, so a new leader carries on the old one's count and fires under the same key.
 *
 * <p>A restart in the middle of an episode of high use continues it: the episode's start is kept in the store
 * ({@link AlertStore#episodeSince}). The keys fired by this process are remembered in memory too, so a
 * condition that holds for days costs one insert, not one a second.
 *
 * <p>Concurrency: {@link #tick} runs on the server's scheduler; {@link #raise} on the thread of the event
 * (a request, the scheduler); {@link #denied} on a claim's thread and only sets a reference.
 */
public final class AlertMonitor {

    private static final System.Logger LOG = System.getLogger(AlertMonitor.class.getName());
    private static final String USAGE_EPISODE = "usage-high";
    private static final String DENIAL_GATE = "denial";
    private static final int REMEMBERED_KEYS = 1_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AlertStore store;
    private final RuleBook rules;
    private final InstantSource clock;
    private final String installationId;
    private final Set<String> fired = new HashSet<>();
    private final AtomicReference<DenialSeen> denial = new AtomicReference<>();
    private Optional<Instant> usageHighSince;
    private boolean usageKnown;
    private final Map<String, Outage> outages = new HashMap<>();
    private boolean checkingNodes;

    /** A denial noted for the next tick. */
    private record DenialSeen(String agent, Instant at, int inUse, int capacity) {}

    /** A node seen missing by this leader, and since when it counts as missing (the episode's start). */
    private record Outage(ClusterNode node, Instant since) {}

    /**
     * A monitor over the store.
     *
     * @param store where alerts are fired, once per event key
     * @param rules the rules in force
     * @param clock trusted time, which dates the alerts
     * @param installationId this installation's ID, part of every alert
     */
    public AlertMonitor(AlertStore store, RuleBook rules, InstantSource clock, String installationId) {
        this.store = Objects.requireNonNull(store, "store");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.installationId = Objects.requireNonNull(installationId, "installationId");
        this.usageHighSince = Optional.empty();
    }

    /** A new alert ID, {@code alrt_} and 64 random bits in hex. */
    public static String newId() {
        byte[] bits = new byte[8];
        RANDOM.nextBytes(bits);
        return "alrt_" + HexFormat.of().formatHex(bits);
    }

    /**
     * Checks the conditions against the license status and the seats in use, and fires the denial noted since
     * the last tick. Each rule fails on its own: a failure is logged and the next tick tries again.
     *
     * @param status the license status now; its {@code evaluatedAt} is the instant of the check
     * @param inUse the live leases now
     */
    public synchronized void tick(LicenseStatus status, int inUse) {
        Instant now = status.evaluatedAt();
        guarded("license expiry", () -> checkExpiry(status, now));
        guarded("grace and demo mode", () -> checkLapse(status, now));
        guarded("high use", () -> checkUsage(status, inUse, now));
        guarded("denials", () -> fireDenial());
    }

    /**
     * Checks the cluster's node registry; the leader calls this at every tick, and only the leader. A node that the
     * registry shows as missing (no heartbeat for {@link NodeRegistry#MISSING_AFTER}, by the database's clock)
     * starts an outage, an episode in the store; once it has lasted the {@link AlertRule#NODE_MISSING} rule's
     * minutes, by this node's trusted clock, that rule fires, keyed by the node and the outage's start, so that
     * however many leaders follow one another it fires once. When the node heartbeats again, or it is gone from
     * the registry and a node at its address serves (it restarted, with a new ID), the outage ends, and {@link
     * AlertRule#NODE_BACK} fires if the outage had lasted long enough to be reported. A node that left the
     * registry otherwise (stopped cleanly, or dropped after {@link NodeRegistry#DROPPED_AFTER}) ends its outage
     * without an alert. An empty list (the registry could not be read) changes nothing.
     *
     * @param nodes the registry's nodes now, this leader among them
     */
    public synchronized void checkNodes(List<ClusterNode> nodes) {
        if (nodes.isEmpty()) {
            return;
        }
        guarded("cluster nodes", () -> checkRegistry(nodes, clock.instant()));
    }

    /** Forgets the outages seen, when this node does not lead: the next leader checks the registry afresh. */
    public synchronized void stopCheckingNodes() {
        outages.clear();
        checkingNodes = false;
    }

    private void checkRegistry(List<ClusterNode> nodes, Instant now) {
        RuleSetting missingRule = rules.setting(AlertRule.NODE_MISSING);
        Duration bound = Duration.ofMinutes(missingRule.minutes());
        Set<String> listed = new HashSet<>();
        for (ClusterNode node : nodes) {
            listed.add(node.id());
            String episode = outageEpisode(node.id());
            if (node.missing()) {
                Instant since = outages.containsKey(node.id())
                        ? outages.get(node.id()).since()
                        : store.episodeSince(episode, now);
                outages.put(node.id(), new Outage(node, since));
                if (missingRule.enabled() && !now.isBefore(since.plus(bound))) {
                    fireMissing(node, since, missingRule.minutes(), now);
                }
            } else if (outages.containsKey(node.id())) {
                Outage outage = outages.remove(node.id());
                store.endEpisode(episode);
                fireBack(outage, node, now, bound, missingRule.enabled());
            } else if (!checkingNodes) {
                // an outage another leader saw may have ended while it led: start the next one afresh
                store.endEpisode(episode);
            }
        }
        for (Iterator<Outage> gone = outages.values().iterator(); gone.hasNext(); ) {
            Outage outage = gone.next();
            if (listed.contains(outage.node().id())) {
                continue;
            }
            gone.remove();
            store.endEpisode(outageEpisode(outage.node().id()));
            nodes.stream()
                    .filter(node -> !node.missing()
                            && node.address().equals(outage.node().address()))
                    .findFirst()
                    .ifPresent(successor -> fireBack(outage, successor, now, bound, missingRule.enabled()));
        }
        checkingNodes = true;
    }

    private void fireMissing(ClusterNode node, Instant since, int minutes, Instant now) {
        Map<String, String> facts = nodeFacts(node);
        facts.put("missingSince", since.toString());
        facts.put("minutes", Integer.toString(minutes));
        fire(
                AlertRule.NODE_MISSING,
                "node-missing:" + node.id() + ":" + since.toEpochMilli(),
                now,
                "Cluster node " + node.address() + " (" + node.id() + ") has sent no heartbeat since "
                        + node.lastSeen() + " and has been missing for " + minutes + " minutes or more; the other"
                        + " nodes serve on. Check whether its process runs and reaches the cluster database.",
                facts);
    }

    private void fireBack(Outage outage, ClusterNode node, Instant now, Duration bound, boolean missingReported) {
        if (!missingReported
                || now.isBefore(outage.since().plus(bound))
                || !rules.setting(AlertRule.NODE_BACK).enabled()) {
            return;
        }
        Map<String, String> facts = nodeFacts(outage.node());
        facts.put("missingSince", outage.since().toString());
        facts.put("backNodeId", node.id());
        boolean restarted = !node.id().equals(outage.node().id());
        fire(
                AlertRule.NODE_BACK,
                "node-back:" + outage.node().id() + ":" + outage.since().toEpochMilli(),
                now,
                "Cluster node " + outage.node().address() + " is back"
                        + (restarted ? ", restarted as node " + node.id() : ", heartbeating again")
                        + "; it had been missing since " + outage.since() + ".",
                facts);
    }

    private Map<String, String> nodeFacts(ClusterNode node) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("installationId", installationId);
        facts.put("nodeId", node.id());
        facts.put("address", node.address());
        facts.put("lastSeen", node.lastSeen().toString());
        return facts;
    }

    private static String outageEpisode(String nodeId) {
        return "node-missing:" + nodeId;
    }

    /**
     * Fires an alert for an event that happened once, now: a key applied or rejected, or a clock jump. Nothing
     * happens when the rule is off.
     *
     * @param rule the rule
     * @param summary one sentence for people
     * @param facts the details
     * @return whether it fired
     */
    public boolean raise(AlertRule rule, String summary, Map<String, String> facts) {
        if (!rules.setting(rule).enabled()) {
            return false;
        }
        return fire(rule, rule.eventType() + ":" + newId(), clock.instant(), summary, facts);
    }

    /**
     * Notes a denied claim, to be fired at the next tick when the denial rule's gate lets it through; cheap, for
     * the claim's thread. Only the first denial since the last tick is kept.
     */
    public void denied(String agent, Instant at, int inUse, int capacity) {
        denial.compareAndSet(null, new DenialSeen(agent, at, inUse, capacity));
    }

    private void checkExpiry(LicenseStatus status, Instant now) {
        RuleSetting setting = rules.setting(AlertRule.LICENSE_EXPIRING);
        if (!setting.enabled()
                || status.state() != LicenseState.ACTIVE
                || status.current().isEmpty()) {
            return;
        }
        License license = status.current().get();
        Instant end = license.end();
        boolean renewalLinedUp =
                status.pending().filter(next -> !next.start().isAfter(end)).isPresent();
        if (renewalLinedUp) {
            return;
        }
        Duration left = Duration.between(now, end);
        Integer threshold = null;
        for (int days : setting.days()) {
            if (left.compareTo(Duration.ofDays(days)) <= 0) {
                threshold = days;
            }
        }
        if (threshold == null) {
            return;
        }
        long daysLeft = left.toDays();
        String when = daysLeft == 0 ? "in less than a day" : "in " + daysLeft + (daysLeft == 1 ? " day" : " days");
        Map<String, String> facts = licenseFacts(license);
        facts.put("end", license.end().toString());
        facts.put("daysBefore", Integer.toString(threshold));
        fire(
                AlertRule.LICENSE_EXPIRING,
                "license-expiring:" + license.licenseId() + ":" + license.serial() + ":" + threshold + "d",
                now,
                "License " + license.licenseId() + " of " + license.customer().name() + " ends " + when + ", at "
                        + License.displayTime(license.endZoned()) + "; apply a renewal key before then.",
                facts);
    }

    private void checkLapse(LicenseStatus status, Instant now) {
        if (status.current().isEmpty()) {
            return;
        }
        License license = status.current().get();
        if (status.state() == LicenseState.GRACE
                && rules.setting(AlertRule.GRACE_BEGAN).enabled()) {
            Map<String, String> facts = licenseFacts(license);
            facts.put("end", license.end().toString());
            facts.put("graceEnd", license.graceEnd().toString());
            fire(
                    AlertRule.GRACE_BEGAN,
                    "grace-began:" + license.licenseId() + ":" + license.serial(),
                    now,
                    "License " + license.licenseId() + " ended at " + License.displayTime(license.endZoned())
                            + "; its grace period runs until " + License.displayTime(license.graceEndZoned())
                            + ". Apply a new key before then, or only 2 agents can log in (demo mode).",
                    facts);
        }
        if (status.state() == LicenseState.DEMO
                && rules.setting(AlertRule.DEMO_BEGAN).enabled()) {
            Map<String, String> facts = licenseFacts(license);
            facts.put("graceEnd", license.graceEnd().toString());
            facts.put("capacity", Integer.toString(status.capacity()));
            fire(
                    AlertRule.DEMO_BEGAN,
                    "demo-began:" + license.licenseId() + ":" + license.serial(),
                    now,
                    "The grace period of license " + license.licenseId() + " ended at "
                            + License.displayTime(license.graceEndZoned()) + ": demo mode, only " + status.capacity()
                            + " agents can log in until a new key is applied.",
                    facts);
        }
    }

    private void checkUsage(LicenseStatus status, int inUse, Instant now) {
        RuleSetting setting = rules.setting(AlertRule.USAGE_HIGH);
        int capacity = status.capacity();
        boolean high = setting.enabled() && capacity > 0 && (long) inUse * 100 >= (long) setting.percent() * capacity;
        if (!high) {
            if (usageHighSince.isPresent() || !usageKnown) {
                store.endEpisode(USAGE_EPISODE);
                usageHighSince = Optional.empty();
            }
            usageKnown = true;
            return;
        }
        if (usageHighSince.isEmpty()) {
            usageHighSince = Optional.of(store.episodeSince(USAGE_EPISODE, now));
            usageKnown = true;
        }
        Instant since = usageHighSince.get();
        if (Duration.between(since, now).compareTo(Duration.ofMinutes(setting.minutes())) < 0) {
            return;
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("installationId", installationId);
        facts.put("inUse", Integer.toString(inUse));
        facts.put("capacity", Integer.toString(capacity));
        facts.put("percent", Integer.toString(setting.percent()));
        facts.put("minutes", Integer.toString(setting.minutes()));
        facts.put("since", since.toString());
        long share = Math.round(inUse * 100.0 / capacity);
        fire(
                AlertRule.USAGE_HIGH,
                "usage-high:" + since.toEpochMilli(),
                now,
                inUse + " of " + capacity + " seats (" + share + " %) are in use; use has been at or above "
                        + setting.percent() + " % of the capacity since " + since + ", for " + setting.minutes()
                        + " minutes or more.",
                facts);
    }

    private void fireDenial() {
        DenialSeen seen = denial.getAndSet(null);
        if (seen == null) {
            return;
        }
        RuleSetting setting = rules.setting(AlertRule.DENIAL);
        if (!setting.enabled()) {
            return;
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("installationId", installationId);
        facts.put("agentId", seen.agent());
        facts.put("deniedAt", seen.at().toString());
        facts.put("inUse", Integer.toString(seen.inUse()));
        facts.put("capacity", Integer.toString(seen.capacity()));
        facts.put("quietMinutes", Integer.toString(setting.minutes()));
        Alert alert = new Alert(
                newId(),
                "denial:" + seen.at().toEpochMilli(),
                AlertRule.DENIAL,
                clock.instant(),
                "Agent " + seen.agent() + " could not log in at " + seen.at() + ": all " + seen.capacity()
                        + " seats were in use. Denials in the next " + setting.minutes()
                        + " minutes raise no further alert.",
                facts);
        if (store.fireThrottled(alert, DENIAL_GATE, Duration.ofMinutes(setting.minutes()))) {
            LOG.log(Level.INFO, "alert " + alert.rule() + " fired: " + alert.eventKey());
        }
    }

    private Map<String, String> licenseFacts(License license) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("installationId", installationId);
        facts.put("licenseId", license.licenseId());
        facts.put("serial", Long.toString(license.serial()));
        facts.put("customer", license.customer().name());
        facts.put("seats", Integer.toString(license.seats()));
        return facts;
    }

    private boolean fire(AlertRule rule, String key, Instant at, String summary, Map<String, String> facts) {
        synchronized (fired) {
            if (fired.contains(key)) {
                return false;
            }
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put("installationId", installationId);
        all.putAll(facts);
        boolean inserted = store.fire(new Alert(newId(), key, rule, at, summary, all));
        synchronized (fired) {
            if (fired.size() >= REMEMBERED_KEYS) {
                fired.clear();
            }
            fired.add(key);
        }
        if (inserted) {
            LOG.log(Level.INFO, "alert " + rule + " fired: " + key);
        }
        return inserted;
    }

    private static void guarded(String what, Runnable check) {
        try {
            check.run();
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "checking the alert rule for " + what + " failed; will try again at the next tick",
                    e);
        }
    }
}
