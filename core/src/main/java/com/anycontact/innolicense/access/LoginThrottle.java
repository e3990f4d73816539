package com.anycontact.innolicense.access;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Slows password guessing without letting a guesser lock anyone else out. Three limits:
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
 * <p>The records live in a {@link LoginThrottleStore}, each step one atomic update of it: in memory on the
 * embedded server, measured on a clock that only a monotonic clock moves; in the cluster database on cluster
 * nodes, measured on the trusted wall clock, so that every node sees the same delays and spends the same budget
 * (the budget's refill time never moves back, so nodes whose clocks disagree do not refill it twice; a lockout
 * lasts as long as the nodes' clocks agree, give or take their skew). A counter is forgotten {@link #FORGET_AFTER}
 * after its last failure, and a known-good pair {@link #KNOWN_GOOD_FOR} after its login ({@link #forgetOld}).
 */
public final class LoginThrottle {

    /** Consecutive failures for one username from one address allowed before its first lockout. */
    public static final int PAIR_FREE_FAILURES = 5;

    /** Consecutive failures from one address, for any usernames, allowed before its first lockout. */
    public static final int ADDRESS_FREE_FAILURES = 20;

    /** How many failures the whole server (every node of a cluster) may have in a burst before attempts wait. */
    public static final int GLOBAL_BUDGET = 100;

    /** How fast the global budget refills: one failure per this duration. */
    public static final Duration GLOBAL_REFILL = Duration.ofSeconds(1);

    /** The first lockout. */
    public static final Duration FIRST_LOCKOUT = Duration.ofSeconds(1);

    /** The longest lockout. */
    public static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);

    /** How long after its last failure a counter is forgotten. */
    public static final Duration FORGET_AFTER = Duration.ofHours(24);

    /** How long after a successful login its username and address stay a known-good pair. */
    public static final Duration KNOWN_GOOD_FOR = Duration.ofDays(30);

    /**
     * An attempt let through by {@link #attempt}, to be passed to {@link #succeeded} if the password was right.
     *
     * @param username the username, lower case
     * @param address the address group
     * @param knownGood whether the pair had logged in successfully before (then no budget was taken)
     */
    public record Admitted(String username, String address, boolean knownGood) {}

    /** The outcome of {@link #attempt}. */
    public sealed interface Result {
        /** Check the password, then report a success with {@link #succeeded}. */
        record Go(Admitted attempt) implements Result {}

        /** Do not check the password; the next attempt may be admitted after {@code retryAfter}. */
        record Wait(Duration retryAfter) implements Result {}
    }

    private final LoginThrottleStore store;
    private final InstantSource clock;

    /**
     * Creates a throttle.
     *
     * @param store where the counters, known-good pairs and budget are kept
     * @param clock the time lockouts, the budget's refill and forgetting are measured with
     */
    public LoginThrottle(LoginThrottleStore store, InstantSource clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
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
    public Result attempt(String username, String address) {
        Objects.requireNonNull(address, "address");
        Instant now = clock.instant();
        String user = normalized(username);
        return store.update(user, address, now, records -> {
            boolean known = records.knownGoodSince()
                    .filter(at -> now.isBefore(at.plus(KNOWN_GOOD_FOR)))
                    .isPresent();
            Optional<LoginFailures> pair = current(records.pair(), now);
            Optional<LoginFailures> whole = current(records.address(), now);
            Duration wait = lockLeft(pair, now);
            if (!known) {
                Duration addressWait = lockLeft(whole, now);
                wait = addressWait.compareTo(wait) > 0 ? addressWait : wait;
            }
            if (wait.isPositive()) {
                return new Result.Wait(wait);
            }
            if (!known) {
                LoginBudget budget = records.budget().refilledAt(now);
                if (budget.left() < 1) {
                    records.setBudget(budget);
                    long refillNanos = GLOBAL_REFILL.toNanos();
                    return new Result.Wait(Duration.ofNanos(
                            Math.max(1, (long) Math.ceil((1 - budget.left()) * refillNanos))));
                }
                records.setBudget(new LoginBudget(budget.left() - 1, budget.readAt()));
                records.setAddress(Optional.of(counted(whole, ADDRESS_FREE_FAILURES, now)));
            }
            records.setPair(Optional.of(counted(pair, PAIR_FREE_FAILURES, now)));
            return new Result.Go(new Admitted(user, address, known));
        });
    }

    /** Undoes the counting of an attempt whose password was right, and remembers its pair as known-good. */
    public void succeeded(Admitted attempt) {
        Objects.requireNonNull(attempt, "attempt");
        Instant now = clock.instant();
        store.update(attempt.username(), attempt.address(), now, records -> {
            records.setPair(Optional.empty());
            if (!attempt.knownGood()) {
                LoginBudget budget = records.budget();
                records.setBudget(new LoginBudget(Math.min(GLOBAL_BUDGET, budget.left() + 1), budget.readAt()));
                records.address()
                        .ifPresent(whole -> records.setAddress(
                                whole.count() <= 1
                                        ? Optional.empty()
                                        : Optional.of(new LoginFailures(
                                                whole.count() - 1, whole.lockedUntil(), whole.lastFailure()))));
            }
            records.setKnownGoodSince(now);
            return null;
        });
    }

    /**
     * Forgets every counter of a username (all its pairs) or of an address group (the address and all its
     * pairs), lifting their lockouts; on every node that shares the store.
     *
     * @param username a username, or {@code null} to unlock by address
     * @param address an address group, or {@code null} to unlock by username
     * @return how many counters were forgotten
     */
    public int unlock(String username, String address) {
        return store.unlock(username == null ? null : normalized(username), address);
    }

    /** How many counters are locked right now. */
    public int lockedCount() {
        return store.lockedCount(clock.instant());
    }

    /** The number of counters kept. */
    public int size() {
        return store.size();
    }

    /**
     * Deletes the counters and known-good pairs that are no longer heeded: run it now and then (the server does
     * every minute) so that the store does not grow with old addresses.
     *
     * @return how many were deleted
     */
    public int forgetOld() {
        Instant now = clock.instant();
        return store.forget(now.minus(FORGET_AFTER), now.minus(KNOWN_GOOD_FOR));
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

    private static Optional<LoginFailures> current(Optional<LoginFailures> counter, Instant now) {
        return counter.filter(known -> now.isBefore(known.lastFailure().plus(FORGET_AFTER)));
    }

    private static Duration lockLeft(Optional<LoginFailures> counter, Instant now) {
        return counter.filter(known -> known.lockedAt(now))
                .map(known -> Duration.between(now, known.lockedUntil()))
                .orElse(Duration.ZERO);
    }

    private static LoginFailures counted(Optional<LoginFailures> known, int free, Instant now) {
        int count = known.map(LoginFailures::count).orElse(0) + 1;
        Instant lockedUntil = count >= free ? now.plus(lockout(count, free)) : now;
        return new LoginFailures(count, lockedUntil, now);
    }

    private static String normalized(String username) {
        String key = username == null ? "" : username.toLowerCase(Locale.ROOT);
        return key.length() > User.MAX_USERNAME_LENGTH ? key.substring(0, User.MAX_USERNAME_LENGTH) : key;
    }
}
