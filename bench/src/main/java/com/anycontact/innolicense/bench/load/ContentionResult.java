package com.anycontact.innolicense.bench.load;

/**
 * The result of a contention run: more clients than seats, each claiming, holding briefly and
 * releasing.
 *
 * @param arbiter the arbiter's name
 * @param clients the concurrent clients
 * @param capacity the seats
 * @param grants claims granted in the measured part
 * @param denials claims refused in the measured part
 * @param maxInUse the most leases the clients held at one moment, counted from each grant's
 *     acknowledgement to just before its release is sent (so never more than the arbiter held)
 * @param violations grants that made that count exceed the capacity: must be 0
 * @param errors operations that failed
 * @param seconds how long the measured part lasted
 * @param claimLatency the latency of claims, granted or denied
 */
record ContentionResult(
        String arbiter,
        int clients,
        int capacity,
        long grants,
        long denials,
        int maxInUse,
        long violations,
        long errors,
        double seconds,
        Latency claimLatency) {}
