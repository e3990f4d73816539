package com.anycontact.innolicense.access;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Browser sessions in memory, for the embedded server: a restart logs everyone out. Kept in order of last use,
 * so that the least recently used is the first dropped when the store is full. Thread safe: every method holds
 * the store's lock, and none does more than map operations except {@link #deleteEnded} and {@link #deleteAll},
 * which walk all sessions.
 */
public final class InMemorySessionStore implements SessionStore {

    /** The default number of sessions kept at most. */
    public static final int DEFAULT_MAX_SESSIONS = 10_000;

    private final int maxSessions;
    private final LinkedHashMap<String, StoredSession> sessions = new LinkedHashMap<>(16, 0.75f, true);

    /** A store of at most {@value #DEFAULT_MAX_SESSIONS} sessions. */
    public InMemorySessionStore() {
        this(DEFAULT_MAX_SESSIONS);
    }

    /**
     * A store of at most {@code maxSessions} sessions.
     *
     * @param maxSessions how many sessions are kept at most, positive
     */
    public InMemorySessionStore(int maxSessions) {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be positive, got " + maxSessions);
        }
        this.maxSessions = maxSessions;
    }

    @Override
    public synchronized List<String> create(StoredSession session, Instant now) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(now, "now");
        List<String> dropped = new ArrayList<>();
        if (sessions.size() >= maxSessions) {
            dropped.addAll(deleteEnded(now));
        }
        Iterator<String> leastRecentlyUsedFirst = sessions.keySet().iterator();
        while (sessions.size() >= maxSessions && leastRecentlyUsedFirst.hasNext()) {
            dropped.add(leastRecentlyUsedFirst.next());
            leastRecentlyUsedFirst.remove();
        }
        sessions.put(session.digest(), session);
        return dropped;
    }

    @Override
    public synchronized Optional<StoredSession> find(String digest) {
        return Optional.ofNullable(sessions.get(Objects.requireNonNull(digest, "digest")));
    }

    @Override
    public synchronized boolean touch(String digest, Instant lastSeenAt, Instant expiresAt, Instant now) {
        StoredSession session = sessions.get(Objects.requireNonNull(digest, "digest"));
        if (session == null || session.endedAt(now)) {
            return false;
        }
        sessions.put(
                digest,
                new StoredSession(
                        digest,
                        session.principal(),
                        session.remoteAddress(),
                        session.createdAt(),
                        later(session.lastSeenAt(), lastSeenAt),
                        later(session.expiresAt(), expiresAt)));
        return true;
    }

    @Override
    public synchronized boolean delete(String digest) {
        return sessions.remove(Objects.requireNonNull(digest, "digest")) != null;
    }

    @Override
    public synchronized List<String> deleteAll(Principal.Kind kind, String principalId) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(principalId, "principalId");
        List<String> deleted = new ArrayList<>();
        Iterator<StoredSession> all = sessions.values().iterator();
        while (all.hasNext()) {
            StoredSession session = all.next();
            Principal principal = session.principal();
            if (principal.kind() == kind && principal.id().equalsIgnoreCase(principalId)) {
                all.remove();
                deleted.add(session.digest());
            }
        }
        return deleted;
    }

    @Override
    public synchronized List<String> deleteEnded(Instant now) {
        Objects.requireNonNull(now, "now");
        List<String> deleted = new ArrayList<>();
        Iterator<StoredSession> all = sessions.values().iterator();
        while (all.hasNext()) {
            StoredSession session = all.next();
            if (session.endedAt(now)) {
                all.remove();
                deleted.add(session.digest());
            }
        }
        return deleted;
    }

    @Override
    public synchronized int size() {
        return sessions.size();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
