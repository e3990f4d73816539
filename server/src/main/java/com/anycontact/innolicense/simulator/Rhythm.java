package com.anycontact.innolicense.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * When one agent works, under its load pattern: its shifts, how long it works before a break, how long a break
 * lasts, and how long it waits after a denial. Every length is a share of the cycle, drawn from the agent's own
 * random source, so a seed repeats a run. Not thread-safe: used under its agent's lock.
 *
 * <ul>
 *   <li>{@link LoadPattern#SHIFT}: shift {@code k} starts at {@code k} cycles plus 0–25% of a cycle and ends at
 *       75–95%; work stretches of 15–30% of a cycle, breaks of 3–8%.
 *   <li>{@link LoadPattern#STEADY}: one endless shift starting within the first 10%; work stretches of 20–50%,
 *       breaks (logged out) of 5–15%.
 *   <li>{@link LoadPattern#BURST}: the agent's team (0 or 1) works every other wave {@code w}, from {@code w}
 *       waves plus 0–3% of a wave to {@code w + 1} waves plus 2–10%, so the teams overlap at each change; no
 *       breaks.
 * </ul>
 */
final class Rhythm {

    /** The end of an endless shift. */
    static final Instant NEVER = Instant.parse("+100000-01-01T00:00:00Z");

    /**
     * A stretch of time in which the agent works.
     *
     * @param index which cycle (or wave) it belongs to
     * @param start when the agent logs in
     * @param end when the agent logs out; {@link #NEVER} for an endless shift
     */
    record Shift(long index, Instant start, Instant end) {}

    private final LoadPattern pattern;
    private final Instant origin;
    private final Duration cycle;
    private final int team;
    private final SplittableRandom random;

    /**
     * @param origin the instant at which cycle 0 begins
     * @param team 0 or 1: the agent's team in {@link LoadPattern#BURST}
     */
    Rhythm(LoadPattern pattern, Instant origin, Duration cycle, int team, SplittableRandom random) {
        this.pattern = pattern;
        this.origin = origin;
        this.cycle = cycle;
        this.team = team;
        this.random = random;
    }

    /** The agent's first shift that has not ended by {@code now}. */
    Shift firstShift(Instant now) {
        if (pattern == LoadPattern.STEADY) {
            return new Shift(0, origin.plus(share(0, 0.10)), NEVER);
        }
        long index = Math.max(0, Duration.between(origin, now).toNanos() / cycle.toNanos() - 1);
        Shift shift = shift(index);
        while (!shift.end().isAfter(now)) {
            shift = next(shift);
        }
        return shift;
    }

    /** The shift after {@code shift}; for an endless shift, one that never starts. */
    Shift next(Shift shift) {
        return switch (pattern) {
            case STEADY -> new Shift(shift.index() + 1, NEVER, NEVER);
            case SHIFT -> shift(shift.index() + 1);
            case BURST -> shift(shift.index() + 2);
        };
    }

    /** How long the agent works before its next break (or its logout, when the break would outlast the shift). */
    Duration workStretch() {
        return switch (pattern) {
            case SHIFT -> share(0.15, 0.30);
            case STEADY -> share(0.20, 0.50);
            case BURST -> cycle.multipliedBy(1000);
        };
    }

    /** How long a break lasts; also how long a crashed agent takes to come back at the least. */
    Duration breakLength() {
        return switch (pattern) {
            case SHIFT, BURST -> share(0.03, 0.08);
            case STEADY -> share(0.05, 0.15);
        };
    }

    /**
     * How long to wait before claiming again after {@code failures} denials or errors in a row: a two-hundredth
     * of the cycle (50 ms to 5 s), doubling up to a twentieth (at most 1 min), with equal jitter.
     */
    Duration retryDelay(int failures) {
        long base = clamp(cycle.toNanos() / 200, Duration.ofMillis(50), Duration.ofSeconds(5));
        long cap = Math.max(base, clamp(cycle.toNanos() / 20, Duration.ofMillis(50), Duration.ofMinutes(1)));
        long delay = base;
        for (int i = 1; i < failures && delay < cap; i++) {
            delay *= 2;
        }
        delay = Math.min(delay, cap);
        return Duration.ofNanos(delay / 2 + (long) (random.nextDouble() * (delay / 2)));
    }

    /** A uniformly random number in [0, 1). */
    double draw() {
        return random.nextDouble();
    }

    private Shift shift(long index) {
        Instant begin = origin.plus(cycle.multipliedBy(index));
        return switch (pattern) {
            case STEADY -> throw new IllegalStateException("a steady agent has one shift");
            case SHIFT -> new Shift(index, begin.plus(share(0, 0.25)), begin.plus(share(0.75, 0.95)));
            case BURST -> {
                long wave = index % 2 == team ? index : index + 1;
                Instant waveBegin = origin.plus(cycle.multipliedBy(wave));
                yield new Shift(
                        wave,
                        waveBegin.plus(share(0, 0.03)),
                        waveBegin.plus(cycle).plus(share(0.02, 0.10)));
            }
        };
    }

    private Duration share(double from, double to) {
        double fraction = from + (to - from) * random.nextDouble();
        return Duration.ofNanos((long) (cycle.toNanos() * fraction));
    }

    private static long clamp(long nanos, Duration min, Duration max) {
        return Math.min(Math.max(nanos, min.toNanos()), max.toNanos());
    }
}
