package com.anycontact.innolicense.access;

import java.time.Instant;
import java.util.function.Function;

/**
 * Where the {@link LoginThrottle} keeps its counters, known-good pairs and global budget: in memory for the
 * embedded server ({@link InMemoryLoginThrottleStore}), in the cluster database for cluster nodes, so that the
 * delays and the budget hold across nodes (a guesser gains nothing by spreading guesses over them) and an unlock
 * on one node unlocks on all.
 *
 * <p>Addresses are address groups ({@link ClientAddresses#group}); usernames are as the throttle normalized them
 * (lower case).
 */
public interface LoginThrottleStore {

    /**
     * Runs one step of the throttle atomically: reads the records of {@code username} from {@code address} and
     * the budget, lets {@code step} change them, and writes back what it changed, with no other step of any node
     * between the read and the write.
     *
     * @param now the step's time, for a store that drops unlocked counters when full
     * @return what {@code step} returned
     */
    <T> T update(String username, String address, Instant now, Function<LoginThrottleRecords, T> step);

    /**
     * Deletes every counter of a username (its pairs) or of an address (the address's counter and its pairs).
     *
     * @param username a normalized username, or {@code null} to delete by address
     * @param address an address group, or {@code null} to delete by username
     * @return how many counters were deleted
     */
    int unlock(String username, String address);

    /** How many counters are locked at {@code now}. */
    int lockedCount(Instant now);

    /** How many counters are kept. */
    int size();

    /**
     * Deletes the counters whose last failure was at or before {@code failedBefore} and the known-good pairs whose
     * last login was at or before {@code loggedInBefore}: what the throttle no longer heeds.
     *
     * @return how many counters and pairs were deleted
     */
    int forget(Instant failedBefore, Instant loggedInBefore);
}
