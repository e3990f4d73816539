package com.anycontact.innolicense.bench.load;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The scale run: one server holds {@code leases} concurrent leases, each renewed at the server's
 * renew hint (a third of the lease TTL) as the SDK would, and reports the server's heap, the
 * renewal throughput and the latency of claims made meanwhile.
 *
 * <p>Shape: {@code workers} platform threads share the agents. Each worker claims its agents one
 * after the other (the fill) and renews each of them whenever its renewal falls due, earliest due
 * first, so renewals begin while the fill still runs, as they would after a shift start. Once all
 * are held the hold phase begins: the workers keep renewing, and a prober releases and re-claims
 * agents of its own at a fixed rate (logouts and logins while the seats are held), whose claim
 * latency is the "claim p99 while holding". At the end of the hold the server's heap is read with
 * {@code jcmd GC.heap_info}, as found and after a full collection ({@code GC.run}: the live set).
 */
final class ScaleRun {

    private static final Pattern HEAP =
            Pattern.compile("heap\\s+total (?:reserved )?(\\d+)K, committed (\\d+)K, used (\\d+)K");

    private final ServerProcess server;
    private final HttpArbiter arbiter;

    ScaleRun(ServerProcess server, HttpArbiter arbiter) {
        this.server = server;
        this.arbiter = arbiter;
    }

    /**
     * What the run saw.
     *
     * @param leases the leases the run set out to hold
     * @param held the leases held when the hold phase began: {@code leases} unless the fill ran out
     *     of time
     * @param fillTimeout how long the fill was allowed
     * @param renewHint how often each lease was renewed
     * @param fillSeconds how long claiming them all took
     * @param fillClaims the latency of every claim of the fill
     * @param lateFillClaims the latency of claims of the fill made with at least 90% of the leases held
     * @param holdSeconds the length of the hold phase
     * @param renewals renewals in the hold phase
     * @param renewalLatency their latency
     * @param maxRenewalLateness how far behind its due time the latest renewal was sent
     * @param lost renewals that found their lease gone (expired or refused)
     * @param probeClaims claims by the prober during the hold phase, with the other leases held
     * @param errors failed requests
     * @param serverCpuSeconds the CPU time the server used during the hold phase
     * @param heapAsFound heap used at the end of the hold, as jcmd found it
     * @param heapLive heap used right after a full collection: the live set
     * @param heapCapacity the heap's reserved size (the {@code -Xmx})
     */
    record Result(
            int leases,
            int held,
            Duration fillTimeout,
            Duration renewHint,
            double fillSeconds,
            Latency fillClaims,
            Latency lateFillClaims,
            double holdSeconds,
            long renewals,
            Latency renewalLatency,
            Duration maxRenewalLateness,
            long lost,
            Latency probeClaims,
            long errors,
            double serverCpuSeconds,
            String heapAsFound,
            String heapLive,
            String heapCapacity) {

        String markdown() {
            double expected = held / (double) Math.max(renewHint.toMillis(), 1) * 1000;
            StringBuilder out = new StringBuilder();
            if (held < leases) {
                out.append(String.format(
                        Locale.ROOT,
                        "**The fill did not complete**: %,d of %,d leases were held after %d s; the hold phase"
                                + " ran with those.%n%n",
                        held,
                        leases,
                        fillTimeout.toSeconds()));
            }
            out.append("| measure | value |\n|---|---:|\n");
            row(out, "leases held", String.format(Locale.ROOT, "%,d", held));
            row(out, "renew hint (TTL ÷ 3)", renewHint.toSeconds() + " s");
            row(out, "renewals/s due at that hint", Report.count(expected));
            row(out, "fill: claims/s (renewals running alongside)", Report.count(held / Math.max(fillSeconds, 1e-9)));
            row(out, "fill: claim p50 / p99 / p99.9 µs", triple(fillClaims));
            row(out, "fill: claim p99 µs with ≥ 90% held", Report.micros(lateFillClaims.p99()));
            row(out, "hold: length", String.format(Locale.ROOT, "%.0f s", holdSeconds));
            row(out, "hold: renewals/s", Report.count(renewals / Math.max(holdSeconds, 1e-9)));
            row(out, "hold: renewal p50 / p99 / p99.9 µs", triple(renewalLatency));
            row(out, "hold: latest renewal behind its due time", maxRenewalLateness.toMillis() + " ms");
            row(out, "hold: leases lost (renewal found none)", Long.toString(lost));
            row(out, "hold: claim p50 / p99 / p99.9 µs (prober)", triple(probeClaims));
            row(
                    out,
                    "hold: server CPU (cores busy)",
                    String.format(Locale.ROOT, "%.2f", serverCpuSeconds / holdSeconds));
            row(out, "heap used, as found", heapAsFound);
            row(out, "heap used after a full GC (live set)", heapLive);
            row(out, "heap reserved (-Xmx)", heapCapacity);
            row(out, "errors", Long.toString(errors));
            return out.toString();
        }

        private static String triple(Latency latency) {
            return Report.micros(latency.p50()) + " / " + Report.micros(latency.p99()) + " / "
                    + Report.micros(latency.p999());
        }

        private static void row(StringBuilder out, String measure, String value) {
            out.append("| ").append(measure).append(" | ").append(value).append(" |\n");
        }
    }

