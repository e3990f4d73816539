package com.anycontact.innolicense.access;

import com.anycontact.innolicense.time.Ticker;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Slows password guessing without letting a guesser lock anyone else out. Three limits, all measured on a
 * monotonic {@link Ticker}:
 *
 * <ul>
 *   <li><b>Per user and address</b> (an address being an IPv4 address or an IPv6 /64, {@link
 *       ClientAddresses#group}): after {@link #PAIR_FREE_FAILURES} consecutive failures for one username from
 *       one address, that pair is locked for {@link #FIRST_LOCKOUT}, doubling with every further failure up to
 *       {@link #MAX_LOCKOUT}. It stops a guesser at one address from trying one user fast, and locks out
 *       nobody at any other address.
 *   <li><b>Per address</b>: after {@link #ADDRESS_FREE_FAILURES} consecutive failures from one address, for
 *       any usernames, the address is locked the same way. It stops one address from trying many users.
 *   <li><b>A global failure budget</b>: a bucket of {@link #GLOBAL_BUDGET} failures, refilled by one every
 *       {@link #GLOBAL_REFILL}. Every attempt takes one when it starts and gives it back if it succeeds; when
 *       the bucket is empty, attempts wait. It stops a guesser with many addresses from guessing fast.
 * </ul>
 *
 * <p>An attempt by a username from an address where that username logged in successfully within {@link
 * #KNOWN_GOOD_FOR} (a known-good pair) is subject only to its own pair's limit: neither a locked address (a
 * shared NAT) nor an exhausted global budget keeps a user out of their usual place, so no attacker can lock a
 * known user out from anywhere else. There is no lock per username alone; that was the hole that let anyone
 * lock out {@code admin}.
 *
 * <p>An attempt is counted as a failure when it starts ({@link #attempt}), before the password is checked, and
 * undone if it succeeds ({@link #succeeded}). So attempts made at the same moment cannot all pass the check
 * before any of them is counted.
 *
 * <p>Bounded: at most {@code maxEntries} counters and as many known-good pairs are kept. Beyond that the
 * counter whose last failure is oldest among those not locked right now is forgotten (a locked one only when
 * all are locked), so flooding the table with new addresses does not free a locked one. A counter is also
 * forgotten {@link #FORGET_AFTER} after its last failure. Thread safe: every method holds the throttle's lock;
 * none does more than a few map operations, except that eviction may scan the counters.
 */
final class LoginThrottle {

    /** Consecutive failures for one username from one address allowed before its first lockout. */
    static final int PAIR_FREE_FAILURES = 5;

    /** Consecutive failures from one address, for any usernames, allowed before its first lockout. */
    static final int ADDRESS_FREE_FAILURES = 20;

    /** How many failures the whole server may have in a burst before attempts wait. */
    static final int GLOBAL_BUDGET = 100;

    /** How fast the global budget refills: one failure per this duration. */
    static final Duration GLOBAL_REFILL = Duration.ofSeconds(1);

    /** The first lockout. */
    static final Duration FIRST_LOCKOUT = Duration.ofSeconds(1);

    /** The longest lockout. */
    static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);

    /** How long after its last failure a counter is forgotten. */
    static final Duration FORGET_AFTER = Duration.ofHours(24);

    /** How long after a successful login its username and address stay a known-good pair. */
    static final Duration KNOWN_GOOD_FOR = Duration.ofDays(30);

    /**
     * What a counter counts: failures for one username from one address, or ({@code username == null}) from
     * one address for any usernames.
     */
    private record Key(String username, String address) {}

    private record Failures(int count, long lockedUntil, long lastFailure) {
        boolean lockedAt(long now) {
            return lockedUntil - now > 0;
        }
    }

    /**
     * An attempt let through by {@link #attempt}, to be passed to {@link #succeeded} if the password was right.
     *
     * @param username the username, lower case
     * @param address the address group
     * @param knownGood whether the pair had logged in successfully before (then no budget was taken)
     */
    record Admitted(String username, String address, boolean knownGood) {}

    private final Ticker ticker;
    private final int maxEntries;
    private final LinkedHashMap<Key, Failures> failures = new LinkedHashMap<>();
    private final LinkedHashMap<Key, Long> knownGood = new LinkedHashMap<>(16, 0.75f, true);
    private double budget = GLOBAL_BUDGET;
    private long budgetReadAt;

    /**
     * Creates a throttle.
     *
     * @param ticker the monotonic time that lockouts, the budget's refill and forgetting are measured with
     * @param maxEntries how many counters, and how many known-good pairs, are kept at most
     */
    LoginThrottle(Ticker ticker, int maxEntries) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.budgetReadAt = ticker.nanos();
    }

    /**
     * Starts an attempt: when a limit applies, returns how long until it lifts and counts nothing; otherwise
     * counts a failure for the pair (and, unless the pair is known-good, for the address and against the
     * global budget) and admits the attempt.
     *
     * @param username the username as typed; compared ignoring case
     * @param address the client's address group ({@link ClientAddresses#group})
     * @return the admitted attempt, or how long to wait
     */
    synchronized Result attempt(String username, String address) {
        long now = ticker.nanos();
        Key pair = new Key(normalized(username), Objects.requireNonNull(address, "address"));
        Key addressKey = new Key(null, address);
        boolean known = isKnownGood(pair, now);
        long wait = lockLeft(pair, now);
        if (!known) {
            wait = Math.max(wait, lockLeft(addressKey, now));
        }
        if (wait > 0) {
            return new Result.Wait(Duration.ofNanos(wait));
        }
        if (!known) {
            refill(now);
            if (budget < 1) {
                long refillNanos = GLOBAL_REFILL.toNanos();
                return new Result.Wait(Duration.ofNanos(Math.max(1, (long) Math.ceil((1 - budget) * refillNanos))));
            }
            budget -= 1;
            count(addressKey, ADDRESS_FREE_FAILURES, now);
        }
        count(pair, PAIR_FREE_FAILURES, now);
        evictBeyondBound(now);
        return new Result.Go(new Admitted(pair.username(), address, known));
    }

    /** Undoes the counting of an attempt whose password was right, and remembers its pair as known-good. */
    synchronized void succeeded(Admitted attempt) {
        long now = ticker.nanos();
        Key pair = new Key(attempt.username(), attempt.address());
        failures.remove(pair);
        if (!attempt.knownGood()) {
            budget = Math.min(GLOBAL_BUDGET, budget + 1);
            Key addressKey = new Key(null, attempt.address());
            Failures address = failures.get(addressKey);
            if (address != null) {
                if (address.count() <= 1) {
                    failures.remove(addressKey);
                } else {
                    failures.put(
                            addressKey,
                            new Failures(address.count() - 1, address.lockedUntil(), address.lastFailure()));
                }
            }
        }
        knownGood.put(pair, now);
        while (knownGood.size() > maxEntries) {
            Iterator<Key> eldest = knownGood.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    /**
     * Forgets every counter of a username (all its pairs) or of an address group (the address and all its
     * pairs), lifting their lockouts.
     *
     * @param username a username, or {@code null} to unlock by address
     * @param address an address group, or {@code null} to unlock by username
     * @return how many counters were forgotten
     */
    synchronized int unlock(String username, String address) {
        String user = username == null ? null : normalized(username);
        int before = failures.size();
        failures.keySet()
                .removeIf(key -> (user != null && user.equals(key.username()))
                        || (address != null && address.equals(key.address())));
        return before - failures.size();
    }

    /** The number of counters kept. */
    synchronized int size() {
        return failures.size();
    }

    /** How many counters are locked right now. */
    synchronized int lockedCount() {
        long now = ticker.nanos();
        return (int) failures.values().stream().filter(f -> f.lockedAt(now)).count();
    }

    /** The lockout set by the {@code count}th consecutive failure when {@code free} are allowed. */
    static Duration lockout(int count, int free) {
        int doublings = count - free;
        if (doublings >= 20) {
            return MAX_LOCKOUT;
        }
        Duration lockout = FIRST_LOCKOUT.multipliedBy(1L << doublings);
        return lockout.compareTo(MAX_LOCKOUT) > 0 ? MAX_LOCKOUT : lockout;
    }

    /** The outcome of {@link #attempt}. */
    sealed interface Result {
        /** Check the password, then report a success with {@link #succeeded}. */
        record Go(Admitted attempt) implements Result {}

        /** Do not check the password; the next attempt may be admitted after {@code retryAfter}. */
        record Wait(Duration retryAfter) implements Result {}
    }

    private boolean isKnownGood(Key pair, long now) {
        Long at = knownGood.get(pair);
        if (at == null) {
            return false;
        }
        if (now - at >= KNOWN_GOOD_FOR.toNanos()) {
            knownGood.remove(pair);
            return false;
        }
        return true;
    }

    private long lockLeft(Key key, long now) {
        Failures known = current(key, now);
        return known != null && known.lockedAt(now) ? known.lockedUntil() - now : 0;
    }

    private void count(Key key, int free, long now) {
        Failures known = current(key, now);
        int count = known == null ? 1 : known.count() + 1;
        long lockedUntil = count >= free ? now + lockout(count, free).toNanos() : now;
        failures.remove(key);
        failures.put(key, new Failures(count, lockedUntil, now));
    }

    private void refill(long now) {
        long elapsed = now - budgetReadAt;
        budgetReadAt = now;
        if (elapsed > 0) {
            budget = Math.min(GLOBAL_BUDGET, budget + (double) elapsed / GLOBAL_REFILL.toNanos());
        }
    }

    private Failures current(Key key, long now) {
        Failures known = failures.get(key);
        if (known != null && now - known.lastFailure() >= FORGET_AFTER.toNanos()) {
            failures.remove(key);
            return null;
        }
        return known;
    }

    private void evictBeyondBound(long now) {
        while (failures.size() > maxEntries) {
            Iterator<Map.Entry<Key, Failures>> oldestFirst = failures.entrySet().iterator();
            boolean removed = false;
            while (oldestFirst.hasNext()) {
                if (!oldestFirst.next().getValue().lockedAt(now)) {
                    oldestFirst.remove();
                    removed = true;
                    break;
                }
            }
            if (!removed) {
                oldestFirst = failures.entrySet().iterator();
                oldestFirst.next();
                oldestFirst.remove();
            }
        }
    }

    private static String normalized(String username) {
        String key = username == null ? "" : username.toLowerCase(java.util.Locale.ROOT);
        return key.length() > User.MAX_USERNAME_LENGTH ? key.substring(0, User.MAX_USERNAME_LENGTH) : key;
    }
}
