package com.anycontact.innolicense.seat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Force-release: an administrator releases an agent's seat, optionally with a reason and a block on the agent's
 * claims for a while, so that a hung client cannot take the seat straight back. The ACD learns it at the agent's
 * next claim or renewal, which is refused once with {@link Refusal.Notice}; while a block is in force every claim
 * of the agent is refused with {@link Refusal.Blocked}. Both are checked before the ledger is asked, so the seat
 * cap and the store's atomic step stay where they are.
 *
 * <p>The releases are kept in the database ({@link SeatReleaseStore}), so that they survive a restart and every
 * node of a cluster honours them; the seat path only looks them up in a map in memory, which {@link #refresh()}
 * (once a second on the server) reloads from the store, and which a release on this node updates at once. With no
 * release in force the map is empty and the check is one read of a volatile field. On another node a release
 * takes effect within one refresh.
 *
 * <p>Times are those of the trusted clock (an instant stored for every node to compare), not the steady clock
 * of the leases.
 */
public final class SeatReleases {

    /** How many lease TTLs the agent's next claim or renewal is answered with the notice. */
    public static final int NOTICE_TTLS = 2;

    /** The longest block. */
    public static final Duration MAX_BLOCK = Duration.ofDays(7);

    private static final int PRUNE_EVERY = 60;

    private final SeatReleaseStore store;
    private final SeatLedger ledger;
    private final Audit audit;
    private final InstantSource clock;
    private final Object changes = new Object();
    private volatile Map<AgentId, SeatRelease> inForce = Map.of();
    private int refreshes;

    /**
     * Force-releases over the ledger.
     *
     * @param store where releases are kept
     * @param ledger the seat ledger, which releases the seat and whose TTL sets how long the notice waits
     * @param audit where releases and unblocks are recorded: the audit log, under the types {@value
     *     #FORCE_RELEASED} and {@value #UNBLOCKED}
     * @param clock the server's trusted clock
     */
    public SeatReleases(SeatReleaseStore store, SeatLedger ledger, Audit audit, InstantSource clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The audit type of a force-release. */
    public static final String FORCE_RELEASED = "SEAT_FORCE_RELEASED";

    /** The audit type of a block lifted. */
    public static final String UNBLOCKED = "AGENT_UNBLOCKED";

    /**
     * Where force-releases are recorded; the server hands them to the audit log (the seat package depends on the
     * JDK only).
     */
    @FunctionalInterface
    public interface Audit {
        /** Records an event of the type named, by the actor, at the instant. */
        void record(Instant at, String actor, String type, String detail);
    }

    /** Why an agent's claim or renewal is refused. */
    public sealed interface Refusal {
        /** The release behind the refusal. */
        SeatRelease release();

        /** The agent's seat was released by an administrator; told once, at the next claim or renewal. */
        record Notice(SeatRelease release) implements Refusal {}

        /** The agent's claims are refused until the block ends. */
        record Blocked(SeatRelease release) implements Refusal {}
    }

    /**
     * What a force-release did.
     *
     * @param released whether the agent held a seat, now released
     * @param release the release kept, when the agent held a seat or a block was asked for
     */
    public record Outcome(boolean released, Optional<SeatRelease> release) {}

    /**
     * Releases the agent's seat and, with a block, refuses its claims until then; audited.
     *
     * @param agent whose seat
     * @param by the administrator, as the audit log names them
     * @param reason why, may be empty; at most {@link SeatRelease#MAX_REASON} characters
     * @param block how long to refuse the agent's claims; empty for no block, else positive and at most {@link
     *     #MAX_BLOCK}
     * @return whether a seat was released; when none was held and no block was asked for, nothing is kept or
     *     audited
     */
    public Outcome release(AgentId agent, String by, String reason, Optional<Duration> block) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(block, "block");
        block.ifPresent(duration -> {
            if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_BLOCK) > 0) {
                throw new IllegalArgumentException("a block lasts more than 0 s and at most 7 days");
            }
        });
        Instant now = clock.instant();
        Optional<Instant> blockedUntil = block.map(now::plus);
        SeatRelease kept = new SeatRelease(
                agent, now, by, reason, Optional.of(now.plus(ledger.ttl().multipliedBy(NOTICE_TTLS))), blockedUntil);
        // kept before the seat is released, so that a renewal after the release is refused rather than granted
        keep(kept);
        boolean released = ledger.release(agent);
        if (!released) {
            kept = kept.noticeGiven();
            keep(kept);
        }
        if (!released && blockedUntil.isEmpty()) {
            return new Outcome(false, Optional.empty());
        }
        audit.record(
                now,
                by,
                FORCE_RELEASED,
                "agent " + agent + ": " + (released ? "seat released" : "held no seat")
                        + (reason.isBlank() ? "; no reason given" : "; reason: " + reason)
                        + blockedUntil
                                .map(until -> "; claims refused until " + until)
                                .orElse(""));
        return new Outcome(released, Optional.of(kept));
    }

    /**
     * Why the agent's claim or renewal is to be refused now, if it is; for the seat path: one read of a volatile
     * field while no release is in force.
     */
    public Optional<Refusal> refusal(AgentId agent) {
        Map<AgentId, SeatRelease> current = inForce;
        if (current.isEmpty()) {
            return Optional.empty();
        }
        SeatRelease release = current.get(agent);
        if (release == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (release.noticePending(now)) {
            return Optional.of(new Refusal.Notice(release));
        }
        if (release.blocked(now)) {
            return Optional.of(new Refusal.Blocked(release));
        }
        return Optional.empty();
    }

    /** Marks the notice as given, here and in the store, so that the agent is told once; a write. */
    public void noticeGiven(SeatRelease release) {
        SeatRelease given = release.noticeGiven();
        synchronized (changes) {
            SeatRelease current = inForce.get(release.agent());
            if (current != null && current.releasedAt().equals(release.releasedAt())) {
                put(given);
            }
        }
        store.noticeGiven(release.agent(), release.releasedAt());
    }

    /** The blocks in force now, earliest released first. */
    public List<SeatRelease> blocks() {
        Instant now = clock.instant();
        return store.inForce(now).stream()
                .filter(release -> release.blocked(now))
                .toList();
    }

    /**
     * Lifts the agent's block; audited when one was in force.
     *
     * @return whether one was in force
     */
    public boolean unblock(AgentId agent, String by) {
        Instant now = clock.instant();
        boolean lifted = store.unblock(agent, now);
        synchronized (changes) {
            SeatRelease current = inForce.get(agent);
            if (current != null) {
                put(current.unblocked());
            }
        }
        if (lifted) {
            audit.record(now, by, UNBLOCKED, "agent " + agent + ": claims accepted again");
        }
        return lifted;
    }

    /** Reloads the releases in force from the store, forgetting old ones there now and then; once a second. */
    public void refresh() {
        Instant now = clock.instant();
        if (++refreshes % PRUNE_EVERY == 0) {
            store.prune(now);
        }
        // under the lock, so that a release kept on this node meanwhile is not overwritten by an older reading
        synchronized (changes) {
            Map<AgentId, SeatRelease> loaded = new HashMap<>();
            for (SeatRelease release : store.inForce(now)) {
                loaded.put(release.agent(), release);
            }
            inForce = Map.copyOf(loaded);
        }
    }

    private void keep(SeatRelease release) {
        synchronized (changes) {
            store.save(release);
            put(release);
        }
    }

    /** With the lock on changes held. */
    private void put(SeatRelease release) {
        Map<AgentId, SeatRelease> next = new HashMap<>(inForce);
        if (release.inForce(clock.instant())) {
            next.put(release.agent(), release);
        } else {
            next.remove(release.agent());
        }
        inForce = Map.copyOf(next);
    }
}