    /**
     * Runs the scale test.
     *
     * @param leases how many leases to hold, at most the largest license (100,000)
     * @param workers the concurrent clients that claim and renew
     * @param hold how long to hold them all
     * @param probeRate the prober's release + claim cycles per second
     * @param fillTimeout how long the fill may take before the run gives up
     */
    Result run(int leases, int workers, Duration hold, int probeRate, Duration fillTimeout)
            throws IOException, InterruptedException {
        int probes = Math.min(64, leases / 10);
        server.applyLicense(leases);
        Duration hint = arbiter.renewHint("scale-hint");
        arbiter.release("scale-hint");
        Shared shared = new Shared(hint.toNanos(), (int) ((leases - probes) * 0.9));
        List<Worker> pool = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Worker worker = new Worker(shared);
            for (int i = w; i < leases - probes; i += workers) {
                worker.toClaim.add("scale-" + i);
            }
            pool.add(worker);
            threads.add(Thread.ofPlatform().name("scale-worker-" + w).start(worker));
        }
        long fillStart = System.nanoTime();
        long fillDeadline = fillStart + fillTimeout.toNanos();
        while (shared.held.get() < leases - probes && System.nanoTime() < fillDeadline && server.isAlive()) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        if (!server.isAlive()) {
            stop(shared, threads);
            throw new IOException("the server died during the fill, with " + shared.held.get() + " leases held");
        }
        shared.fillEnded = true;
        Prober prober = new Prober(probes, probeRate);
        prober.claimAll();
        int heldAtHold = shared.held.get() + probes;
        double cpuBefore = server.cpuTime().toNanos() / 1e9;
        shared.holding = true;
        long holdStart = System.nanoTime();
        Thread probing = Thread.ofPlatform().name("scale-prober").start(prober);
        TimeUnit.NANOSECONDS.sleep(hold.toNanos());
        shared.holding = false;
        prober.stop = true;
        probing.join();
        double holdSeconds = (System.nanoTime() - holdStart) / 1e9;
        double cpuSeconds = server.cpuTime().toNanos() / 1e9 - cpuBefore;
        String asFound = server.jcmd("GC.heap_info");
        server.jcmd("GC.run");
        String live = server.jcmd("GC.heap_info");
        stop(shared, threads);

