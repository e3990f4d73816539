package com.anycontact.innolicense.bench.load;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written arbiter for driver tests: a set of holders under a lock, with a switch that makes it
 * ignore the capacity (a broken arbiter the contention run must catch).
 */
class InMemoryArbiter implements SeatArbiter {

    private final boolean ignoresCapacity;
    private final Set<String> holders = ConcurrentHashMap.newKeySet();
    final AtomicInteger claims = new AtomicInteger();
    private int capacity;

    InMemoryArbiter(boolean ignoresCapacity) {
        this.ignoresCapacity = ignoresCapacity;
    }

    @Override
    public String name() {
        return ignoresCapacity ? "broken" : "in-memory";
    }

    @Override
    public Durability durability() {
        return new Durability(Durability.Survives.NOTHING, "memory");
    }

    @Override
    public synchronized void reset(int seats) {
        capacity = seats;
        holders.clear();
    }

    @Override
    public synchronized boolean claim(String agent) {
        claims.incrementAndGet();
        if (holders.contains(agent)) {
            return true;
        }
        if (!ignoresCapacity && holders.size() >= capacity) {
            return false;
        }
        holders.add(agent);
        return true;
    }

    @Override
    public synchronized boolean renew(String agent) {
        return holders.contains(agent);
    }

    @Override
    public synchronized void release(String agent) {
        holders.remove(agent);
    }

    synchronized int held() {
        return holders.size();
    }

    @Override
    public void close() {}
}
