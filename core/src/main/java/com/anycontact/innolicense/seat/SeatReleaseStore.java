package com.anycontact.innolicense.seat;

import java.time.Instant;
import java.util.List;

/**
 * Where force-releases are kept ({@link SeatRelease}): in the server's database, so that they survive a restart
 * and every node of a cluster honours them. One per agent: a later release replaces an earlier one. Time is
 * never read by the store; every method is given {@code now}. Safe for use by many threads at once.
 */
public interface SeatReleaseStore {

    /** Keeps the release, replacing the agent's earlier one. */
    void save(SeatRelease release);

    /** The releases in force at {@code now}, a notice to give or a block, earliest released first. */
    List<SeatRelease> inForce(Instant now);

    /**
     * Marks the notice of the agent's release at {@code releasedAt} as given; nothing when the agent was
     * released again since.
     */
    void noticeGiven(AgentId agent, Instant releasedAt);

    /**
     * Lifts the agent's block.
     *
     * @return whether a block was in force at {@code now}
     */
    boolean unblock(AgentId agent, Instant now);

    /**
     * Forgets the releases no longer in force at {@code now}.
     *
     * @return how many were forgotten
     */
    int prune(Instant now);
}
