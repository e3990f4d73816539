package com.anycontact.innolicense.http;

import com.anycontact.innolicense.access.AccessService;
import com.anycontact.innolicense.access.Principal;
import com.anycontact.innolicense.access.Session;
import com.anycontact.innolicense.access.Sessions;
import com.anycontact.innolicense.license.LicenseStatus;
import com.anycontact.innolicense.seat.Lease;
import com.anycontact.innolicense.seat.SeatChange;
import com.anycontact.innolicense.usage.LiveUsage;
import com.anycontact.innolicense.usage.UsageTracker;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live events of {@code GET /api/v1/events}: server-sent events that keep the AC Agent Dashboard current
 * without polling. Events: {@code usage} (seats in use, capacity, today's peak and denials), {@code leases}
 * (leases claimed and released, or {@code resync} when too many changed at once to list), {@code state} (the
 * license state changed), and a comment line as a heartbeat when nothing else was sent for {@link
 * #HEARTBEAT}.
 *
 * <p>Concurrency: the seat store's listener and the lifecycle watcher hand changes over with {@link
 * #seatChanged} and {@link #stateChanged}, which never block: they set a flag or append to a bounded queue
 * and wake the publisher thread. The publisher coalesces what came in and sends it at most every {@link
 * #MIN_INTERVAL} (5 a second), so a burst of claims is a handful of events. Each subscriber has a bounded
 * queue of its own, written to the network by the subscriber's own (virtual) thread; a subscriber whose queue
 * is full is dropped rather than waited for, so a slow or stalled browser never holds up the publisher, let
 * alone a claim. A dropped browser reconnects and fetches the current state again.
 *
 * <p>A stream ends with its principal's access, at once: {@link Sessions} tells every session that ends
 * (logout, deletion of the user or a change of their password, being dropped for a newer session) and
 * {@link AccessService} every token it revokes, and the streams of that session or token are dropped on the
 * telling thread, before the request that ended the access is answered. What ends by time alone — a session's
 * idle or absolute limit — is found by {@link #recheck()}, which the server runs every second, and at every
 * heartbeat; neither counts as use of the session. In a cluster, a token revoked or a user deleted through another
 * node is told by that node over the cluster bus, and ends the streams here the same way.
 */
public final class LiveEvents implements AutoCloseable {

    /** How long a stream may stay silent before a heartbeat comment is sent. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(15);

    /** The shortest time between two publications: at most 5 a second. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(200);

    /** How long {@link #closeAll()} waits for the streams' handlers to return. */
    private static final Duration STREAMS_END = Duration.ofSeconds(2);

    /** The events a subscriber may fall behind by before it is dropped. */
    static final int SUBSCRIBER_QUEUE = 256;

    /** The lease changes kept between two publications; beyond them a {@code resync} is sent instead. */
    static final int MAX_PENDING_LEASE_CHANGES = 2_000;

    private static final Logger LOG = LoggerFactory.getLogger(LiveEvents.class);
    private static final Message CLOSE = new Message("close", "");
    private static final String EVENT_STREAM = "text/event-stream";
    private static final String STREAM_SLOT = "innolicense.stream-slot";

    private final StreamQuota quota;
    private final UsageTracker usage;
    private final Sessions sessions;
    private final AccessService access;
    private final ObjectMapper mapper = new Json().mapper();
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Object> pendingLeases = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingLeaseCount = new AtomicInteger();
    private final AtomicBoolean leasesOverflowed = new AtomicBoolean();
    private final AtomicBoolean usageChanged = new AtomicBoolean();
    private final AtomicReference<LicenseStatus> pendingState = new AtomicReference<>();
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final AtomicInteger openStreams = new AtomicInteger();
    private final Semaphore wake = new Semaphore(0);
    private final SseHandler streams = new SseHandler(this::subscribe);
    private volatile boolean running;
    private Thread publisher;

    /** A lease claimed, as the {@code leases} event lists it. */
    record ClaimedView(
            String change, String agentId, String node, String station, String claimedAt, String renewedAt) {}

    /** A lease released, as the {@code leases} event lists it. */
    record ReleasedView(String change, String agentId) {}

    /** The data of a {@code usage} event. */
    record UsageView(int inUse, int capacity, int peakToday, long denialsToday) {}

    /** The data of a {@code state} event. */
    record StateView(
            String state,
            int capacity,
            long daysRemaining,
            List<LicenseRoutes.WarningView> warnings,
            String evaluatedAt) {}

    /**
     * Creates the events; {@link #start()} starts publishing.
     *
     * @param usage tells the live usage
     * @param sessions tells whether a browser's session still lasts
     * @param access tells whether an API token is still valid
     */
    public LiveEvents(UsageTracker usage, Sessions sessions, AccessService access) {
        this(usage, sessions, access, HttpLimits.DEFAULT);
    }

    /**
     * Creates the events with caps on the streams; {@link #start()} starts publishing.
     *
     * @param usage tells the live usage
     * @param sessions tells whether a browser's session still lasts
     * @param access tells whether an API token is still valid
     * @param limits the most streams per caller and in total
     */
    public LiveEvents(UsageTracker usage, Sessions sessions, AccessService access, HttpLimits limits) {
        this.quota = new StreamQuota(limits.maxStreamsPerCaller(), limits.maxStreams());
        this.usage = Objects.requireNonNull(usage, "usage");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.access = Objects.requireNonNull(access, "access");
        sessions.whenEnded(this::sessionEnded);
        access.whenTokenRevoked(this::tokenRevoked);
    }

    /**
     * Ends the streams of a session that has ended, named by its digest ({@link Session#digest()}, as {@link
     * Sessions#whenEnded} tells it; no secret, so another node may send it); never blocks.
     */
    public void sessionEnded(String sessionDigest) {
        for (Subscriber subscriber : subscribers) {
            if (sessionDigest.equals(subscriber.sessionDigest)) {
                drop(subscriber);
            }
        }
    }

    /** Ends the streams of an API token that was revoked, here or through another node; never blocks. */
    public void tokenRevoked(String tokenId) {
        for (Subscriber subscriber : subscribers) {
            if (tokenId.equals(subscriber.tokenId)) {
                drop(subscriber);
            }
        }
    }

    /**
     * Ends the streams whose session or token is no longer valid: a session past its idle or absolute limit, a
     * token revoked elsewhere. The server runs this every second; it reads the token store at most once per
     * token per {@link AccessService#TOKEN_RECHECK}.
     */
    public void recheck() {
        for (Subscriber subscriber : subscribers) {
            if (!subscriber.stillAllowed.getAsBoolean()) {
                drop(subscriber);
            }
        }
    }

    /** Starts the publisher thread. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        publisher =
                Thread.ofPlatform().name("innolicense-live-events").daemon(true).start(this::publish);
    }

    /** Hands a seat change over for publication; never blocks. */
    public void seatChanged(SeatChange change) {
        if (subscribers.isEmpty()) {
            return;
        }
        switch (change) {
            case SeatChange.Claimed claimed -> pendLease(claimed.lease());
            case SeatChange.Released released -> pendLease(released.agent().value());
            case SeatChange.Reaped reaped ->
                reaped.leases().forEach(lease -> pendLease(lease.agent().value()));
            case SeatChange.CapacityReduced reduced -> pendLease(reduced.agent().value());
            case SeatChange.Denied denied -> {}
        }
        usageChanged.set(true);
        signal();
    }

    /**
     * Tells every stream to load the lease list again ({@code leases} with {@code resync}) and sends the usage:
     * after a cluster node may have missed other nodes' changes. Never blocks.
     */
    public void resync() {
        leasesOverflowed.set(true);
        usageChanged.set(true);
        signal();
    }

    /** Sends the usage again, which changed without a seat change seen here; never blocks. */
    public void usageChanged() {
        usageChanged.set(true);
        signal();
    }

    /** Hands a changed license status over for publication; never blocks. */
    public void stateChanged(LicenseStatus status) {
        pendingState.set(Objects.requireNonNull(status, "status"));
        usageChanged.set(true);
        signal();
    }

    /** The number of open streams. */
    public int subscribers() {
        return subscribers.size();
    }

    /**
     * Ends every open stream and waits, a little, until their handlers have returned, so that the HTTP server
     * may stop after it; browsers reconnect by themselves.
     */
    public void closeAll() {
        for (Subscriber subscriber : List.copyOf(subscribers)) {
            drop(subscriber);
        }
        long deadline = System.nanoTime() + STREAMS_END.toNanos();
        synchronized (openStreams) {
            while (openStreams.get() > 0 && System.nanoTime() < deadline) {
                try {
                    openStreams.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Ends every stream and stops the publisher. */
    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            running = false;
            thread = publisher;
        }
        closeAll();
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The handler of {@code GET /api/v1/events}: refuses a request that does not accept an event stream. */
    void handle(Context ctx) throws Exception {
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains(EVENT_STREAM)) {
            throw ProblemType.NOT_ACCEPTABLE.problem("this route answers a stream of server-sent events; send the"
                    + " header 'Accept: " + EVENT_STREAM + "' (a browser's EventSource does)");
        }
        Principal caller = Authenticator.principal(ctx);
        String key = caller.kind() + ":" + caller.id();
        StreamQuota.Slot slot = quota.open(key)
                .orElseThrow(() -> ProblemType.STREAM_LIMIT_REACHED.problem(
                        quota.refusal(key), Map.of("limit", quota.perCaller(), "total", quota.total())));
        ctx.attribute(STREAM_SLOT, slot);
        try {
            streams.handle(ctx);
        } catch (Exception | Error e) {
            slot.close();
            throw e;
        }
    }

    /** How many streams are open now. */
    public int openStreams() {
        return quota.openStreams();
    }

    /** One stream: runs on the request's own thread for as long as the stream lasts. */
    void subscribe(SseClient client) {
        StreamQuota.Slot slot = client.ctx().attribute(STREAM_SLOT);
        openStreams.incrementAndGet();
        try {
            Context ctx = client.ctx();
            Optional<Session> session = Authenticator.session(ctx);
            Principal principal = Authenticator.principal(ctx);
            Subscriber subscriber = new Subscriber(
                    client,
                    stillAllowed(ctx),
                    session.map(Session::digest).orElse(null),
                    session.isEmpty() && principal.kind() == Principal.Kind.TOKEN ? principal.id() : null);
            subscriber.queue.offer(usageMessage(usage.live()));
            subscribers.add(subscriber);
            try {
                if (!subscriber.stillAllowed.getAsBoolean()) {
                    return; // ended between authentication and now, before a listener could see this stream
                }
                subscriber.run();
            } finally {
                subscribers.remove(subscriber);
                client.close();
            }
        } finally {
            if (slot != null) {
                slot.close();
            }
            synchronized (openStreams) {
                openStreams.decrementAndGet();
                openStreams.notifyAll();
            }
        }
    }

    private BooleanSupplier stillAllowed(Context ctx) {
        Optional<Session> session = Authenticator.session(ctx);
        if (session.isPresent()) {
            String id = session.get().id();
            return () -> sessions.isLive(id);
        }
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.length() > 7) {
            String token = authorization.substring(7).strip();
            return () -> access.authenticateToken(token).isPresent();
        }
        return () -> false;
    }

    private void pendLease(Object change) {
        if (pendingLeaseCount.get() >= MAX_PENDING_LEASE_CHANGES) {
            leasesOverflowed.set(true);
            return;
        }
        pendingLeaseCount.incrementAndGet();
        pendingLeases.add(change);
    }

    private void signal() {
        if (signalled.compareAndSet(false, true)) {
            wake.release();
        }
    }

    private void publish() {
        while (running) {
            try {
                if (!wake.tryAcquire(1, TimeUnit.SECONDS)) {
                    continue;
                }
                signalled.set(false);
                publishPending();
                Thread.sleep(MIN_INTERVAL);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("publishing live events failed; will go on with the next change", e);
            }
        }
    }

    private void publishPending() {
        LicenseStatus state = pendingState.getAndSet(null);
        if (state != null) {
            broadcast(new Message("state", write(stateView(state))));
        }
        List<Object> changes = new ArrayList<>();
        for (Object change = pendingLeases.poll(); change != null; change = pendingLeases.poll()) {
            pendingLeaseCount.decrementAndGet();
            changes.add(change);
        }
        if (leasesOverflowed.getAndSet(false)) {
            broadcast(new Message("leases", write(Map.of("resync", true))));
        } else if (!changes.isEmpty()) {
            broadcast(new Message(
                    "leases",
                    write(Map.of(
                            "changes", changes.stream().map(LiveEvents::view).toList()))));
        }
        if (usageChanged.getAndSet(false)) {
            broadcast(usageMessage(usage.live()));
        }
    }

    private void broadcast(Message message) {
        for (Subscriber subscriber : subscribers) {
            if (!subscriber.queue.offer(message)) {
                LOG.info("dropped a live-events stream that fell {} events behind", SUBSCRIBER_QUEUE);
                drop(subscriber);
            }
        }
    }

    /**
     * Ends a stream: its own thread takes the close from its queue at once and closes the stream itself. Closing
     * it from this thread instead races with the handler's return and left Javalin looping over a recycled
     * request, logging an exception at every turn, for the rest of the process's life. A stream whose thread is
     * stuck writing to a stalled client ends when the write fails (the server's idle timeout).
     */
    private void drop(Subscriber subscriber) {
        subscribers.remove(subscriber);
        subscriber.closed = true;
        subscriber.queue.clear();
        subscriber.queue.offer(CLOSE);
    }

    private Message usageMessage(LiveUsage live) {
        return new Message(
                "usage", write(new UsageView(live.inUse(), live.capacity(), live.peakToday(), live.denialsToday())));
    }

    private static Object view(Object change) {
        if (change instanceof Lease lease) {
            return new ClaimedView(
                    "claimed",
                    lease.agent().value(),
                    lease.node(),
                    lease.station(),
                    lease.claimedAt().toString(),
                    lease.renewedAt().toString());
        }
        return new ReleasedView("released", (String) change);
    }

    private static StateView stateView(LicenseStatus status) {
        return new StateView(
                status.state().name(),
                status.capacity(),
                status.daysRemaining(),
                status.warnings().stream()
                        .map(w -> new LicenseRoutes.WarningView(w.code().name(), w.message()))
                        .toList(),
                status.evaluatedAt().toString());
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a live event as JSON", e);
        }
    }

    /** One event: its name and its JSON data. */
    private record Message(String name, String data) {}

    /** One open stream with its queue, written by the stream's own thread. */
    private static final class Subscriber {
        private final SseClient client;
        private final BooleanSupplier stillAllowed;
        private final String sessionDigest;
        private final String tokenId;
        private final BlockingQueue<Message> queue = new ArrayBlockingQueue<>(SUBSCRIBER_QUEUE);
        private volatile boolean closed;

        /** A stream of a session (the digest {@code sessionDigest}) or an API token ({@code tokenId}); the other is null. */
        Subscriber(SseClient client, BooleanSupplier stillAllowed, String sessionDigest, String tokenId) {
            this.client = client;
            this.stillAllowed = stillAllowed;
            this.sessionDigest = sessionDigest;
            this.tokenId = tokenId;
        }

        void run() {
            try {
                while (!closed && !client.terminated()) {
                    Message message = queue.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
                    if (message == null) {
                        if (!stillAllowed.getAsBoolean()) {
                            return;
                        }
                        client.sendComment("heartbeat");
                    } else if (message == CLOSE || closed) {
                        return;
                    } else {
                        client.sendEvent(message.name(), message.data());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.debug("a live-events stream ended", e);
            }
        }
    }
}
