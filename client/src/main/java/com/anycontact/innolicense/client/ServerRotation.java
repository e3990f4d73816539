package com.anycontact.innolicense.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The license servers a client knows, in the order a call tries them: the server that answered last first
 * (sticky, so that a client's calls go to one node while it works), then the others that are not backing off,
 * round from there. A server that failed (no answer, or a server fault) backs off: it is tried again only
 * after a delay that starts at {@link #FIRST_BACKOFF} and doubles with each failure in a row up to {@link
 * #MAX_BACKOFF}, jittered, and at least the server's {@code Retry-After}, unless every server is backing off,
 * in which case a call tries the one whose back-off ends first (one try, not all of them).
 *
 * <p>Thread-safe: every method holds the rotation's lock for a few field reads and writes, never across I/O.
 */
final class ServerRotation {

    /** The back-off after a server's first failure in a row. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

    /** The longest back-off. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private static final int MAX_DOUBLINGS = 16;

    /** One server and how it has fared. */
    static final class Server {
        private final int index;
        private final URI uri;
        private final SeatApi api;
        private int failures;
        private long retryAtNanos;

        private Server(int index, URI uri, SeatApi api) {
            this.index = index;
            this.uri = uri;
            this.api = api;
        }

        URI uri() {
            return uri;
        }

        SeatApi api() {
            return api;
        }

        @Override
        public String toString() {
            return uri.toString();
        }
    }

    private final List<Server> servers;
    private final LongSupplier nanoTime;
    private int preferred;

    ServerRotation(List<URI> uris, String token, LongSupplier nanoTime) {
        List<Server> list = new ArrayList<>();
        for (URI uri : uris) {
            list.add(new Server(list.size(), uri, new SeatApi(uri, token)));
        }
        this.servers = List.copyOf(list);
        this.nanoTime = nanoTime;
    }

    /** Every server, in the order they were given. */
    List<Server> all() {
        return servers;
    }

    /**
     * The servers a call tries, in order: the preferred server and the others that are not backing off; or,
     * when all are backing off, only the one whose back-off ends first.
     */
    synchronized List<Server> candidates() {
        long now = nanoTime.getAsLong();
        List<Server> ready = new ArrayList<>(servers.size());
        Server soonest = null;
        for (int i = 0; i < servers.size(); i++) {
            Server server = servers.get((preferred + i) % servers.size());
            if (server.failures == 0 || now - server.retryAtNanos >= 0) {
                ready.add(server);
            } else if (soonest == null || server.retryAtNanos - soonest.retryAtNanos < 0) {
                soonest = server;
            }
        }
        return ready.isEmpty() ? List.of(soonest) : ready;
    }

    /** The server answered: it is preferred from now on, and no longer backs off. */
    synchronized void succeeded(Server server) {
        server.failures = 0;
        preferred = server.index;
    }

    /**
     * The server failed: it backs off, for at least {@code retryAfter} when the server asked for that.
     *
     * @param retryAfter the server's {@code Retry-After}, or {@code null}
     */
    synchronized void failed(Server server, Duration retryAfter) {
        server.failures++;
        Duration delay = backoff(server.failures, ThreadLocalRandom.current().nextDouble());
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
            delay = retryAfter;
        }
        server.retryAtNanos = nanoTime.getAsLong() + delay.toNanos();
    }

    /**
     * The back-off after {@code failures} failures in a row: {@link #FIRST_BACKOFF} doubled per failure up to
     * {@link #MAX_BACKOFF}, with equal jitter (between half and all of it).
     *
     * @param random a number in [0, 1)
     */
    static Duration backoff(int failures, double random) {
        int doublings = Math.min(Math.max(failures, 1) - 1, MAX_DOUBLINGS);
        long base = Math.min(MAX_BACKOFF.toNanos(), FIRST_BACKOFF.toNanos() << doublings);
        return Duration.ofNanos((long) (base * (0.5 + 0.5 * random)));
    }

    @Override
    public synchronized String toString() {
        return servers.toString();
    }
}
