package com.anycontact.innolicense.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * Runs the same load shapes against any {@link SeatArbiter}: claim + release pairs, renewals of held
 * leases, and a contention run with more clients than seats.
 *
 * <p>Concurrency: each client is a platform thread of its own that runs its operations back to back
 * (a closed loop, no think time), with agents of its own. All clients start together at a gate, run
 * through the warm-up, then through the measured part; only the measured part is counted. Each
 * client records into its own {@link Tally}, merged after all have stopped, so the clients share
 * nothing but the arbiter — and, in the contention run, the count of leases held, which is what it
 * checks.
 */
final class LoadDriver {

    /** A client gives up after this many failures in a row, so that a dead arbiter ends the run. */
    private static final int MAX_CONSECUTIVE_ERRORS = 200;

    private static final AtomicInteger ROUNDS = new AtomicInteger();

    private final RunLength length;

    LoadDriver(RunLength length) {
        this.length = Objects.requireNonNull(length, "length");
    }

    /**
     * Claim + release pairs: each client claims a seat for its agent, releases it, and again. The
     * claim's latency is recorded; the pair counts as one operation.
     */
    Measurement pairs(SeatArbiter arbiter, int clients) throws InterruptedException {
        String round = round();
        Run run = run(arbiter.name() + " pairs", clients, i -> new Client() {
            private final String agent = round + "-pair-" + i;

            @Override
            public void step(Tally tally) throws Exception {
                long start = System.nanoTime();
                boolean granted = arbiter.claim(agent);
                tally.latency(System.nanoTime() - start);
                if (granted) {
                    arbiter.release(agent);
                    tally.operation();
                } else {
                    tally.denial();
                }
            }

            @Override
            public void recover() throws Exception {
                arbiter.release(agent);
            }
        });
        return run.measurement(arbiter.name(), Measurement.Scenario.PAIRS, clients);
    }

    /**
     * Renewals: each client claims one seat before the start, then renews its lease in a loop, and
     * releases it at the end. A renewal's latency is recorded.
     */
    Measurement renewals(SeatArbiter arbiter, int clients) throws InterruptedException {
        String round = round();
        Run run = run(arbiter.name() + " renewals", clients, i -> new Client() {
            private final String agent = round + "-renew-" + i;

            @Override
            public void setUp() throws Exception {
                if (!arbiter.claim(agent)) {
                    throw new IllegalStateException("no seat for " + agent + " before the renewals started");
                }
            }

            @Override
            public void step(Tally tally) throws Exception {
                long start = System.nanoTime();
                boolean renewed = arbiter.renew(agent);
                tally.latency(System.nanoTime() - start);
                if (renewed) {
                    tally.operation();
                } else {
                    tally.denial();
                }
            }

            @Override
            public void tearDown() throws Exception {
                arbiter.release(agent);
            }
        });
        return run.measurement(arbiter.name(), Measurement.Scenario.RENEWALS, clients);
    }

    /**
     * Contention: {@code clients} clients share {@code capacity} seats (the arbiter must have been
     * reset to it). Each claims; on a grant it holds the seat for {@code holdNanos} and releases it; on
     * a denial it waits as long before it tries again. The number of seats held is counted from each
     * grant's acknowledgement until just before its release is sent, so the count never exceeds what
     * the arbiter itself held: a count above the capacity is a violation of the cap. Violations and
     * the largest count are taken over the whole run, warm-up included.
     */
    ContentionResult contention(SeatArbiter arbiter, int clients, int capacity, long holdNanos)
            throws InterruptedException {
        String round = round();
        AtomicInteger held = new AtomicInteger();
        AtomicInteger maxHeld = new AtomicInteger();
        Run run = run(arbiter.name() + " contention", clients, i -> new Client() {
            private final String agent = round + "-contend-" + i;

            @Override
            public void step(Tally tally) throws Exception {
                long start = System.nanoTime();
                boolean granted = arbiter.claim(agent);
                tally.latency(System.nanoTime() - start);
                if (granted) {
                    int now = held.incrementAndGet();
                    maxHeld.accumulateAndGet(now, Math::max);
                    if (now > capacity) {
                        tally.violation();
                    }
                    tally.operation();
                    pause(holdNanos);
                    held.decrementAndGet();
                    arbiter.release(agent);
                } else {
                    tally.denial();
                    pause(holdNanos);
                }
            }

            @Override
            public void recover() throws Exception {
                arbiter.release(agent);
            }
        });
        Tally total = run.total;
        return new ContentionResult(
                arbiter.name(),
                clients,
                capacity,
                total.operations,
                total.denials,
                maxHeld.get(),
                total.violations,
                total.errors,
                run.seconds,
                Latency.of(total.latency));
    }

    private static void pause(long nanos) {
        if (nanos > 0) {
            LockSupport.parkNanos(nanos);
        }
    }

    private static String round() {
        return "r" + ProcessHandle.current().pid() + "-" + ROUNDS.incrementAndGet();
    }

