package com.anycontact.innolicense.cluster;

import java.time.Duration;

/**
 * The lock whose holder does the cluster's singleton work: at most one node of a cluster holds it at a time, and
 * it is let go when its holder's connection to the database ends, so that a dead leader is replaced. Used from
 * one thread.
 */
public interface LeaderLock extends AutoCloseable {

    /**
     * Takes the lock if nobody holds it. Never waits for another holder.
     *
     * @param nodeId this node's ID, named on the lock's connection so that the other nodes can tell whose it is
     * @return whether this node holds it now
     */
    boolean tryAcquire(String nodeId);

    /**
     * Ends the lock holder's connection, so that the database lets the lock go, when the holder is missing: its
     * node has written no heartbeat to the {@link NodeRegistry} for longer than {@code missingAfter}, by the
     * database's clock (a stopped or cut-off leader whose connection the database still keeps). Never ends the
     * connection of a node whose heartbeat is recent.
     *
     * @return whether a missing holder's connection was ended
     */
    boolean endMissingHolder(Duration missingAfter);

    /**
     * Whether this node still holds the lock: its connection to the database still answers. When it does not,
     * the lock is gone (the database let it go with the connection) and this node must stop leading at once.
     */
    boolean stillHeld();

    /** Lets the lock go, if held, so that another node takes it. */
    void release();

    /** Lets the lock go and closes the connection. */
    @Override
    void close();
}
