package com.anycontact.innolicense.access;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The login throttle's records in memory, for the embedded server: a restart forgets them.
 *
 * <p>Bounded: at most {@code maxEntries} counters and as many known-good pairs are kept. Beyond that the counter
 * whose last failure is oldest among those not locked right now is forgotten (a locked one only when all are
 * locked), so flooding the table with new addresses does not free a locked one; the known-good pair used longest
 * ago is forgotten. Thread safe: every method holds the store's lock; none does more than a few map operations,
 * except that eviction and {@link #forget} may scan the counters.
 */
public final class InMemoryLoginThrottleStore implements LoginThrottleStore {

    /** The default number of counters, and of known-good pairs, kept at most. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    /** What a counter counts: one username from one address, or ({@code username == null}) one address. */
    private record Key(String username, String address) {}

    private final int maxEntries;
    private final LinkedHashMap<Key, LoginFailures> failures = new LinkedHashMap<>();
    private final LinkedHashMap<Key, Instant> knownGood = new LinkedHashMap<>(16, 0.75f, true);
    private LoginBudget budget = LoginBudget.FULL;

    /** A store of at most {@value #DEFAULT_MAX_ENTRIES} counters and known-good pairs. */
    public InMemoryLoginThrottleStore() {
        this(DEFAULT_MAX_ENTRIES);
    }

    /**
     * A store of at most {@code maxEntries} counters, and as many known-good pairs.
     *
     * @param maxEntries positive
     */
    public InMemoryLoginThrottleStore(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    @Override
    public synchronized <T> T update(
            String username, String address, Instant now, Function<LoginThrottleRecords, T> step) {
        Key pair = new Key(Objects.requireNonNull(username, "username"), Objects.requireNonNull(address, "address"));
        Key whole = new Key(null, address);
        LoginThrottleRecords records = new LoginThrottleRecords(
                Optional.ofNullable(failures.get(pair)),
                Optional.ofNullable(failures.get(whole)),
                Optional.ofNullable(knownGood.get(pair)),
                budget);
        T result = step.apply(records);
        if (records.addressChanged()) {
            write(whole, records.address());
        }
        if (records.pairChanged()) {
            write(pair, records.pair());
        }
        if (records.knownGoodChanged()) {
            knownGood.put(pair, records.knownGoodSince().orElseThrow());
            while (knownGood.size() > maxEntries) {
                Iterator<Key> eldest = knownGood.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
        }
        if (records.budgetChanged()) {
            budget = records.budget();
        }
        evictBeyondBound(Objects.requireNonNull(now, "now"));
        return result;
    }

    @Override
    public synchronized int unlock(String username, String address) {
        int before = failures.size();
        failures.keySet()
                .removeIf(key -> (username != null && username.equals(key.username()))
                        || (address != null && address.equals(key.address())));
        return before - failures.size();
    }

    @Override
    public synchronized int lockedCount(Instant now) {
        return (int) failures.values().stream().filter(f -> f.lockedAt(now)).count();
    }

    @Override
    public synchronized int size() {
        return failures.size();
    }

    @Override
    public synchronized int forget(Instant failedBefore, Instant loggedInBefore) {
        int before = failures.size() + knownGood.size();
        failures.values().removeIf(f -> !f.lastFailure().isAfter(failedBefore));
        knownGood.values().removeIf(at -> !at.isAfter(loggedInBefore));
        return before - failures.size() - knownGood.size();
    }

    private void write(Key key, Optional<LoginFailures> counter) {
        failures.remove(key);
        counter.ifPresent(value -> failures.put(key, value));
    }

    private void evictBeyondBound(Instant now) {
        while (failures.size() > maxEntries) {
            Iterator<Map.Entry<Key, LoginFailures>> oldestFirst =
                    failures.entrySet().iterator();
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
}
