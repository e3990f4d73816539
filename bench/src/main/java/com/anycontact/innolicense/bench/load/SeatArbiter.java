package com.anycontact.innolicense.bench.load;

/**
 * Something that hands out a limited number of seats as leases: ours (the seat ledger, in process
 * or over HTTP) or a peer built from off-the-shelf parts. One load driver runs them all with the
 * same load shape.
 *
 * <p>Every lease lasts {@link #LEASE_TTL_MILLIS} from its claim or last renewal. Implementations are
 * used by many client threads at once, each with its own agents: one agent is never used by two
 * threads at the same time.
 */
public interface SeatArbiter extends AutoCloseable {

    /** The lease TTL every arbiter grants: the server's default, 60 seconds. */
    long LEASE_TTL_MILLIS = 60_000;

    /** The name used on the command line and in reports, e.g. {@code redis}. */
    String name();

    /** What an acknowledged claim survives. */
    Durability durability();

    /**
     * Starts a new round with the given capacity: leases from earlier rounds no longer count (or have
     * all been released).
     */
    void reset(int capacity) throws Exception;

    /**
     * Claims a seat for the agent.
     *
     * @return {@code true} when a seat was granted, {@code false} when none was free
     */
    boolean claim(String agent) throws Exception;

    /**
     * Renews the agent's lease for another TTL.
     *
     * @return {@code true} when the agent still held its lease
     */
    boolean renew(String agent) throws Exception;

    /** Releases the agent's seat. */
    void release(String agent) throws Exception;

    /** Releases what the arbiter holds: connections, processes, files. */
    @Override
    void close() throws Exception;
}
