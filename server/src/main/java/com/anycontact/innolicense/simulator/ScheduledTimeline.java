package com.anycontact.innolicense.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real-time {@link Timeline}: a fixed pool of daemon threads ({@code innolicense-simulator-N}) that run
 * every agent's next step. A step may wait for the server (a claim, a release), so the pool size bounds the
 * requests the agents have in flight; the SDK renews in the background on its own threads.
 */
final class ScheduledTimeline implements Timeline {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledTimeline.class);

    private final ScheduledThreadPoolExecutor executor;
    private final InstantSource clock;
    private final Duration closeWait;

    ScheduledTimeline(int threads, InstantSource clock, Duration closeWait) {
        AtomicInteger count = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(threads, task -> {
            Thread thread = new Thread(task, "innolicense-simulator-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.clock = clock;
        this.closeWait = closeWait;
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public void schedule(Duration delay, Runnable action) {
        Runnable logged = () -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.error("a bug stopped a simulated agent's step", e);
            }
        };
        try {
            executor.schedule(logged, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("simulation closed; step dropped");
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(closeWait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("simulated agents' steps still running after {} ms", closeWait.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
