package com.anycontact.innolicense.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.SeatStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A rough throughput probe of the two SQLite seat stores, used as a library: claim + release pairs
 * and renewals per second at 1, 8 and 64 threads, each thread with its own agent, and the processor
 * time the whole process spent per pair or renewal (which drifts less than throughput on a shared
 * machine). It prints numbers and asserts only that the work was done; the real benchmarks are JMH in the bench module. Not run by
 * default (the class name does not end in Test); run it with
 *
 * <pre>{@code
 * ./mvnw -B -pl store -am test -Dtest=SeatStoreThroughputProbe -Dsurefire.failIfNoSpecifiedTests=false
 * }</pre>
 *
 * and {@code -Dprobe.seconds=N} for longer runs (default 3 per measurement, after a second of
 * warm-up).
 */
class SeatStoreThroughputProbe {

    private static final Duration TTL = Duration.ofMinutes(10);
    private static final long SECONDS = Long.getLong("probe.seconds", 3);
    private static final long WARM_UP_SECONDS = 1;

    @Test
    void printPairsAndRenewalsPerSecond() throws Exception {
        for (int threads : new int[] {1, 8, 64}) {
            probe("SqliteSeatStore", threads, database -> new Opened(new SqliteSeatStore(database), () -> {}));
            probe("JournaledSeatStore", threads, database -> {
                JournaledSeatStore store = JournaledSeatStore.open(database, Instant.now(), TTL);
                return new Opened(store, store::close);
            });
        }
    }

    private void probe(String name, int threads, Function<SqliteDatabase, Opened> open) throws Exception {
        Path directory = Files.createTempDirectory("seat-probe");
        try (SqliteDatabase database = SqliteDatabase.open(directory)) {
            Opened opened = open.apply(database);
            try {
                run(threads, opened.store(), true, WARM_UP_SECONDS);
                long transactionsBefore = transactions(opened.store());
                Result pairs = run(threads, opened.store(), true, SECONDS);
                long transactions = transactions(opened.store()) - transactionsBefore;
                Result renewals = run(threads, opened.store(), false, SECONDS);
                String perTransaction = opened.store() instanceof JournaledSeatStore
                        ? String.format("%,.1f", 2.0 * pairs.operations() / Math.max(1, transactions))
                        : "1";
                System.out.printf(
                        "%-18s %2d threads: %,9.0f claim+release pairs/s, %5.1f µs of processor time each"
                                + " (%s claims and releases per transaction); %,10.0f renewals/s, %5.2f µs each%n",
                        name,
                        threads,
                        pairs.perSecond(),
                        pairs.processorMicros(),
                        perTransaction,
                        renewals.perSecond(),
                        renewals.processorMicros());
                assertThat(pairs.operations()).isPositive();
                assertThat(renewals.operations()).isPositive();
            } finally {
                opened.closer().run();
            }
        }
    }

    private static long transactions(SeatStore store) {
        return store instanceof JournaledSeatStore journaled ? journaled.transactions() : 0;
    }

    private static Result run(int threads, SeatStore store, boolean pairs, long seconds) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        LongAdder operations = new LongAdder();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                AgentId agent = new AgentId("probe-" + t);
                ClaimRequest request = ClaimRequest.of(agent);
                if (!pairs) {
                    store.claim(request, threads, Instant.now(), TTL);
                }
                workers.add(pool.submit(() -> {
                    start.await();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                    long done = 0;
                    while (System.nanoTime() < deadline) {
                        ClaimResult result = store.claim(request, threads, Instant.now(), TTL);
                        if (pairs) {
                            assertThat(result).isInstanceOf(ClaimResult.Claimed.class);
                            store.release(agent, Instant.now());
                        } else {
                            assertThat(result).isInstanceOf(ClaimResult.Renewed.class);
                        }
                        done++;
                    }
                    operations.add(done);
                    return null;
                }));
            }
            long processorBefore = processorNanos();
            long started = System.nanoTime();
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(5, TimeUnit.MINUTES);
            }
            long elapsed = System.nanoTime() - started;
            if (!pairs) {
                for (int t = 0; t < threads; t++) {
                    store.release(new AgentId("probe-" + t), Instant.now());
                }
            }
            long processor = processorNanos() - processorBefore;
            long done = operations.sum();
            return new Result(done, done * 1e9 / elapsed, processor / 1e3 / done);
        } finally {
            pool.shutdownNow();
        }
    }

    private record Opened(SeatStore store, Runnable closer) {}

    private static long processorNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private record Result(long operations, double perSecond, double processorMicros) {}
}
