package com.anycontact.innolicense.simulator;

import java.time.Duration;
import java.util.Locale;

/**
 * Where a simulation stands: what the progress line shows and the summary counts.
 *
 * @param elapsed time since the simulation started
 * @param held agents holding a seat now
 * @param peakHeld the most agents that held a seat at once
 * @param capacity the seats usable as the server last said in a denial, or -1 before the first denial
 * @param claims seats granted (logins, returns from breaks, claims after a denial)
 * @param renewals renewals the SDK made in the background, seen as a held lease's expiry moving on (sampled
 *     four times a second, so two renewals of one lease within one look count once)
 * @param releases seats released by agents going on a break or logging out, and at the end
 * @param denials claims refused because no seat was free
 * @param crashes agents that crashed, abandoning their seat for the server to reap
 * @param lost seats lost without a release: expired, capacity reduced, released by an administrator
 * @param errors claims that failed: server unreachable or refusing the request
 */
public record Progress(
        Duration elapsed,
        int held,
        int peakHeld,
        int capacity,
        long claims,
        long renewals,
        long releases,
        long denials,
        long crashes,
        long lost,
        long errors) {

    /** One line: {@code 0:03:12  held 47/50  claims 312  renewals 1204  releases 265  denials 41 ...}. */
    public String line() {
        return String.format(
                Locale.ROOT,
                "%s  held %d/%s  claims %d  renewals %d  releases %d  denials %d  crashes %d  lost %d  errors %d",
                clock(elapsed),
                held,
                capacity < 0 ? "?" : Integer.toString(capacity),
                claims,
                renewals,
                releases,
                denials,
                crashes,
                lost,
                errors);
    }

    /** {@code H:MM:SS}. */
    static String clock(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
