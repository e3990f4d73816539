package com.anycontact.innolicense.access;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Counts consecutive failed logins per key (a username, a remote address) and locks a key out
 * after {@link #FREE_FAILURES} of them: for {@link #FIRST_LOCKOUT}, doubling with every further
 * failure up to {@link #MAX_LOCKOUT}. A success clears the keys it was made with.
 *
 * <p>An attempt is counted as a failure when it starts ({@link #attempt}), before the password is
 * checked, and cleared if it succeeds. So attempts made at the same moment cannot all pass the
 * check before any of them is counted: at most {@link #FREE_FAILURES} run before a lockout.
 *
 * <p>Bounded: at most {@code maxKeys} keys are kept; beyond that the key whose last failure is the
 * oldest is forgotten. A key is also forgotten {@link #FORGET_AFTER} after its last failure. Thread
 * safe: every method holds the throttle's lock, and none does more than a few map operations.
 */
final class LoginThrottle {

    /** Consecutive failures allowed before the first lockout. */
    static final int FREE_FAILURES = 5;

    /** The first lockout. */
    static final Duration FIRST_LOCKOUT = Duration.ofSeconds(1);

    /** The longest lockout. */
    static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);

    /** How long after its last failure a key is forgotten. */
    static final Duration FORGET_AFTER = Duration.ofHours(24);

    private final int maxKeys;
    private final LinkedHashMap<String, Failures> failures = new LinkedHashMap<>();

    LoginThrottle(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be positive, got " + maxKeys);
        }
        this.maxKeys = maxKeys;
    }

    /**
     * Starts an attempt with the given keys: when any of them is locked out, returns how long the
     * longest lockout still lasts and counts nothing; otherwise counts a failure for each key,
     * locking it out when that makes too many, and returns empty.
     */
    synchronized Optional<Duration> attempt(List<String> keys, Instant now) {
        Duration wait = Duration.ZERO;
        for (String key : keys) {
            Failures known = current(key, now);
            if (known != null && known.lockedUntil.isAfter(now)) {
                Duration left = Duration.between(now, known.lockedUntil);
                if (left.compareTo(wait) > 0) {
                    wait = left;
                }
            }
        }
        if (!wait.isZero()) {
            return Optional.of(wait);
        }
        for (String key : keys) {
            Failures known = current(key, now);
            int count = known == null ? 1 : known.count + 1;
            Instant lockedUntil = count >= FREE_FAILURES ? now.plus(lockout(count)) : now;
            failures.remove(key);
            failures.put(key, new Failures(count, lockedUntil, now));
        }
        evictBeyondBound();
        return Optional.empty();
    }

    /** Clears the keys of an attempt that succeeded. */
    synchronized void succeeded(List<String> keys) {
        for (String key : keys) {
            failures.remove(key);
        }
    }

    /** The number of keys kept. */
    synchronized int size() {
        return failures.size();
    }

    /** The lockout set by the {@code count}th consecutive failure. */
    static Duration lockout(int count) {
        int doublings = count - FREE_FAILURES;
        if (doublings >= 20) {
            return MAX_LOCKOUT;
        }
        Duration lockout = FIRST_LOCKOUT.multipliedBy(1L << doublings);
        return lockout.compareTo(MAX_LOCKOUT) > 0 ? MAX_LOCKOUT : lockout;
    }

    private Failures current(String key, Instant now) {
        Failures known = failures.get(Objects.requireNonNull(key, "key"));
        if (known != null && !known.lastFailure.plus(FORGET_AFTER).isAfter(now)) {
            failures.remove(key);
            return null;
        }
        return known;
    }

    private void evictBeyondBound() {
        Iterator<Map.Entry<String, Failures>> oldestFirst = failures.entrySet().iterator();
        while (failures.size() > maxKeys && oldestFirst.hasNext()) {
            oldestFirst.next();
            oldestFirst.remove();
        }
    }

    private record Failures(int count, Instant lockedUntil, Instant lastFailure) {}
}
