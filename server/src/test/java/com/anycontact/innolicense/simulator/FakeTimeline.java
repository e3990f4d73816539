package com.anycontact.innolicense.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;

/** A timeline on fake time: steps run on the test's thread, in time order, when the test moves time on. */
final class FakeTimeline implements Timeline {

    private record Timer(Instant at, long order, Runnable action) {}

    private final PriorityQueue<Timer> timers =
            new PriorityQueue<>(Comparator.comparing(Timer::at).thenComparingLong(Timer::order));
    private Instant now;
    private long order;
    private boolean closed;

    FakeTimeline(Instant start) {
        this.now = start;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public void schedule(Duration delay, Runnable action) {
        if (!closed) {
            timers.add(new Timer(delay.isNegative() ? now : now.plus(delay), order++, action));
        }
    }

    @Override
    public void close() {
        closed = true;
        timers.clear();
    }

    /** Runs every step due up to {@code end}, moving time to each, then to {@code end}. */
    void runUntil(Instant end) {
        while (!timers.isEmpty() && !timers.peek().at().isAfter(end)) {
            Timer timer = timers.poll();
            now = timer.at();
            timer.action().run();
        }
        now = end;
    }

    void advance(Duration duration) {
        runUntil(now.plus(duration));
    }
}
