package com.anycontact.innolicense.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * One ACD seat as the harness plays it, on its own thread: an agent logs in (claims, retrying after a denial),
 * stays logged in for a few lease TTLs renewing every third of the TTL, then logs out (releases) or vanishes
 * (stops renewing without a word); then the next agent of this seat logs in, under a new agent ID. Every call
 * goes into the seat's history.
 */
final class AcdAgent implements Runnable {

    private final String name;
    private final SeatClient client;
    private final Duration ttl;
    private final Random random;
    private final BooleanSupplier running;
    private final List<Op> history = new ArrayList<>();
    private int login;

    /**
     * A seat of the ACD.
     *
     * @param name the seat's name, the prefix of its agents' IDs
     * @param client the seat calls to its node, or to the cluster's nodes
     * @param ttl the server's lease TTL
     * @param seed the seed of its random choices
     * @param running whether the run goes on
     */
    AcdAgent(String name, SeatClient client, Duration ttl, long seed, BooleanSupplier running) {
        this.name = Objects.requireNonNull(name, "name");
        this.client = Objects.requireNonNull(client, "client");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.random = new Random(seed);
        this.running = Objects.requireNonNull(running, "running");
    }

    /** The calls made, in order; read it after the thread ended. */
    List<Op> history() {
        return history;
    }

    @Override
    public void run() {
        while (running.getAsBoolean()) {
            String agent = name + "-" + ++login;
            if (loggedIn(agent)) {
                boolean stillHeld = work(agent);
                if (stillHeld && running.getAsBoolean()) {
                    if (random.nextInt(4) == 0) {
                        sleep(random.nextLong(ttl.toMillis() / 2)); // vanished: the lease must be reaped
                    } else {
                        logOut(agent);
                    }
                }
            }
            sleep(random.nextLong(50, 500));
        }
    }

    /** Claims until granted, or the run ends; a few tries, then a new login. */
    private boolean loggedIn(String agent) {
        for (int attempt = 0; attempt < 40 && running.getAsBoolean(); attempt++) {
            Op op = call(agent, Op.Kind.CLAIM);
            if (op.granted()) {
                return true;
            }
            sleep(op.deniedForNoSeat() ? random.nextLong(100, 400) : 500);
        }
        return false;
    }

    /**
     * Holds the seat for one to three TTLs, renewing every third of the TTL (sooner after a failed renewal).
     *
     * @return whether the agent still holds the seat as far as it knows
     */
    private boolean work(String agent) {
        long renewEvery = ttl.toNanos() / 3;
        long until = System.nanoTime() + random.nextLong(ttl.toNanos(), 3 * ttl.toNanos());
        long nextRenewal = System.nanoTime() + renewEvery;
        while (running.getAsBoolean() && System.nanoTime() < until) {
            sleepNanos(Math.min(nextRenewal, until) - System.nanoTime());
            if (System.nanoTime() < nextRenewal || !running.getAsBoolean()) {
                continue;
            }
            Op op = call(agent, Op.Kind.RENEW);
            if (op.granted()) {
                nextRenewal = op.invokedNanos() + renewEvery;
            } else if (op.outcome() == Op.Outcome.ANSWERED && op.status() == 409) {
                return false; // the server says the seat is gone
            } else {
                nextRenewal = System.nanoTime() + renewEvery / 4;
            }
        }
        return true;
    }

    private void logOut(String agent) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Op op = call(agent, Op.Kind.RELEASE);
            if (op.outcome() == Op.Outcome.ANSWERED && op.status() < 500) {
                return;
            }
            sleep(200);
        }
    }

    private Op call(String agent, Op.Kind kind) {
        List<Op> attempts = client.call(agent, kind);
        history.addAll(attempts);
        return attempts.getLast();
    }

    private static void sleep(long millis) {
        sleepNanos(Duration.ofMillis(millis).toNanos());
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
