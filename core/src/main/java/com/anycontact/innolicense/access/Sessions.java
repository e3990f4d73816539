package com.anycontact.innolicense.access;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The sessions of logged-in users, in memory: a restart logs everyone out.
 *
 * <p>A session ends when it has not been used for the idle timeout (default 30 minutes), and at
 * the latest the absolute timeout after login (default 12 hours), whichever comes first; each
 * {@link #find} within those limits counts as use and moves the idle deadline on. Time is read from
 * the injected clock.
 *
 * <p>Bounded: at most {@code maxSessions} are kept (default 10,000); a login beyond that first
 * drops the ended sessions and then, if still full, the session unused for the longest. Ended
 * sessions are also dropped when found, and by {@link #purgeExpired()}, which the server schedules
 * (every minute suits). Thread safe: every method holds the sessions' lock, and none does more
 * than map operations, except {@link #purgeExpired()}, which walks all sessions.
 *
 * <p>Whatever ends a session — logout ({@link #invalidate}), {@link #invalidateAll}, being dropped for a newer
 * one, or being found ended — is told to the listeners added with {@link #whenEnded}, after the lock is
 * released, so that what lives as long as a session (a live-event stream) ends with it at once.
 */
public final class Sessions {

    /** The default idle timeout. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);

    /** The default absolute timeout. */
    public static final Duration DEFAULT_ABSOLUTE_TIMEOUT = Duration.ofHours(12);

    /** The default number of sessions kept at most. */
    public static final int DEFAULT_MAX_SESSIONS = 10_000;

    private static final int SECRET_BYTES = 32;

    private final InstantSource clock;
    private final Duration idleTimeout;
    private final Duration absoluteTimeout;
    private final int maxSessions;
    private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>(16, 0.75f, true);
    private final List<Consumer<String>> endListeners = new CopyOnWriteArrayList<>();

    /** Sessions with the default timeouts and bound. */
    public Sessions(InstantSource clock) {
        this(clock, DEFAULT_IDLE_TIMEOUT, DEFAULT_ABSOLUTE_TIMEOUT, DEFAULT_MAX_SESSIONS);
    }

    /**
     * Sessions with the given timeouts and bound.
     *
     * @param clock the time sessions are created, used and ended at
     * @param idleTimeout how long an unused session lasts, positive
     * @param absoluteTimeout how long any session lasts at most, positive
     * @param maxSessions how many sessions are kept at most, positive
     */
    public Sessions(InstantSource clock, Duration idleTimeout, Duration absoluteTimeout, int maxSessions) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.idleTimeout = requirePositive(idleTimeout, "idleTimeout");
        this.absoluteTimeout = requirePositive(absoluteTimeout, "absoluteTimeout");
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be positive, got " + maxSessions);
        }
        this.maxSessions = maxSessions;
    }

    /**
     * Opens a session for a principal who has just logged in, with a new random ID and CSRF token.
     *
     * @param principal who logged in
     * @param remoteAddress where from
     */
    public Session create(Principal principal, String remoteAddress) {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Instant now = clock.instant();
        Session session = new Session(
                TokenSecrets.randomBase64Url(SECRET_BYTES),
                TokenSecrets.randomBase64Url(SECRET_BYTES),
                principal,
                remoteAddress,
                now,
                now,
                expiry(now, now));
        List<String> ended = new ArrayList<>();
        synchronized (sessions) {
            if (sessions.size() >= maxSessions) {
                removeEnded(now, ended);
            }
            Iterator<String> leastRecentlyUsedFirst = sessions.keySet().iterator();
            while (sessions.size() >= maxSessions && leastRecentlyUsedFirst.hasNext()) {
                ended.add(leastRecentlyUsedFirst.next());
                leastRecentlyUsedFirst.remove();
            }
            sessions.put(session.id(), session);
        }
        tellEnded(ended);
        return session;
    }

    /**
     * The session with that ID, if it has not ended; finding it counts as use, so the returned
     * session's {@code lastSeenAt} is now and its {@code expiresAt} moved on.
     */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session used;
        synchronized (sessions) {
            Session session = sessions.get(id);
            if (session == null) {
                return Optional.empty();
            }
            if (!session.expiresAt().isAfter(now)) {
                sessions.remove(id);
                used = null;
            } else {
                Instant seen = now.isAfter(session.lastSeenAt()) ? now : session.lastSeenAt();
                used = new Session(
                        session.id(),
                        session.csrfToken(),
                        session.principal(),
                        session.remoteAddress(),
                        session.createdAt(),
                        seen,
                        expiry(session.createdAt(), seen));
                sessions.put(id, used);
            }
        }
        if (used == null) {
            tellEnded(List.of(id));
            return Optional.empty();
        }
        return Optional.of(used);
    }

    /**
     * Whether the session with that ID has not ended, without counting as use: for a long-lived stream
     * that must end with its session but must not keep it alive.
     */
    public boolean isLive(String id) {
        if (id == null) {
            return false;
        }
        Instant now = clock.instant();
        synchronized (sessions) {
            Session session = sessions.get(id);
            return session != null && session.expiresAt().isAfter(now);
        }
    }

    /** Ends a session (logout); nothing happens when there is none with that ID. */
    public void invalidate(String id) {
        if (id == null) {
            return;
        }
        boolean removed;
        synchronized (sessions) {
            removed = sessions.remove(id) != null;
        }
        if (removed) {
            tellEnded(List.of(id));
        }
    }

    /**
     * Ends every session of one principal, as after the user was deleted or their password changed.
     *
     * @param kind how the principal authenticated
     * @param principalId the principal's {@link Principal#id()}: the username for a user, matched
     *     ignoring ASCII case
     * @return the number of sessions ended
     */
    public int invalidateAll(Principal.Kind kind, String principalId) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(principalId, "principalId");
        List<String> ended = new ArrayList<>();
        synchronized (sessions) {
            Iterator<Session> all = sessions.values().iterator();
            while (all.hasNext()) {
                Session session = all.next();
                Principal principal = session.principal();
                if (principal.kind() == kind && principal.id().equalsIgnoreCase(principalId)) {
                    all.remove();
                    ended.add(session.id());
                }
            }
        }
        tellEnded(ended);
        return ended.size();
    }

    /**
     * Drops the sessions that have ended.
     *
     * @return the number dropped
     */
    public int purgeExpired() {
        Instant now = clock.instant();
        List<String> ended = new ArrayList<>();
        synchronized (sessions) {
            removeEnded(now, ended);
        }
        tellEnded(ended);
        return ended.size();
    }

    /**
     * Adds a listener told the ID of every session that ends, on the thread that ended it, after the
     * sessions' lock is released; it must be quick and must not throw.
     */
    public void whenEnded(Consumer<String> listener) {
        endListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The number of sessions kept, ended ones not yet dropped included. */
    public int size() {
        synchronized (sessions) {
            return sessions.size();
        }
    }

    private void removeEnded(Instant now, List<String> ended) {
        Iterator<Session> all = sessions.values().iterator();
        while (all.hasNext()) {
            Session session = all.next();
            if (!session.expiresAt().isAfter(now)) {
                all.remove();
                ended.add(session.id());
            }
        }
    }

    private void tellEnded(List<String> ended) {
        for (String id : ended) {
            for (Consumer<String> listener : endListeners) {
                listener.accept(id);
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
