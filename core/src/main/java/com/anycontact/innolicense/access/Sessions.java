package com.anycontact.innolicense.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The sessions of logged-in users, kept in a {@link SessionStore}: in memory for the embedded server (a restart
 * logs everyone out), in the cluster database for cluster nodes (a session made on one node is valid on all, and
 * ends on all when it ends on one).
 *
 * <p>A session ends when it has not been used for the idle timeout (default 30 minutes), and at the latest the
 * absolute timeout after login (default 12 hours), whichever comes first; each {@link #find} within those limits
 * counts as use and moves the idle deadline on. The store is told of a use only when it moves the recorded last
 * use on by at least {@code touchEvery} (zero in memory: every use; a minute in the cluster database, so that a
 * page's requests do not each write), so a session ends between the idle timeout minus {@code touchEvery} and the
 * idle timeout after its last use. Time is read from the injected clock: on the embedded server one that advances
 * only with a monotonic clock (the server passes its {@link com.anycontact.innolicense.time.SteadyClock}), so that
 * a step of the system clock neither ends sessions at once nor keeps them forever; on cluster nodes the trusted
 * wall clock, which every node reads alike (nodes must agree on time).
 *
 * <p>The store keeps the digest of a session's ID ({@link TokenSecrets#digest}), never the ID, and no CSRF token:
 * the token is derived from the ID ({@link #csrfTokenOf}), so any node can give it back to the page, and nothing
 * stored lets anyone act as the session.
 *
 * <p>Whatever ends a session through this object — logout ({@link #invalidate}), {@link #invalidateAll}, being
 * dropped for a newer one, or being found ended — is told to the listeners added with {@link #whenEnded}, by the
 * session's digest ({@link Session#digest()}), once, on the thread that ended it, so that what lives as long as a
 * session (a live-event stream) ends with it at once. A session ended by another node is told to that node's
 * listeners, not to these; here it is found ended at its next use or {@link #isLive} check. Thread safe, as the
 * store is.
 */
public final class Sessions {

    /** The default idle timeout. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);

    /** The default absolute timeout. */
    public static final Duration DEFAULT_ABSOLUTE_TIMEOUT = Duration.ofHours(12);

    /** The default number of sessions kept at most in memory. */
    public static final int DEFAULT_MAX_SESSIONS = InMemorySessionStore.DEFAULT_MAX_SESSIONS;

    /**
     * How far a use must move a session's recorded last use before the cluster database is written: the idle
     * timeout holds to within this.
     */
    public static final Duration SHARED_TOUCH_EVERY = Duration.ofMinutes(1);

    private static final int SECRET_BYTES = 32;
    private static final byte[] CSRF_LABEL = "innolicense session csrf token v1:".getBytes(StandardCharsets.UTF_8);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SessionStore store;
    private final InstantSource clock;
    private final Duration idleTimeout;
    private final Duration absoluteTimeout;
    private final Duration touchEvery;
    private final List<Consumer<String>> endListeners = new CopyOnWriteArrayList<>();

    /** Sessions in memory with the default timeouts and bound. */
    public Sessions(InstantSource clock) {
        this(clock, DEFAULT_IDLE_TIMEOUT, DEFAULT_ABSOLUTE_TIMEOUT, DEFAULT_MAX_SESSIONS);
    }

    /**
     * Sessions in memory with the given timeouts and bound; every use is recorded.
     *
     * @param clock the time sessions are created, used and ended at
     * @param idleTimeout how long an unused session lasts, positive
     * @param absoluteTimeout how long any session lasts at most, positive
     * @param maxSessions how many sessions are kept at most, positive
     */
    public Sessions(InstantSource clock, Duration idleTimeout, Duration absoluteTimeout, int maxSessions) {
        this(new InMemorySessionStore(maxSessions), clock, idleTimeout, absoluteTimeout, Duration.ZERO);
    }

    /**
     * Sessions in the cluster database, shared with the other nodes: the default timeouts, and a use recorded
     * when it moves the last use on by {@link #SHARED_TOUCH_EVERY}.
     *
     * @param store the cluster database's sessions
     * @param clock the trusted wall clock, read alike by every node
     */
    public static Sessions shared(SessionStore store, InstantSource clock) {
        return new Sessions(store, clock, DEFAULT_IDLE_TIMEOUT, DEFAULT_ABSOLUTE_TIMEOUT, SHARED_TOUCH_EVERY);
    }

    /**
     * Sessions kept in a store.
     *
     * @param store where the sessions are kept
     * @param clock the time sessions are created, used and ended at
     * @param idleTimeout how long an unused session lasts, positive
     * @param absoluteTimeout how long any session lasts at most, positive
     * @param touchEvery how far a use must move the recorded last use on before the store is told, zero or
     *     positive and shorter than the idle timeout
     */
    public Sessions(
            SessionStore store,
            InstantSource clock,
            Duration idleTimeout,
            Duration absoluteTimeout,
            Duration touchEvery) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.idleTimeout = requirePositive(idleTimeout, "idleTimeout");
        this.absoluteTimeout = requirePositive(absoluteTimeout, "absoluteTimeout");
        Objects.requireNonNull(touchEvery, "touchEvery");
        if (touchEvery.isNegative() || touchEvery.compareTo(idleTimeout) >= 0) {
            throw new IllegalArgumentException(
                    "touchEvery must be zero or positive and shorter than the idle timeout, got " + touchEvery);
        }
        this.touchEvery = touchEvery;
    }

    /**
     * Opens a session for a principal who has just logged in, with a new random ID and the CSRF token derived
     * from it.
     *
     * @param principal who logged in
     * @param remoteAddress where from
     */
    public Session create(Principal principal, String remoteAddress) {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Instant now = clock.instant();
        String id = TokenSecrets.randomBase64Url(SECRET_BYTES);
        Instant expiresAt = expiry(now, now);
        List<String> dropped = store.create(
                new StoredSession(TokenSecrets.digest(id), principal, remoteAddress, now, now, expiresAt), now);
        tellEnded(dropped);
        return new Session(id, csrfTokenOf(id), principal, remoteAddress, now, now, expiresAt);
    }

    /**
     * The session with that ID, if it has not ended; finding it counts as use, so the returned session's {@code
     * lastSeenAt} is now and its {@code expiresAt} moved on.
     */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String digest = TokenSecrets.digest(id);
        Optional<StoredSession> found = store.find(digest);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StoredSession stored = found.get();
        Instant now = clock.instant();
        if (stored.endedAt(now)) {
            if (store.delete(digest)) {
                tellEnded(List.of(digest));
            }
            return Optional.empty();
        }
        Instant seen = now.isAfter(stored.lastSeenAt()) ? now : stored.lastSeenAt();
        Instant expiresAt = expiry(stored.createdAt(), seen);
        if (seen.isAfter(stored.lastSeenAt())
                && !seen.isBefore(stored.lastSeenAt().plus(touchEvery))
                && !store.touch(digest, seen, expiresAt, now)) {
            return Optional.empty(); // ended meanwhile, by whoever deleted it
        }
        return Optional.of(new Session(
                id, csrfTokenOf(id), stored.principal(), stored.remoteAddress(), stored.createdAt(), seen, expiresAt));
    }

    /**
     * Whether the session with that ID has not ended, without counting as use: for a long-lived stream that must
     * end with its session but must not keep it alive.
     */
    public boolean isLive(String id) {
        if (id == null) {
            return false;
        }
        Instant now = clock.instant();
        return store.find(TokenSecrets.digest(id))
                .filter(session -> !session.endedAt(now))
                .isPresent();
    }

    /** Ends a session (logout), on every node; nothing happens when there is none with that ID. */
    public void invalidate(String id) {
        if (id == null) {
            return;
        }
        String digest = TokenSecrets.digest(id);
        if (store.delete(digest)) {
            tellEnded(List.of(digest));
        }
    }

    /**
     * Ends every session of one principal, as after the user was deleted or their password changed.
     *
     * @param kind how the principal authenticated
     * @param principalId the principal's {@link Principal#id()}: the username for a user, matched ignoring ASCII
     *     case
     * @return the number of sessions ended
     */
    public int invalidateAll(Principal.Kind kind, String principalId) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(principalId, "principalId");
        List<String> ended = store.deleteAll(kind, principalId);
        tellEnded(ended);
        return ended.size();
    }

    /**
     * Drops the sessions that have ended.
     *
     * @return the number dropped
     */
    public int purgeExpired() {
        List<String> ended = store.deleteEnded(clock.instant());
        tellEnded(ended);
        return ended.size();
    }

    /**
     * Adds a listener told the digest ({@link Session#digest()}) of every session that ends through this object,
     * on the thread that ended it; it must be quick and must not throw. A digest is no secret: it may be sent to
     * other nodes.
     */
    public void whenEnded(Consumer<String> listener) {
        endListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The number of sessions kept, ended ones not yet dropped included. */
    public int size() {
        return store.size();
    }

    /**
     * The CSRF token of the session with this ID: SHA-256 of a fixed label followed by the ID, in unpadded
     * base64url (43 characters). Only who knows the ID can compute it: the ID is stored nowhere, and its stored
     * digest (SHA-256 of the ID alone) does not give this one.
     */
    public static String csrfTokenOf(String id) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(CSRF_LABEL);
            return BASE64URL.encodeToString(sha256.digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private void tellEnded(List<String> ended) {
        for (String digest : ended) {
            for (Consumer<String> listener : endListeners) {
                listener.accept(digest);
            }
        }
    }

    private Instant expiry(Instant createdAt, Instant lastSeenAt) {
        Instant idleEnd = lastSeenAt.plus(idleTimeout);
        Instant absoluteEnd = createdAt.plus(absoluteTimeout);
        return idleEnd.isBefore(absoluteEnd) ? idleEnd : absoluteEnd;
    }

    private static Duration requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
        return duration;
    }
}
