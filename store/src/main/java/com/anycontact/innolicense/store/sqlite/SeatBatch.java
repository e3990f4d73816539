package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.seat.Denial;
import com.anycontact.innolicense.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Decisions waiting to be committed together. Filled under the {@link JournaledSeatStore}'s lock, then handed to
 * the writer thread, which completes it once.
 *
 * <p>Waking: the callers waiting on a batch register in slots, under the store's lock, until
 * the batch is completed (also under the lock), which seals the slots. The writer then wakes
 * only slot 0, and each caller, once awake, wakes slots {@code 2i + 1} and {@code 2i + 2}: a
 * batch of 64 callers is woken in six rounds, and the writer, which would otherwise lose its
 * processor to the callers it wakes one after another, goes on to the next batch at once.
 */
final class SeatBatch {

    private static final int SPLIT_COMPLETIONS = 16;

    final List<SeatJournal.Entry> entries = new ArrayList<>();
    final List<Denial> denials = new ArrayList<>();
    long lastPosition;
    private final List<Thread> waiters = new ArrayList<>();
    private final List<Runnable> onCommit = new ArrayList<>();
    private final List<Consumer<StoreException>> onFailure = new ArrayList<>();
    private volatile boolean done;
    private volatile StoreException failure;

    boolean isEmpty() {
        return entries.isEmpty() && denials.isEmpty();
    }

    /** Registers a caller that will wait; under the store's lock, before completion. */
    int register(Thread waiter) {
        waiters.add(waiter);
        return waiters.size() - 1;
    }

    /** Registers a future to complete with the value once the batch commits; under the store's lock. */
    <T> void register(CompletableFuture<T> future, T value) {
        onCommit.add(() -> future.complete(value));
        onFailure.add(cause -> future.completeExceptionally(new StoreException(cause.getMessage(), cause)));
    }

    /**
     * Completes the registered futures, after {@link #complete}, outside the store's lock: what depends on
     * them runs here.
     */
    void completeFutures() {
        StoreException cause = failure;
        if (cause == null) {
            onCommit.forEach(Runnable::run);
        } else {
            onFailure.forEach(fail -> fail.accept(cause));
        }
    }

    /**
     * Completes the registered futures of a committed batch; when there are many, the helper thread
     * completes half of them, so that what depends on them (an HTTP server writing answers) runs on two
     * processors and the writer gets back to the next batch sooner.
     */
    void completeFutures(Executor helper) {
        int count = onCommit.size();
        if (failure != null || count < SPLIT_COMPLETIONS) {
            completeFutures();
            return;
        }
        List<Runnable> second = onCommit.subList(count / 2, count);
        try {
            helper.execute(() -> second.forEach(Runnable::run));
        } catch (RejectedExecutionException e) {
            second.forEach(Runnable::run);
        }
        onCommit.subList(0, count / 2).forEach(Runnable::run);
    }

    /** Marks the batch committed, or failed with the cause; under the store's lock. */
    void complete(StoreException cause) {
        if (!done) {
            failure = cause;
            done = true;
        }
    }

    /** Wakes the first caller, which wakes the next ones; after {@link #complete}. */
    void wakeFirst() {
        wake(0);
    }

    /**
     * Waits, without giving up on an interrupt, until the batch is completed, then wakes the
     * callers in the slots after this one.
     */
    void await(int slot) {
        boolean interrupted = false;
        while (!done) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        wake(2 * slot + 1);
        wake(2 * slot + 2);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        StoreException cause = failure;
        if (cause != null) {
            throw new StoreException(cause.getMessage(), cause);
        }
    }

    private void wake(int slot) {
        if (slot < waiters.size()) {
            LockSupport.unpark(waiters.get(slot));
        }
    }
}
