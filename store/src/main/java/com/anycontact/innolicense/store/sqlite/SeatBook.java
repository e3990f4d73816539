package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.seat.AgentId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The leases of {@link JournaledSeatStore} in memory: who holds which lease, in claim order and in
 * expiry order, and which agents' leases changed since the last checkpoint. Not thread-safe: the
 * store calls it only under its lock.
 *
 * <p>Leases are kept by agent in a map whose iteration order is the order of claims (a new claim
 * always takes a larger claim sequence and goes last), which gives ranks and ordered listings
 * without a second index; and in a set ordered by expiry, which gives the number of expired leases
 * (usually none) and the leases to reap without looking at the live ones.
 */
final class SeatBook {

    private static final Comparator<Held> BY_EXPIRY =
            Comparator.comparingLong(Held::expiresAt).thenComparingLong(Held::claimSequence);

    private final LinkedHashMap<AgentId, Held> byAgent = new LinkedHashMap<>();
    private final TreeSet<Held> byExpiry = new TreeSet<>(BY_EXPIRY);
    private HashMap<AgentId, Held> changed = new HashMap<>();
    private long lastClaimSequence;

    /**
     * A book holding the given leases.
     *
     * @param leases the leases, earliest-claimed first
     * @param lastClaimSequence the last claim sequence ever handed out
     */
    SeatBook(List<Held> leases, long lastClaimSequence) {
        this.lastClaimSequence = lastClaimSequence;
        long previous = Long.MIN_VALUE;
        for (Held lease : leases) {
            if (lease.claimSequence() <= previous || lease.claimSequence() > lastClaimSequence) {
                throw new IllegalArgumentException("leases out of claim order at " + lease);
            }
            previous = lease.claimSequence();
            if (byAgent.put(lease.agent(), lease) != null) {
                throw new IllegalArgumentException("two leases for " + lease.agent());
            }
            byExpiry.add(lease);
        }
    }

    /** The agent's lease, live or expired, or {@code null}. */
    Held find(AgentId agent) {
        return byAgent.get(agent);
    }

    /** The number of leases live at {@code now}. */
    int inUse(long now) {
        return byAgent.size() - expired(now).size();
    }

    /** Whether any lease has expired at {@code now}. */
    boolean hasExpired(long now) {
        return !byExpiry.isEmpty() && byExpiry.first().expiresAt() <= now;
    }

    /** Whether at least {@code capacity} leases live at {@code now} were claimed before this one. */
    boolean ranksBeyond(Held lease, int capacity, long now) {
        int before = 0;
        for (Held other : byAgent.values()) {
            if (before >= capacity || other == lease) {
                break;
            }
            if (other.isLiveAt(now)) {
                before++;
            }
        }
        return before >= capacity;
    }

    /**
     * Adds a new lease for the agent with the next claim sequence, replacing its expired lease if
     * it had one.
     */
    Held claim(AgentId agent, String node, String station, long now, long expiresAt, long journalPosition) {
        Held old = byAgent.remove(agent);
        if (old != null) {
            byExpiry.remove(old);
        }
        Held lease = new Held(agent, node, station, now, now, expiresAt, ++lastClaimSequence, journalPosition);
        byAgent.put(agent, lease);
        byExpiry.add(lease);
        changed.put(agent, lease);
        return lease;
    }

    /** Replaces a lease by its renewed form, which keeps its agent and claim sequence. */
    void replace(Held old, Held renewed) {
        byExpiry.remove(old);
        byAgent.put(renewed.agent(), renewed);
        byExpiry.add(renewed);
        changed.put(renewed.agent(), renewed);
    }

    /** Removes a lease. */
    void remove(Held lease) {
        byAgent.remove(lease.agent());
        byExpiry.remove(lease);
        changed.put(lease.agent(), null);
    }

    /** Removes the leases expired at {@code now}, and returns them earliest-claimed first. */
    List<Held> reap(long now) {
        List<Held> reaped = new ArrayList<>(expired(now));
        for (Held lease : reaped) {
            remove(lease);
        }
        reaped.sort(Comparator.comparingLong(Held::claimSequence));
        return reaped;
    }

    /** Every lease, live or expired, earliest-claimed first. */
    Held[] all() {
        return byAgent.values().toArray(new Held[0]);
    }

    /** Moves every lease's expiry to at least {@code expiresAt}. */
    void extendAll(long expiresAt) {
        for (Map.Entry<AgentId, Held> entry : byAgent.entrySet()) {
            Held old = entry.getValue();
            Held extended = old.expiringNoEarlierThan(expiresAt);
            if (extended != old) {
                byExpiry.remove(old);
                entry.setValue(extended);
                byExpiry.add(extended);
                changed.put(extended.agent(), extended);
            }
        }
    }

    /** Marks the agent's lease, or its absence, as to be written by the next checkpoint. */
    void markChanged(AgentId agent) {
        changed.put(agent, byAgent.get(agent));
    }

    /**
     * Takes the changes since the last call: for each agent whose lease was claimed, renewed or
     * removed, its lease now, or {@code null} when it holds none.
     */
    Map<AgentId, Held> takeChanges() {
        Map<AgentId, Held> taken = changed;
        changed = new HashMap<>();
        return taken;
    }

    /** The number of agents whose lease changed since the last {@link #takeChanges()}. */
    int changes() {
        return changed.size();
    }

    /** The last claim sequence handed out. */
    long lastClaimSequence() {
        return lastClaimSequence;
    }

    private SortedSet<Held> expired(long now) {
        return byExpiry.headSet(new Held(null, null, null, 0, 0, now, Long.MAX_VALUE, 0), true);
    }
}
