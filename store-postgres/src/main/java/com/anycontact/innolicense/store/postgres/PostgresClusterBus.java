package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.cluster.ClusterBus;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The cluster bus on PostgreSQL's {@code LISTEN/NOTIFY}: every node listens on one channel named after the
 * installation, on a connection of its own, and publishes with {@code pg_notify} over the pool.
 *
 * <p>Listening. One platform thread holds the listening connection and waits for notifications on it ({@link
 * PGConnection#getNotifications(int)}, {@link #POLL} at a time); every {@link #PING} it also runs {@code SELECT 1}
 * on it (at most {@link #PING_TIMEOUT}), so that a connection that broke without a word (a network cut, a
 * failover) is noticed within seconds. When the connection fails, it connects again, waiting 0.1 s at first and
 * twice as long after each failure, at most {@link #MAX_BACKOFF}. PostgreSQL keeps nothing for a session that
 * is gone, so whatever was published meanwhile is lost: after every (re)connection the listener is told {@link
 * Listener#missed}, with the moment the node last listened.
 *
 * <p>Sending. {@link #publish} only queues the message (at most {@link #MAX_QUEUED}); a second thread takes
 * whatever is queued {@link #LINGER} after the first message, packs it into as few notifications as fit {@link #MAX_PAYLOAD_BYTES} (PostgreSQL's limit is
 * 8000 bytes) and sends them in one statement, {@code SELECT pg_notify(channel, p) FROM unnest(?) p}, one
 * round trip and one transaction, whose notifications PostgreSQL delivers in order at commit. So a burst of
 * changes costs few notifications and never waits on the database in the thread that made the change.
 *
 * <p>Payload: a first line {@code NODE SEQUENCE} (a random ID of this bus, and a number that grows by one with
 * each notification it sends), then one message per line. A receiver skips its own notifications and keeps
 * the last sequence number seen from every other node: a gap means that notifications of that node were lost
 * (dropped because its queue was full or the database could not be reached; a dropped message uses up a number
 * on purpose), and the listener is told {@link Listener#missed}. The sequence number also keeps PostgreSQL from
 * folding two equal notifications of one transaction into one.
 */
public final class PostgresClusterBus implements ClusterBus {

    /** How long one wait for notifications lasts. */
    static final Duration POLL = Duration.ofMillis(250);

    /** How often the listening connection is checked with a query. */
    static final Duration PING = Duration.ofSeconds(5);

    /** How long that check may take before the connection is taken as lost. */
    static final Duration PING_TIMEOUT = Duration.ofSeconds(5);

    /** The longest wait before connecting again. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /**
     * How long the sender waits after the first message before it sends what is queued: a burst of changes then
     * goes in one notification, so that a node answering thousands of seat calls a second sends at most about a
     * hundred notifications a second (each a transaction, and delivered to every node, the sender included)
     * instead of one every few calls. Other nodes' dashboards hear of a change that much later.
     */
    static final Duration LINGER = Duration.ofMillis(10);

    /** The messages queued for sending at most; beyond, messages are dropped. */
    static final int MAX_QUEUED = 10_000;

    /** The most bytes of one notification's payload, below PostgreSQL's 8000. */
    static final int MAX_PAYLOAD_BYTES = 7_900;

    private static final System.Logger LOG = System.getLogger(PostgresClusterBus.class.getName());
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration FIRST_LISTEN_WAIT = Duration.ofSeconds(15);
    private static final int KNOWN_NODES = 1_000;
    private static final String NOTIFY = "SELECT pg_notify(?, p) FROM unnest(?) AS p";

    private final PostgresDatabase database;
    private final String channel;
    private final InstantSource clock;
    private final String node = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong missed = new AtomicLong();
    private final CountDownLatch firstListen = new CountDownLatch(1);
    private final Map<String, Seen> lastSeen = new LinkedHashMap<>();
    private volatile boolean running;
    private volatile boolean listening;
    private volatile Connection listeningConnection;
    private volatile Instant lastListened;
    private Thread listenerThread;
    private Thread senderThread;

    /**
     * Creates the bus; {@link #start} starts it.
     *
     * @param database the cluster database
     * @param scope what the nodes that hear each other share, such as the installation ID: the channel is named
     *     after it, so that installations sharing one database (in separate schemas) do not hear each other
     * @param clock the time told to {@link Listener#missed}
     */
    public PostgresClusterBus(PostgresDatabase database, String scope, InstantSource clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.channel = channel(Objects.requireNonNull(scope, "scope"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The channel of a scope: {@code innolicense SCOPE}, shortened to PostgreSQL's 63 bytes for a name. */
    static String channel(String scope) {
        String name = "innolicense " + scope;
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 63) {
            return name;
        }
        return "innolicense " + Integer.toHexString(scope.hashCode()) + " " + scope.substring(0, 20);
    }

    @Override
    public synchronized void start(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        if (running) {
            return;
        }
        running = true;
        listenerThread = Thread.ofPlatform()
                .name("innolicense-cluster-listener")
                .daemon(true)
                .start(() -> listen(listener));
        senderThread = Thread.ofPlatform()
                .name("innolicense-cluster-sender")
                .daemon(true)
                .start(this::send);
        try {
            if (!firstListen.await(FIRST_LISTEN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "the cluster bus is not listening yet; going on without it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void publish(String message) {
        Objects.requireNonNull(message, "message");
        if (message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a cluster message is one line; this one has a line break");
        }
        if (message.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("a cluster message has at most " + MAX_MESSAGE_BYTES + " bytes");
        }
        if (!running || !queue.offer(message)) {
            lose(1);
        }
    }

    @Override
    public Stats stats() {
        return new Stats(listening, sent.get(), received.get(), dropped.get(), reconnects.get(), missed.get());
    }

    /** This bus's node ID, as the first line of its notifications names it. */
    String node() {
        return node;
    }

    /** The channel it listens on. */
    String channel() {
        return channel;
    }

    @Override
    public void close() {
        Thread listen;
        Thread sender;
        synchronized (this) {
            running = false;
            listen = listenerThread;
            sender = senderThread;
        }
        for (Thread thread : new Thread[] {sender, listen}) {
            if (thread != null) {
                thread.interrupt();
            }
        }
        closeQuietly(listeningConnection);
        for (Thread thread : new Thread[] {sender, listen}) {
            if (thread != null) {
                try {
                    thread.join(Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void listen(Listener listener) {
        lastListened = clock.instant();
        Duration backoff = FIRST_BACKOFF;
        boolean connectedBefore = false;
        boolean warned = false;
        while (running) {
            try (Connection connection = database.dedicatedConnection("innolicense-cluster-listener")) {
                listeningConnection = connection;
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + quoted(channel));
                }
                listening = true;
                if (connectedBefore) {
                    reconnects.incrementAndGet();
                    LOG.log(System.Logger.Level.INFO, "the cluster bus listens again after losing its connection");
                }
                connectedBefore = true;
                warned = false;
                firstListen.countDown();
                backoff = FIRST_BACKOFF;
                tellMissed(listener, lastListened);
                receive(connection, listener);
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                if (!warned) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "the cluster bus cannot listen (" + e.getMessage() + "); other nodes' changes are not"
                                    + " seen until it can; connecting again");
                    warned = true;
                }
            } finally {
                listening = false;
                listeningConnection = null;
                firstListen.countDown();
            }
            if (!running) {
                break;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                break;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /**
     * Receives until the connection fails or the bus closes, moving {@link #lastListened} on after every wait
     * that ended without an error.
     */
    private void receive(Connection connection, Listener listener) throws SQLException {
        PGConnection postgres = connection.unwrap(PGConnection.class);
        long nextPing = System.nanoTime() + PING.toNanos();
        while (running) {
            Instant before = clock.instant();
            PGNotification[] notifications = postgres.getNotifications((int) POLL.toMillis());
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    deliver(notification.getParameter(), listener);
                }
            }
            if (System.nanoTime() - nextPing >= 0) {
                try (Statement ping = connection.createStatement()) {
                    ping.setQueryTimeout((int) PING_TIMEOUT.toSeconds());
                    ping.execute("SELECT 1");
                }
                nextPing = System.nanoTime() + PING.toNanos();
            }
            lastListened = before;
        }
    }

    private void deliver(String payload, Listener listener) {
        int firstLine = payload.indexOf('\n');
        String header = firstLine < 0 ? payload : payload.substring(0, firstLine);
        int space = header.indexOf(' ');
        if (space < 0) {
            LOG.log(System.Logger.Level.WARNING, "ignored a notification on the cluster channel without a header");
            return;
        }
        String from = header.substring(0, space);
        long number;
        try {
            number = Long.parseLong(header.substring(space + 1));
        } catch (NumberFormatException e) {
            LOG.log(System.Logger.Level.WARNING, "ignored a notification on the cluster channel with a bad header");
            return;
        }
        if (from.equals(node)) {
            return;
        }
        Seen before = lastSeen.remove(from);
        if (lastSeen.size() >= KNOWN_NODES) {
            lastSeen.remove(lastSeen.keySet().iterator().next());
        }
        lastSeen.put(from, new Seen(number, clock.instant()));
        if (before != null && number != before.sequence() + 1) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "notifications " + (before.sequence() + 1) + " to " + (number - 1) + " of cluster node " + from
                            + " were lost; reading the shared state again");
            tellMissed(listener, before.at());
        }
        if (firstLine < 0) {
            return;
        }
        for (String message : payload.substring(firstLine + 1).split("\n")) {
            if (!message.isEmpty()) {
                received.incrementAndGet();
                try {
                    listener.received(message);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "handling a cluster message failed", e);
                }
            }
        }
    }

    private void tellMissed(Listener listener, Instant since) {
        missed.incrementAndGet();
        try {
            listener.missed(since);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "reading the shared state again failed", e);
        }
    }

    private void send() {
        boolean failing = false;
        while (running) {
            List<String> messages = new ArrayList<>();
            try {
                String first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                messages.add(first);
                Thread.sleep(LINGER.toMillis());
                queue.drainTo(messages);
            } catch (InterruptedException e) {
                lose(messages.size() + queue.size());
                return;
            }
            List<String> payloads = pack(messages);
            try {
                database.autoCommit(connection -> {
                    try (PreparedStatement notify = connection.prepareStatement(NOTIFY)) {
                        Array array = connection.createArrayOf("text", payloads.toArray());
                        notify.setString(1, channel);
                        notify.setArray(2, array);
                        notify.execute();
                    }
                    return null;
                });
                sent.addAndGet(messages.size());
                if (failing) {
                    LOG.log(System.Logger.Level.INFO, "the cluster bus sends again");
                    failing = false;
                }
            } catch (RuntimeException e) {
                dropped.addAndGet(messages.size());
                if (!failing) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "the cluster bus could not send " + messages.size() + " messages (" + e.getMessage()
                                    + "); other nodes will read the shared state again when they see the gap");
                    failing = true;
                }
            }
        }
    }

    /** Packs messages into payloads of at most {@link #MAX_PAYLOAD_BYTES}, each with its header. */
    private List<String> pack(List<String> messages) {
        List<String> payloads = new ArrayList<>();
        StringBuilder payload = null;
        int bytes = 0;
        for (String message : messages) {
            int size = message.getBytes(StandardCharsets.UTF_8).length + 1;
            if (payload == null || bytes + size > MAX_PAYLOAD_BYTES) {
                if (payload != null) {
                    payloads.add(payload.toString());
                }
                payload = new StringBuilder(node).append(' ').append(sequence.incrementAndGet());
                bytes = payload.length();
            }
            payload.append('\n').append(message);
            bytes += size;
        }
        if (payload != null) {
            payloads.add(payload.toString());
        }
        return payloads;
    }

    /** Counts messages that will not be sent, and uses up a sequence number so that the other nodes see a gap. */
    private void lose(int count) {
        if (count > 0) {
            dropped.addAndGet(count);
            sequence.incrementAndGet();
        }
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // closing to stop; nothing to do
            }
        }
    }

    /** The last notification seen from a node: its sequence number and when it came. */
    private record Seen(long sequence, Instant at) {}
}
