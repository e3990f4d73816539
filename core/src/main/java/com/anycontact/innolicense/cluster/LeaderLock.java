package com.anycontact.innolicense.cluster;

/**
 * The lock whose holder does the cluster's singleton work: at most one node of a cluster holds it at a time, and
 * it is let go when its holder's connection to the database ends, so that a dead leader is replaced. Used from
 * one thread.
 */
public interface LeaderLock extends AutoCloseable {

    /**
     * Takes the lock if nobody holds it. Never waits for another holder.
     *
     * @return whether this node holds it now
     */
    boolean tryAcquire();

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
