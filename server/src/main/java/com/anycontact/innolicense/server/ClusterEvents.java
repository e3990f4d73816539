package com.anycontact.innolicense.server;

import com.anycontact.innolicense.access.AccessService;
import com.anycontact.innolicense.access.Principal;
import com.anycontact.innolicense.access.Sessions;
import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.audit.AuditQuery;
import com.anycontact.innolicense.cluster.ClusterBus;
import com.anycontact.innolicense.http.LiveEvents;
import com.anycontact.innolicense.license.LicenseService;
import com.anycontact.innolicense.license.LifecycleWatcher;
import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.Lease;
import com.anycontact.innolicense.seat.SeatChange;
import com.anycontact.innolicense.seat.SeatLedger;
import com.anycontact.innolicense.usage.UsageTracker;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node of a cluster tells the other nodes through the {@link ClusterBus}, and what it does with what they
 * tell it, so that every node shows and enforces the cluster's state, not its own:
 *
 * <ul>
 *   <li>every seat change (claim, release, reap, denial, release for reduced capacity) goes to the other nodes'
 *       {@link LiveEvents} and {@link UsageTracker}, so that the AC Agent Dashboard on any node shows every node's
 *       changes live; {@link #RECOUNT_AFTER} after them the receiving node counts the live leases in the
 *       database again, so that its seats in use are the cluster's even when messages of two nodes cross;
 *   <li>a key applied: the other nodes read the licenses from the database again, so it is in force on all;
 *   <li>an API token revoked: the other nodes forget it (it was trusted for up to {@link
 *       AccessService#TOKEN_RECHECK}) and end its live-event streams;
 *   <li>a user deleted or given a new password: the other nodes end that user's sessions and their streams.
 * </ul>
 *
 * <p>Messages are one line of JSON each, with IDs and counts but no secret (a token's ID, never its secret).
 *
 * <p>Lost messages. When the bus says that messages may have been missed ({@link #missed}), the node reads again
 * what it keeps from them: the licenses, the count of live leases (and tells its dashboards to reload the
 * lease list), forgets every cached token (and rechecks every stream's token), and ends the sessions of users
 * whose deletion or password change the audit log shows since then. Besides, {@link #check()} runs every {@link
 * #CHECK_EVERY} as a safety net for what no one can know was lost (a node that died between its commit and its
 * message): licenses and the count of live leases; a token cached by a node is read again after {@link
 * AccessService#TOKEN_RECHECK} anyway.
 *
 * <p>Threads: the bus tells {@link #received} on its listening thread; what needs the database (reloading
 * licenses, counting leases, reading the audit log) is handed to the server's scheduler, what is memory only is
 * done at once.
 */
final class ClusterEvents implements ClusterBus.Listener {

    /** How often {@link #check()} runs. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(5);

    /**
     * How long after another node's seat change this node counts the live leases again: the changes that arrive
     * meanwhile are covered by the same count, so that a busy cluster costs each node at most a count per this
     * interval, not one per batch of messages.
     */
    static final Duration RECOUNT_AFTER = Duration.ofMillis(100);

    /** How far before the moment a bus last surely listened the audit log is read after missed messages. */
    static final Duration MISSED_MARGIN = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(ClusterEvents.class);
    private static final int MAX_LEASE_BYTES = 3_000;

    private final ObjectMapper json = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final ClusterBus bus;
    private final LicenseService licenses;
    private final LifecycleWatcher watcher;
    private final SeatLedger ledger;
    private final UsageTracker usage;
    private final LiveEvents events;
    private final AccessService access;
    private final Sessions sessions;
    private final AuditLog audit;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean recountPending = new AtomicBoolean();
    private final AtomicLong resyncs = new AtomicLong();

    /**
     * Wires the messages between the node's services and the bus; {@link #start()} starts the bus.
     *
     * @param bus the cluster bus
     * @param licenses reloaded when another node applied a key
     * @param watcher run after a reload, to tell the new state
     * @param ledger counts the live leases
     * @param usage told of other nodes' seat changes
     * @param events told of other nodes' seat changes and of revocations and ended sessions
     * @param access forgets tokens revoked elsewhere
     * @param sessions ends the sessions of users deleted or given a new password elsewhere
     * @param audit read for the user changes that missed messages may have carried
     * @param scheduler where the work that reads the database runs
     */
    ClusterEvents(
            ClusterBus bus,
            LicenseService licenses,
            LifecycleWatcher watcher,
            SeatLedger ledger,
            UsageTracker usage,
            LiveEvents events,
            AccessService access,
            Sessions sessions,
            AuditLog audit,
            ScheduledExecutorService scheduler) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.licenses = Objects.requireNonNull(licenses, "licenses");
        this.watcher = Objects.requireNonNull(watcher, "watcher");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.events = Objects.requireNonNull(events, "events");
        this.access = Objects.requireNonNull(access, "access");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        licenses.whenApplied(applied -> publish(Message.of(Kind.LICENSE)));
        access.whenTokenRevoked(id -> {
            Message message = Message.of(Kind.TOKEN_REVOKED);
            message.id = id;
            publish(message);
        });
        access.whenUserAccessEnded(username -> {
            Message message = Message.of(Kind.USER_ENDED);
            message.id = username;
            publish(message);
        });
    }

    /** Starts the bus; returns once it listens, or its first attempt failed. */
    void start() {
        bus.start(this);
    }

    /** Tells the other nodes of a seat change made here; never blocks. */
    void seatChanged(SeatChange change) {
        switch (change) {
            case SeatChange.Claimed claimed -> {
                Message message = Message.of(Kind.CLAIMED);
                message.lease = LeaseView.of(claimed.lease());
                message.inUse = claimed.inUse();
                message.capacity = claimed.capacity();
                publish(message);
            }
            case SeatChange.Released released -> {
                Message message = Message.of(Kind.RELEASED);
                message.id = released.agent().value();
                message.at = released.at().toString();
                message.inUse = released.inUse();
                publish(message);
            }
            case SeatChange.Reaped reaped -> {
                for (List<Lease> part : parts(reaped.leases())) {
                    Message message = Message.of(Kind.REAPED);
                    message.leases = part.stream().map(LeaseView::of).toList();
                    message.at = reaped.at().toString();
                    message.inUse = reaped.inUse();
                    publish(message);
                }
            }
            case SeatChange.Denied denied -> {
                Message message = Message.of(Kind.DENIED);
                message.id = denied.agent().value();
                message.at = denied.at().toString();
                message.inUse = denied.inUse();
                message.capacity = denied.capacity();
                publish(message);
            }
            case SeatChange.CapacityReduced reduced -> {
                Message message = Message.of(Kind.REDUCED);
                message.id = reduced.agent().value();
                message.at = reduced.at().toString();
                message.inUse = reduced.inUse();
                message.capacity = reduced.capacity();
                publish(message);
            }
        }
    }

    @Override
    public void received(String text) {
        Message message;
        try {
            message = json.readValue(text, Message.class);
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("ignored a cluster message that could not be read: {}", e.getMessage());
            return;
        }
        if (message.kind == null) {
            return; // from a newer release: nothing this one knows to do
        }
        switch (message.kind) {
            case CLAIMED ->
                seatChangedElsewhere(new SeatChange.Claimed(message.lease.lease(), message.inUse, message.capacity));
            case RELEASED ->
                seatChangedElsewhere(
                        new SeatChange.Released(new AgentId(message.id), Instant.parse(message.at), message.inUse));
            case REAPED ->
                seatChangedElsewhere(new SeatChange.Reaped(
                        message.leases.stream().map(LeaseView::lease).toList(),
                        Instant.parse(message.at),
                        message.inUse));
            case DENIED ->
                seatChangedElsewhere(new SeatChange.Denied(
                        new AgentId(message.id), Instant.parse(message.at), message.inUse, message.capacity));
            case REDUCED ->
                seatChangedElsewhere(new SeatChange.CapacityReduced(
                        new AgentId(message.id), Instant.parse(message.at), message.inUse, message.capacity));
            case LICENSE -> scheduler.execute(this::reloadLicenses);
            case TOKEN_REVOKED -> {
                access.forgetToken(message.id);
                events.tokenRevoked(message.id);
            }
            case USER_ENDED -> sessions.invalidateAll(Principal.Kind.USER, message.id);
        }
    }

    @Override
    public void missed(Instant since) {
        resyncs.incrementAndGet();
        access.forgetKnownTokens();
        scheduler.execute(() -> resync(since.minus(MISSED_MARGIN)));
    }

    /**
     * The safety net, every {@link #CHECK_EVERY}: reads the licenses again (telling a changed state at once) and
     * counts the live leases, telling the dashboards to reload the lease list when the count was off.
     */
    void check() {
        reloadLicenses();
        if (recount()) {
            events.resync();
        }
    }

    /** How many times this node read the shared state again after missed messages. */
    long resyncs() {
        return resyncs.get();
    }

    /** The bus's counters. */
    ClusterBus.Stats stats() {
        return bus.stats();
    }

    private void resync(Instant since) {
        reloadLicenses();
        endSessionsChangedSince(since);
        recount();
        events.resync();
        events.recheck();
    }

    private void seatChangedElsewhere(SeatChange change) {
        int capacity = licenses.status().capacity();
        switch (change) {
            case SeatChange.Claimed claimed -> usage.changed(claimed.inUse(), claimed.capacity());
            case SeatChange.Denied denied -> usage.deniedElsewhere(denied.inUse(), denied.capacity());
            case SeatChange.CapacityReduced reduced -> usage.changed(reduced.inUse(), reduced.capacity());
            case SeatChange.Released released -> usage.changed(released.inUse(), capacity);
            case SeatChange.Reaped reaped -> usage.changed(reaped.inUse(), capacity);
        }
        events.seatChanged(change);
        if (!(change instanceof SeatChange.Denied) && recountPending.compareAndSet(false, true)) {
            scheduler.schedule(this::recount, RECOUNT_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Counts the live leases in the database and reports the count when it differs from the one known.
     *
     * @return whether it differed
     */
    private boolean recount() {
        recountPending.set(false);
        try {
            int inUse = ledger.inUse();
            if (inUse == usage.live().inUse()) {
                return false;
            }
            usage.changed(inUse, licenses.status().capacity());
            events.usageChanged();
            return true;
        } catch (RuntimeException e) {
            PeriodicFailures.warnUnlessOutage(
                    LOG, "counting the live leases failed; will count again at the next check", e);
            return false;
        }
    }

    private void reloadLicenses() {
        try {
            if (licenses.reload()) {
                watcher.run();
            }
        } catch (RuntimeException e) {
            PeriodicFailures.warnUnlessOutage(
                    LOG, "reading the licenses again failed; will try again at the next check", e);
        }
    }

    private void endSessionsChangedSince(Instant since) {
        for (AuditEvent.Type type : List.of(AuditEvent.Type.USER_DELETED, AuditEvent.Type.PASSWORD_CHANGED)) {
            try {
                for (AuditEvent event : audit.find(
                        AuditQuery.newest(AuditQuery.MAX_LIMIT).withType(type).withFrom(since))) {
                    String detail = event.detail();
                    if (detail.startsWith("user ")) {
                        sessions.invalidateAll(Principal.Kind.USER, detail.substring("user ".length()));
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("reading the audit log for user changes failed; sessions may outlive them", e);
            }
        }
    }

    private void publish(Message message) {
        try {
            bus.publish(json.writeValueAsString(message));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("could not tell the other nodes of a {} change", message.kind, e);
        }
    }

    /** Splits reaped leases into parts whose messages fit the bus. */
    private static List<List<Lease>> parts(List<Lease> leases) {
        List<List<Lease>> parts = new ArrayList<>();
        List<Lease> part = new ArrayList<>();
        int bytes = 0;
        for (Lease lease : leases) {
            int size = LeaseView.bytes(lease);
            if (!part.isEmpty() && bytes + size > MAX_LEASE_BYTES) {
                parts.add(part);
                part = new ArrayList<>();
                bytes = 0;
            }
            part.add(lease);
            bytes += size;
        }
        if (!part.isEmpty()) {
            parts.add(part);
        }
        return parts;
    }

    /** What a message is about. */
    enum Kind {
        CLAIMED,
        RELEASED,
        REAPED,
        DENIED,
        REDUCED,
        LICENSE,
        TOKEN_REVOKED,
        USER_ENDED
    }

    /** One message, as JSON; the fields a kind does not use are left out. */
    static final class Message {
        public Kind kind;
        public String id;
        public String at;
        public Integer inUse;
        public Integer capacity;
        public LeaseView lease;
        public List<LeaseView> leases;

        static Message of(Kind kind) {
            Message message = new Message();
            message.kind = kind;
            return message;
        }
    }

    /** A lease in a message. */
    record LeaseView(
            String agent,
            String node,
            String station,
            String claimedAt,
            String renewedAt,
            String expiresAt,
            long claimSequence) {

        static LeaseView of(Lease lease) {
            return new LeaseView(
                    lease.agent().value(),
                    lease.node(),
                    lease.station(),
                    lease.claimedAt().toString(),
                    lease.renewedAt().toString(),
                    lease.expiresAt().toString(),
                    lease.claimSequence());
        }

        /** About how many bytes the lease takes in a message, generously. */
        static int bytes(Lease lease) {
            return 200
                    + utf8(lease.agent().value())
                    + (lease.node() == null ? 0 : 2 * utf8(lease.node()))
                    + (lease.station() == null ? 0 : 2 * utf8(lease.station()));
        }

        Lease lease() {
            return new Lease(
                    new AgentId(agent),
                    node,
                    station,
                    Instant.parse(claimedAt),
                    Instant.parse(renewedAt),
                    Instant.parse(expiresAt),
                    claimSequence);
        }

        private static int utf8(String text) {
            return text.getBytes(StandardCharsets.UTF_8).length;
        }
    }
}