    private Run run(String label, int clients, IntFunction<Client> factory) throws InterruptedException {
        if (clients < 1) {
            throw new IllegalArgumentException("clients must be at least 1, was " + clients);
        }
        Phase phase = new Phase();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Tally> tallies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Client client = factory.apply(i);
            Tally tally = new Tally();
            tallies.add(tally);
            threads.add(Thread.ofPlatform()
                    .name("load-client-" + i)
                    .start(() -> runClient(client, tally, phase, ready, go)));
        }
        ready.await();
        double seconds;
        switch (length) {
            case RunLength.Timed timed -> {
                go.countDown();
                TimeUnit.NANOSECONDS.sleep(timed.warmup().toNanos());
                phase.value = Phase.MEASURE;
                long start = System.nanoTime();
                TimeUnit.NANOSECONDS.sleep(timed.measure().toNanos());
                phase.value = Phase.STOP;
                seconds = (System.nanoTime() - start) / 1e9;
                for (Thread thread : threads) {
                    thread.join();
                }
            }
            case RunLength.Counted counted -> {
                go.countDown();
                for (Thread thread : threads) {
                    thread.join();
                }
                long start = tallies.stream()
                        .mapToLong(t -> t.measureStart)
                        .filter(t -> t != 0)
                        .min()
                        .orElse(0);
                long end = tallies.stream().mapToLong(t -> t.measureEnd).max().orElse(0);
                seconds = Math.max(end - start, 1) / 1e9;
            }
        }
        Tally total = new Tally();
        for (Tally tally : tallies) {
            total.add(tally);
        }
        if (total.lastError != null) {
            System.err.println(
                    label + ", " + clients + " clients: " + total.errors + " errors, the last: " + total.lastError);
        }
        return new Run(total, seconds);
    }

    private void runClient(Client client, Tally tally, Phase phase, CountDownLatch ready, CountDownLatch go) {
        boolean setUp = false;
        try {
            client.setUp();
            setUp = true;
        } catch (Exception e) {
            tally.errors++;
            tally.lastError = e;
        } finally {
            ready.countDown();
        }
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!setUp) {
            return;
        }
        int done = 0;
        int consecutiveErrors = 0;
        while (true) {
            int now;
            if (length instanceof RunLength.Counted counted) {
                now = done < counted.warmup()
                        ? Phase.WARMUP
                        : done < counted.warmup() + counted.measure() ? Phase.MEASURE : Phase.STOP;
            } else {
                now = phase.value;
            }
            if (now == Phase.STOP) {
                break;
            }
            tally.measuring = now == Phase.MEASURE;
            if (tally.measuring && tally.measureStart == 0) {
                tally.measureStart = System.nanoTime();
            }
            try {
                client.step(tally);
                consecutiveErrors = 0;
            } catch (Exception e) {
                tally.errors++;
                tally.lastError = e;
                if (++consecutiveErrors >= MAX_CONSECUTIVE_ERRORS) {
                    break;
                }
                try {
                    client.recover();
                } catch (Exception ignored) {
                    // The failure that matters has been counted; the next step tells whether it lasts.
                }
            }
            done++;
            if (tally.measuring) {
                tally.measureEnd = System.nanoTime();
            }
        }
        try {
            client.tearDown();
        } catch (Exception e) {
            tally.errors++;
            tally.lastError = e;
        }
    }

    /** One client's work: a step is one operation of the load shape. */
    private interface Client {
        /** Runs once on the client's thread before the gate opens. */
        default void setUp() throws Exception {}

        /** One operation; records into the tally, which counts only while measuring. */
        void step(Tally tally) throws Exception;

        /** Puts the client's agent back in a known state after a failed step. */
        default void recover() throws Exception {}

        /** Runs once on the client's thread after the run. */
        default void tearDown() throws Exception {}
    }

    /** The phase of a timed run, set by the controlling thread. */
    private static final class Phase {
        static final int WARMUP = 0;
        static final int MEASURE = 1;
        static final int STOP = 2;

        volatile int value = WARMUP;
    }

    /** What one client counted; only its own thread writes it until the run ends. */
    static final class Tally {
        final Histogram latency = new Histogram(3);
        boolean measuring;
        long operations;
        long denials;
        long errors;
        long violations;
        long measureStart;
        long measureEnd;
        Exception lastError;

        void latency(long nanos) {
            if (measuring) {
                latency.recordValue(Math.max(nanos, 1));
            }
        }

        void operation() {
            if (measuring) {
                operations++;
            }
        }

        void denial() {
            if (measuring) {
                denials++;
            }
        }

        void violation() {
            violations++;
        }

        void add(Tally other) {
            latency.add(other.latency);
            operations += other.operations;
            denials += other.denials;
            errors += other.errors;
            violations += other.violations;
            if (other.lastError != null) {
                lastError = other.lastError;
            }
        }
    }

    /** The merged tallies of one run and the length of its measured part. */
    private record Run(Tally total, double seconds) {
        Measurement measurement(String arbiter, Measurement.Scenario scenario, int clients) {
            return new Measurement(
                    arbiter,
                    scenario,
                    clients,
                    total.operations,
                    seconds,
                    Latency.of(total.latency),
                    total.denials,
                    total.errors);
        }
    }
}
