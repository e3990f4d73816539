package com.anycontact.innolicense.simulator;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What the agents did, counted as they do it; read at any time for a {@link Progress}. Thread-safe. */
final class SimulationCounters {

    final LongAdder claims = new LongAdder();
    final LongAdder renewals = new LongAdder();
    final LongAdder releases = new LongAdder();
    final LongAdder denials = new LongAdder();
    final LongAdder crashes = new LongAdder();
    final LongAdder lost = new LongAdder();
    final LongAdder errors = new LongAdder();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger peakHeld = new AtomicInteger();
    private volatile int capacity = -1;

    void seatTaken() {
        int now = held.incrementAndGet();
        peakHeld.accumulateAndGet(now, Math::max);
    }

    void seatGone() {
        held.decrementAndGet();
    }

    void capacitySeen(int seats) {
        if (seats >= 0) {
            capacity = seats;
        }
    }

    int held() {
        return held.get();
    }

    int peakHeld() {
        return peakHeld.get();
    }

    int capacity() {
        return capacity;
    }
}
