package com.anycontact.innolicense.bench.load;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * What renewals cost a cluster's PostgreSQL: {@code agents} agents hold leases on a {@link ClusterArbiter} and
 * renew each of them every {@code interval} (the SDK renews at a third of the lease TTL: 20 s for 60 s), spread
 * over the nodes, while the CPU time of the PostgreSQL server (postmaster and every child, {@link
 * ProcessTreeCpu}) and of the nodes is read before and after the hold.
 *
 * <p>Shape: {@code workers} platform threads share the agents; the arbiter gives each thread one node,
 * round-robin, so the agents are spread evenly. Before the fill, the cluster runs idle for {@code idle}: what
 * PostgreSQL spends then (the nodes' heartbeats, clock checks, leadership, the bus) is its background cost. Each
 * worker then claims its agents one after the other, renewing any lease that falls due in between, and gives
 * each lease a first renewal at a random point of the next interval, so that renewals arrive at a steady rate
 * as they would across a working day, not in the fill's wave. The hold begins when every worker has filled;
 * each worker renews its leases as they fall due, earliest first. A renewal answered as anything but a renewal
 * is a lost lease.
 */
final class RenewalCostRun {

    private final ClusterArbiter cluster;
    private final ProcessTreeCpu postgres;

    /**
     * A run on the given cluster.
     *
     * @param cluster the nodes, already started
     * @param postgres the PostgreSQL server's process tree, for its CPU time
     */
    RenewalCostRun(ClusterArbiter cluster, ProcessTreeCpu postgres) {
        this.cluster = cluster;
        this.postgres = postgres;
    }

    /**
     * What the run saw.
     *
     * @param nodes the cluster's nodes
     * @param agents the agents that set out to hold a lease
     * @param held the leases held when the hold began
     * @param interval how often each lease was renewed
     * @param fillSeconds how long the fill took
     * @param fillClaims the latency of the fill's claims
     * @param idleSeconds the length of the idle window before the fill
     * @param postgresIdleCpuSeconds PostgreSQL's CPU time in the idle window
     * @param nodesIdleCpuSeconds the nodes' CPU time in the idle window, all nodes together
     * @param holdSeconds the length of the hold
     * @param renewals the renewals sent in the hold
     * @param renewalLatency their latency
     * @param maxLateness how far behind its due time the latest renewal of the hold was sent
     * @param overdueAtEnd leases whose renewal was due before the end of the hold but not yet sent
     * @param lost renewals answered as anything but a renewal, over the whole run
     * @param errors failed requests, over the whole run
     * @param postgresCpuSeconds PostgreSQL's CPU time during the hold
     * @param nodesCpuSeconds the nodes' CPU time during the hold, all nodes together
     * @param nodeResidentIdle the largest resident memory of a node in the idle window, in bytes
     * @param nodeResidentHeld the largest resident memory of a node at the end of the hold, in bytes
     * @param nodeResidentPeak the largest peak resident memory of a node over the run, in bytes
     */
    record Result(
            int nodes,
            int agents,
            int held,
            Duration interval,
            double fillSeconds,
            Latency fillClaims,
            double idleSeconds,
            double postgresIdleCpuSeconds,
            double nodesIdleCpuSeconds,
            double holdSeconds,
            long renewals,
            Latency renewalLatency,
            Duration maxLateness,
            long overdueAtEnd,
            long lost,
            long errors,
            double postgresCpuSeconds,
            double nodesCpuSeconds,
            long nodeResidentIdle,
            long nodeResidentHeld,
            long nodeResidentPeak) {

        /** PostgreSQL's cores busy during the hold. */
        double postgresCores() {
            return postgresCpuSeconds / holdSeconds;
        }

        /** PostgreSQL's CPU time per renewal, above its idle rate, in seconds. */
        double postgresSecondsPerRenewal() {
            double background = postgresIdleCpuSeconds / Math.max(idleSeconds, 1e-9) * holdSeconds;
            return Math.max(postgresCpuSeconds - background, 0) / Math.max(renewals, 1);
        }

        String markdown() {
            double due = held / (double) Math.max(interval.toMillis(), 1) * 1000;
            double perRenewal = postgresSecondsPerRenewal();
            double agentsPerCore = perRenewal > 0 ? interval.toNanos() / 1e9 / perRenewal : Double.NaN;
            StringBuilder out = new StringBuilder("| measure | value |\n|---|---:|\n");
            row(out, "nodes", Integer.toString(nodes));
            row(out, "leases held", String.format(Locale.ROOT, "%,d of %,d", held, agents));
            row(out, "renewal interval (TTL ÷ 3)", interval.toSeconds() + " s");
            row(out, "renewals/s due at that interval", Report.count(due));
            row(out, "fill: claims/s", Report.count(held / Math.max(fillSeconds, 1e-9)));
            row(
                    out,
                    "fill: claim p50 / p99 µs",
                    Report.micros(fillClaims.p50()) + " / " + Report.micros(fillClaims.p99()));
            row(out, "hold: length", String.format(Locale.ROOT, "%.0f s", holdSeconds));
            row(out, "hold: renewals/s", Report.count(renewals / Math.max(holdSeconds, 1e-9)));
            row(
                    out,
                    "hold: renewal p50 / p99 / p99.9 µs",
                    Report.micros(renewalLatency.p50()) + " / " + Report.micros(renewalLatency.p99()) + " / "
                            + Report.micros(renewalLatency.p999()));
            row(out, "hold: latest renewal behind its due time", maxLateness.toMillis() + " ms");
            row(out, "hold: renewals overdue at its end", String.format(Locale.ROOT, "%,d", overdueAtEnd));
            row(out, "leases lost (a renewal not answered 200)", Long.toString(lost));
            row(out, "errors", Long.toString(errors));
            row(out, "**PostgreSQL CPU during the hold (cores busy)**", cores(postgresCores()));
            row(
                    out,
                    "PostgreSQL CPU idle, cluster up, no seat calls (cores busy)",
                    cores(postgresIdleCpuSeconds / idleSeconds));
            row(out, "PostgreSQL CPU per renewal, above idle", String.format(Locale.ROOT, "%.0f µs", perRenewal * 1e6));
            row(
                    out,
                    "agents renewing every " + interval.toSeconds() + " s per PostgreSQL core (renewals only)",
                    Double.isNaN(agentsPerCore) ? "–" : String.format(Locale.ROOT, "%,.0f", agentsPerCore));
            row(out, "nodes' CPU during the hold, all nodes (cores busy)", cores(nodesCpuSeconds / holdSeconds));
            row(out, "nodes' CPU idle, all nodes (cores busy)", cores(nodesIdleCpuSeconds / idleSeconds));
            row(out, "node resident memory, idle (largest node)", mebibytes(nodeResidentIdle));
            row(out, "node resident memory, end of the hold (largest node)", mebibytes(nodeResidentHeld));
            row(out, "node resident memory, peak of the run (largest node)", mebibytes(nodeResidentPeak));
            return out.toString();
        }

        private static String cores(double cores) {
            return Double.isNaN(cores) ? "not readable" : String.format(Locale.ROOT, "%.3f", cores);
        }

        private static String mebibytes(long bytes) {
            return bytes < 0 ? "not readable" : String.format(Locale.ROOT, "%,d MiB", Math.round(bytes / 1048576.0));
        }

        private static void row(StringBuilder out, String measure, String value) {
            out.append("| ").append(measure).append(" | ").append(value).append(" |\n");
        }
    }

    /**
     * Runs it.
     *
     * @param agents how many agents hold a lease
     * @param workers the client threads that claim and renew
     * @param interval how often each agent renews
     * @param idle how long to measure the idle cluster before the fill
     * @param hold how long to measure the renewals
     */
    Result run(int agents, int workers, Duration interval, Duration idle, Duration hold) throws Exception {
        cluster.reset(agents);
        double postgresBefore = seconds(postgres.used());
        double nodesBefore = nodesCpu();
        long idleStart = System.nanoTime();
        TimeUnit.NANOSECONDS.sleep(idle.toNanos());
        double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
        double postgresIdle = seconds(postgres.used()) - postgresBefore;
        double nodesIdle = nodesCpu() - nodesBefore;
        long residentIdle = largest(ServerProcess.Memory::resident);

        CountDownLatch filled = new CountDownLatch(workers);
        List<Worker> pool = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long fillStart = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            List<String> mine = new ArrayList<>();
            for (int i = w; i < agents; i += workers) {
                mine.add("renewing-" + i);
            }
            Worker worker = new Worker(mine, interval.toNanos(), filled);
            pool.add(worker);
            threads.add(Thread.ofPlatform().name("renewal-worker-" + w).start(worker));
        }
        filled.await();
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        double postgresStart = seconds(postgres.used());
        double nodesStart = nodesCpu();
        long holdStart = System.nanoTime();
        for (Worker worker : pool) {
            worker.holdStart = holdStart;
        }
        TimeUnit.NANOSECONDS.sleep(hold.toNanos());
        long holdEnd = System.nanoTime();
        double postgresCpu = seconds(postgres.used()) - postgresStart;
        double nodesCpu = nodesCpu() - nodesStart;
        long residentHeld = largest(ServerProcess.Memory::resident);
        long residentPeak = largest(ServerProcess.Memory::peak);
        for (Worker worker : pool) {
            worker.holdEnd = holdEnd;
            worker.stop = true;
            LockSupport.unpark(threads.get(pool.indexOf(worker)));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double holdSeconds = (holdEnd - holdStart) / 1e9;
        for (ServerProcess node : cluster.nodes()) {
            if (!node.isAlive()) {
                throw new IOException("node " + node.base() + " died during the renewal run");
            }
        }

        Histogram fill = new Histogram(3);
        Histogram renewal = new Histogram(3);
        int held = 0;
        long renewals = 0;
        long lost = 0;
        long errors = 0;
        long overdue = 0;
        long lateness = 0;
        for (Worker worker : pool) {
            fill.add(worker.fillLatency);
            renewal.add(worker.renewalLatency);
            held += worker.heldAfterFill;
            renewals += worker.renewalsInHold;
            lost += worker.lost;
            errors += worker.errors;
            overdue += worker.held.stream().filter(lease -> lease.due < holdEnd).count();
            lateness = Math.max(lateness, worker.maxLateness);
        }
        return new Result(
                cluster.nodes().size(),
                agents,
                held,
                interval,
                fillSeconds,
                Latency.of(fill),
                idleSeconds,
                postgresIdle,
                nodesIdle,
                holdSeconds,
                renewals,
                Latency.of(renewal),
                Duration.ofNanos(lateness),
                overdue,
                lost,
                errors,
                postgresCpu,
                nodesCpu,
                residentIdle,
                residentHeld,
                residentPeak);
    }

    private long largest(java.util.function.ToLongFunction<ServerProcess.Memory> measure) {
        return cluster.nodes().stream()
                .mapToLong(node -> measure.applyAsLong(node.memory()))
                .max()
                .orElse(-1);
    }

    /** The nodes' processor time so far, or NaN where a node's cannot be read (one that runs elsewhere). */
    private double nodesCpu() {
        return cluster.nodes().stream()
                .mapToDouble(node -> node.cpuTime().isNegative() ? Double.NaN : seconds(node.cpuTime()))
                .sum();
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    /** A held lease and when its next renewal is due, in {@link System#nanoTime()}. */
    private static final class Held {
        final String agent;
        long due;

        Held(String agent, long due) {
            this.agent = agent;
            this.due = due;
        }
    }

    /** One client thread: claims its agents, then renews each when due. */
    private final class Worker implements Runnable {
        private final List<String> agents;
        private final long interval;
        private final CountDownLatch filled;
        final PriorityQueue<Held> held = new PriorityQueue<>(Comparator.comparingLong(lease -> lease.due));
        final Histogram fillLatency = new Histogram(3);
        final Histogram renewalLatency = new Histogram(3);
        volatile long holdStart = Long.MAX_VALUE;
        volatile long holdEnd = Long.MAX_VALUE;
        volatile boolean stop;
        int heldAfterFill;
        long renewalsInHold;
        long lost;
        long errors;
        long maxLateness;

        Worker(List<String> agents, long interval, CountDownLatch filled) {
            this.agents = agents;
            this.interval = interval;
            this.filled = filled;
        }

        @Override
        public void run() {
            ArrayDeque<String> toClaim = new ArrayDeque<>(agents);
            boolean counted = false;
            while (!stop) {
                Held next = held.peek();
                long now = System.nanoTime();
                if (next != null && next.due <= now) {
                    renew(held.poll(), now);
                } else if (!toClaim.isEmpty()) {
                    claim(toClaim.poll());
                } else {
                    if (!counted) {
                        heldAfterFill = held.size();
                        filled.countDown();
                        counted = true;
                    }
                    if (next == null) {
                        return;
                    }
                    LockSupport.parkNanos(next.due - now);
                }
            }
            if (!counted) {
                filled.countDown();
            }
        }

        private void claim(String agent) {
            long start = System.nanoTime();
            try {
                if (cluster.claim(agent)) {
                    long now = System.nanoTime();
                    fillLatency.recordValue(now - start);
                    held.add(new Held(agent, now + ThreadLocalRandom.current().nextLong(interval)));
                }
            } catch (Exception e) {
                errors++;
            }
        }

        private void renew(Held lease, long start) {
            boolean inHold = start >= holdStart && start < holdEnd;
            if (inHold) {
                maxLateness = Math.max(maxLateness, start - lease.due);
            }
            try {
                if (cluster.renew(lease.agent)) {
                    if (inHold) {
                        renewalLatency.recordValue(System.nanoTime() - start);
                        renewalsInHold++;
                    }
                    lease.due = start + interval;
                    held.add(lease);
                } else {
                    lost++;
                }
            } catch (Exception e) {
                errors++;
                lease.due = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                held.add(lease);
            }
        }
    }
}
