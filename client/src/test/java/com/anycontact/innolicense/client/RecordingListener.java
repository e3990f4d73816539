package com.anycontact.innolicense.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A listener that keeps every loss it is told of, and the thread it was told on. */
final class RecordingListener implements LeaseListener {

    /** One call. */
    record Told(Lease lease, LeaseLoss loss, String thread) {}

    private final LinkedBlockingQueue<Told> pending = new LinkedBlockingQueue<>();
    private final List<Told> all = new CopyOnWriteArrayList<>();

    @Override
    public void leaseLost(Lease lease, LeaseLoss loss) {
        Told told = new Told(lease, loss, Thread.currentThread().getName());
        all.add(told);
        pending.add(told);
    }

    /** Waits for the next call, failing after {@code timeout}. */
    Told next(Duration timeout) throws InterruptedException {
        Told told = pending.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (told == null) {
            throw new AssertionError("no lease loss reported within " + timeout);
        }
        return told;
    }

    List<Told> all() {
        return List.copyOf(all);
    }
}