        Histogram fill = new Histogram(3);
        Histogram lateFill = new Histogram(3);
        Histogram renewal = new Histogram(3);
        long renewals = 0;
        long lost = 0;
        long errors = prober.errors;
        long lateness = 0;
        for (Worker worker : pool) {
            fill.add(worker.fillClaims);
            lateFill.add(worker.lateFillClaims);
            renewal.add(worker.renewalLatency);
            renewals += worker.renewals;
            lost += worker.lost;
            errors += worker.errors;
            lateness = Math.max(lateness, worker.maxLateness);
        }
        return new Result(
                leases,
                heldAtHold,
                fillTimeout,
                hint,
                fillSeconds,
                Latency.of(fill),
                Latency.of(lateFill),
                holdSeconds,
                renewals,
                Latency.of(renewal),
                Duration.ofNanos(lateness),
                lost,
                Latency.of(prober.claims),
                errors,
                cpuSeconds,
                heap(asFound, 3),
                heap(live, 3),
                heap(live, 1));
    }

    private static void stop(Shared shared, List<Thread> threads) throws InterruptedException {
        shared.stop = true;
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static String heap(String heapInfo, int group) {
        Matcher matcher = HEAP.matcher(heapInfo);
        if (!matcher.find()) {
            return heapInfo.lines()
                    .filter(l -> l.contains("heap"))
                    .findFirst()
                    .orElse("?")
                    .strip();
        }
        return String.format(Locale.ROOT, "%.1f MiB", Long.parseLong(matcher.group(group)) / 1024.0);
    }

    /** What the workers share: the count of leases held and the phase. */
    private static final class Shared {
        final long hintNanos;
        final int lateFillFrom;
        final AtomicInteger held = new AtomicInteger();
        volatile boolean fillEnded;
        volatile boolean holding;
        volatile boolean stop;

        Shared(long hintNanos, int lateFillFrom) {
            this.hintNanos = hintNanos;
            this.lateFillFrom = lateFillFrom;
        }
    }

    /** A lease a worker holds, and when its next renewal is due. */
    private static final class Held {
        final String agent;
        long due;

        Held(String agent, long due) {
            this.agent = agent;
            this.due = due;
        }
    }

    /** Claims its agents, then renews each one when due, earliest first. */
    private final class Worker implements Runnable {
        final Shared shared;
        final ArrayDeque<String> toClaim = new ArrayDeque<>();
        final ArrayDeque<Held> held = new ArrayDeque<>();
        final Histogram fillClaims = new Histogram(3);
        final Histogram lateFillClaims = new Histogram(3);
        final Histogram renewalLatency = new Histogram(3);
        long renewals;
        long lost;
        long errors;
        long maxLateness;

        Worker(Shared shared) {
            this.shared = shared;
        }

        @Override
        public void run() {
            while (!shared.stop) {
                long now = System.nanoTime();
                Held next = held.peekFirst();
                try {
                    if (next != null && next.due <= now) {
                        held.pollFirst();
                        renew(next, now);
                        next.due = System.nanoTime() + shared.hintNanos;
                        held.addLast(next);
                    } else if (!toClaim.isEmpty() && !shared.fillEnded) {
                        claim(toClaim.peekFirst());
                    } else {
                        long wait = next == null ? 10_000_000 : Math.min(next.due - now, 10_000_000);
                        LockSupport.parkNanos(wait);
                    }
                } catch (IOException e) {
                    errors++;
                    LockSupport.parkNanos(1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private void claim(String agent) throws IOException, InterruptedException {
            long start = System.nanoTime();
            boolean granted = arbiter.claim(agent);
            long latency = System.nanoTime() - start;
            toClaim.pollFirst();
            if (!granted) {
                throw new IOException("the fill's claim of " + agent + " was denied");
            }
            fillClaims.recordValue(latency);
            if (shared.held.incrementAndGet() > shared.lateFillFrom) {
                lateFillClaims.recordValue(latency);
            }
            held.addLast(new Held(agent, System.nanoTime() + shared.hintNanos));
        }

        private void renew(Held lease, long now) throws IOException, InterruptedException {
            boolean holding = shared.holding;
            long start = System.nanoTime();
            boolean renewed = arbiter.renew(lease.agent);
            long latency = System.nanoTime() - start;
            if (holding) {
                renewals++;
                renewalLatency.recordValue(latency);
                maxLateness = Math.max(maxLateness, now - lease.due);
                if (!renewed) {
                    lost++;
                }
            }
        }
    }

    /** Logs its agents out and in again at a fixed rate while the other leases are held. */
    private final class Prober implements Runnable {
        final List<String> agents = new ArrayList<>();
        final long periodNanos;
        final Histogram claims = new Histogram(3);
        volatile boolean stop;
        long errors;

        Prober(int count, int rate) {
            for (int i = 0; i < count; i++) {
                agents.add("scale-probe-" + i);
            }
            this.periodNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(rate, 1);
        }

        void claimAll() throws IOException, InterruptedException {
            for (String agent : agents) {
                if (!arbiter.claim(agent)) {
                    throw new IOException("no seat for the prober's " + agent);
                }
            }
        }

        @Override
        public void run() {
            long next = System.nanoTime();
            for (int i = 0; !stop; i++) {
                String agent = agents.get(i % agents.size());
                try {
                    arbiter.release(agent);
                    long start = System.nanoTime();
                    boolean granted = arbiter.claim(agent);
                    claims.recordValue(System.nanoTime() - start);
                    if (!granted) {
                        errors++;
                    }
                } catch (IOException e) {
                    errors++;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                next += periodNanos;
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }
    }
}
