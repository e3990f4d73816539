package com.anycontact.innolicense.store.sqlite;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Holds the database's single writer in an open transaction until released, so that a test can see what waits
 * for it: group commits queue up behind it.
 */
final class HeldWriter implements AutoCloseable {

    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final Future<?> holding;

    private HeldWriter(SqliteDatabase database) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        this.holding = thread.submit(() -> database.write(sql -> {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        held.await();
    }

    /** Returns once the writer is held. */
    static HeldWriter hold(SqliteDatabase database) throws InterruptedException {
        return new HeldWriter(database);
    }

    /** Lets the writer go and waits until its transaction has ended. */
    void release() throws Exception {
        release.countDown();
        holding.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        release.countDown();
        thread.shutdownNow();
    }
}
