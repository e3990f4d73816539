package com.anycontact.innolicense.bench.load;

/**
 * The result of one throughput run of one arbiter.
 *
 * @param arbiter the arbiter's name
 * @param scenario what was measured
 * @param clients the concurrent clients
 * @param operations the operations completed in the measured part (a claim + release pair counts
 *     once)
 * @param seconds how long the measured part lasted
 * @param latency the latency of the timed step (the claim of a pair, or a renewal)
 * @param denials claims refused for want of a seat, or renewals of a lease no longer held
 * @param errors operations that failed (an exception or an unexpected answer)
 */
record Measurement(
        String arbiter,
        Scenario scenario,
        int clients,
        long operations,
        double seconds,
        Latency latency,
        long denials,
        long errors) {

    /** Operations per second. */
    double perSecond() {
        return seconds > 0 ? operations / seconds : 0;
    }

    /** What a throughput run measures. */
    enum Scenario {
        /** Claim a seat, release it, again: pairs per second and the claim's latency. */
        PAIRS,
        /** Each client holds one lease and renews it in a loop: renewals per second and latency. */
        RENEWALS
    }
}
