package com.anycontact.innolicense.simulator;

import com.anycontact.innolicense.client.LicenseClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Simulated agents logging in, taking breaks, logging out and now and then crashing, against a license server
 * through the Java SDK: what {@code innolicense simulate} and {@code innolicense server --demo} run.
 *
 * <p>Agents are {@link SimulatedAgent} state machines on one shared timeline of {@value #THREADS} threads, not
 * a thread each; one {@link LicenseClient} renews all their seats in the background. A simulation runs until
 * {@link #stop()}, which releases every seat still held except those of crashed agents (the server reaps
 * those at their expiry). docs/simulator.md describes the patterns and what is counted.
 */
public final class Simulation implements AutoCloseable {

    /** The threads that run the agents' steps; each step may wait for the server. */
    static final int THREADS = 4;

    /** The ACD node the simulated agents log in on. */
    public static final String NODE = "simulator";

    private static final Duration SAMPLE_EVERY = Duration.ofMillis(250);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final Timeline timeline;
    private final SeatDesk desk;
    private final SimulationSettings settings;
    private final SimulationCounters counters = new SimulationCounters();
    private final List<SimulatedAgent> agents;
    private final Instant startedAt;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile String failure;
    private Progress finalProgress;

    private Simulation(Timeline timeline, SeatDesk desk, SimulationSettings settings) {
        this.timeline = timeline;
        this.desk = desk;
        this.settings = settings;
        this.startedAt = timeline.now();
        Instant origin =
                startedAt.minus(Duration.ofNanos((long) (settings.cycle().toNanos() * settings.warmStart())));
        SplittableRandom seeds = new SplittableRandom(settings.seed());
        List<SimulatedAgent> created = new ArrayList<>(settings.agents());
        for (int i = 1; i <= settings.agents(); i++) {
            SplittableRandom random = seeds.split();
            created.add(new SimulatedAgent(
                    settings.agentId(i),
                    "station-" + i,
                    new Rhythm(settings.pattern(), origin, settings.cycle(), i % 2, random),
                    settings.crashRate(),
                    timeline,
                    desk,
                    counters,
                    this::fail));
        }
        this.agents = List.copyOf(created);
    }

    /**
     * Starts a simulation against a license server, on real time.
     *
     * @param server the server's base URL
     * @param token an API token with role ACD
     * @throws IllegalArgumentException when the URL or token cannot be used (see {@link LicenseClient.Builder})
     */
    public static Simulation start(URI server, String token, SimulationSettings settings) {
        return start(List.of(server), token, settings);
    }

    /**
     * Starts a simulation against the nodes of a cluster, on real time: the SDK sends each call to the node that
     * answered last and fails over to the next (see {@link LicenseClient.Builder#servers(List)}).
     *
     * @param servers the nodes' base URLs
     * @param token an API token with role ACD
     * @throws IllegalArgumentException when a URL or the token cannot be used (see {@link LicenseClient.Builder})
     */
    public static Simulation start(List<URI> servers, String token, SimulationSettings settings) {
        Objects.requireNonNull(settings, "settings");
        LicenseClient client = LicenseClient.builder()
                .servers(servers)
                .token(token)
                .node(NODE)
                .requestTimeout(REQUEST_TIMEOUT)
                .build();
        return start(
                new ScheduledTimeline(THREADS, InstantSource.system(), REQUEST_TIMEOUT.plusSeconds(1)),
                new SdkSeatDesk(client),
                settings);
    }

    /** Starts a simulation on the given timeline and desk: the fakes of tests. */
    static Simulation start(Timeline timeline, SeatDesk desk, SimulationSettings settings) {
        Simulation simulation = new Simulation(timeline, desk, settings);
        simulation.agents.forEach(SimulatedAgent::begin);
        simulation.sampleRenewals();
        return simulation;
    }

    /** What it is playing. */
    public SimulationSettings settings() {
        return settings;
    }

    /** Where it stands now; after {@link #stop()}, where it stood when it stopped. */
    public Progress progress() {
        synchronized (this) {
            if (finalProgress != null) {
                return finalProgress;
            }
        }
        return snapshot();
    }

    /**
     * Waits until the simulation stops or fails, at most {@code timeout}.
     *
     * @return whether it ended within the timeout
     */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Why the simulation cannot go on (the server refused the token, say), if it cannot. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Stops every agent and releases every seat still held, except those of crashed agents. Idempotent; waits
     * for steps in progress and for the releases (bounded by the request timeout).
     *
     * @return where it stood when it stopped, with the seats released at the end counted as releases
     */
    public synchronized Progress stop() {
        if (finalProgress != null) {
            return finalProgress;
        }
        timeline.close();
        int stillHeld = 0;
        for (SimulatedAgent agent : agents) {
            if (agent.stop()) {
                stillHeld++;
            }
        }
        Progress atStop = snapshot();
        desk.close();
        finalProgress = new Progress(
                atStop.elapsed(),
                0,
                atStop.peakHeld(),
                atStop.capacity(),
                atStop.claims(),
                atStop.renewals(),
                atStop.releases() + stillHeld,
                atStop.denials(),
                atStop.crashes(),
                atStop.lost(),
                atStop.errors());
        ended.countDown();
        return finalProgress;
    }

    /**
     * A few lines for people on how the simulation went: what it played, the counts, the peak, and what was
     * left for the server to reap. Meant for after {@link #stop()}.
     */
    public List<String> summary() {
        Progress last = progress();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                Locale.ROOT,
                "simulation %s after %s: %d agents, %s pattern, seed %d",
                failure == null ? "ended" : "failed",
                Progress.clock(last.elapsed()),
                settings.agents(),
                settings.pattern().label(),
                settings.seed()));
        lines.add(String.format(
                Locale.ROOT,
                "  claims %d, renewals %d, releases %d, denials %d, crashes %d, lost %d, errors %d",
                last.claims(),
                last.renewals(),
                last.releases(),
                last.denials(),
                last.crashes(),
                last.lost(),
                last.errors()));
        lines.add("  at most " + last.peakHeld() + " agents held a seat at once"
                + (last.capacity() < 0 ? "" : "; capacity " + last.capacity()));
        if (last.crashes() > 0) {
            lines.add("  " + last.crashes() + (last.crashes() == 1 ? " crash" : " crashes")
                    + " abandoned a seat without releasing it: the server reaps each one when its lease expires");
        }
        return lines;
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    List<SimulatedAgent> agents() {
        return agents;
    }

    private Progress snapshot() {
        return new Progress(
                Duration.between(startedAt, timeline.now()),
                counters.held(),
                counters.peakHeld(),
                counters.capacity(),
                counters.claims.sum(),
                counters.renewals.sum(),
                counters.releases.sum(),
                counters.denials.sum(),
                counters.crashes.sum(),
                counters.lost.sum(),
                counters.errors.sum());
    }

    private void sampleRenewals() {
        for (SimulatedAgent agent : agents) {
            if (agent.sampleRenewal()) {
                counters.renewals.increment();
            }
        }
        timeline.schedule(SAMPLE_EVERY, this::sampleRenewals);
    }

    private void fail(String detail) {
        if (failure == null) {
            failure = detail;
        }
        ended.countDown();
    }
}
