package com.anycontact.innolicense.http;

import com.anycontact.innolicense.seat.AgentId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Which denials get an audit entry of their own: an agent's first denial, and after it at most one every {@link
 * #INTERVAL} for that agent, which says how many of the agent's denials came since its previous entry.
 *
 * <p>Why: every denial is recorded by the seat store whatever this says (counted, listed among the recent denials,
 * in the usage record and the reports); the audit log is read by people and verified as a chain, and an ACD that
 * retries a denied claim every few milliseconds would write thousands of entries a second into it, burying
 * everything else (the contention benchmark, 64 clients retrying every 2 ms on 32 seats: 6,800 denials a second,
 * whose entries took an eighth of the server's processor time). The interval is measured on the steady clock the
 * seats are judged by, so a wall-clock step neither floods the log nor silences it.
 *
 * <p>Memory: at most {@link #MAX_AGENTS} agents are remembered; beyond, the one audited longest ago is forgotten,
 * and its next denial is audited at once (more entries, never fewer). Each node of a cluster decides for itself.
 */
final class DenialAudits {

    /** The least time between two audit entries of one agent's denials. */
    static final Duration INTERVAL = Duration.ofMinutes(1);

    /** The most agents remembered. */
    static final int MAX_AGENTS = 10_000;

    private final InstantSource clock;

    /** The agents by when their last denial entry was written, oldest first. */
    private final LinkedHashMap<AgentId, Audited> agents = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<AgentId, Audited> eldest) {
            return size() > MAX_AGENTS;
        }
    };

    /** @param clock the steady clock of the seat ledger, which never steps */
    DenialAudits(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Whether this denial of the agent gets an entry: when it does, the number of the agent's denials since its
     * previous entry that had none (0 for its first); empty when it does not.
     */
    synchronized OptionalLong audit(AgentId agent) {
        Instant now = clock.instant();
        Audited last = agents.get(agent);
        if (last != null && now.isBefore(last.at.plus(INTERVAL))) {
            last.unaudited++;
            return OptionalLong.empty();
        }
        long unaudited = last == null ? 0 : last.unaudited;
        agents.remove(agent);
        agents.put(agent, new Audited(now));
        return OptionalLong.of(unaudited);
    }

    /** When an agent's last denial entry was written, and how many of its denials came after without one. */
    private static final class Audited {
        final Instant at;
        long unaudited;

        Audited(Instant at) {
            this.at = at;
        }
    }
}
