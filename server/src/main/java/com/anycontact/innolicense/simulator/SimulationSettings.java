package com.anycontact.innolicense.simulator;

import com.anycontact.innolicense.seat.AgentId;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link Simulation} plays.
 *
 * @param agents how many agents, 1 to {@value #MAX_AGENTS}
 * @param agentPrefix the agents' IDs are this and a number ({@code sim-agent-0042}); with the number an agent
 *     ID ({@link AgentId#RULE}). Simulations that share a server need different prefixes: claims are
 *     idempotent per agent, so two simulated agents of one ID would share one seat
 * @param pattern how they come and go
 * @param cycle the time scale of the pattern: a shift, or a wave of {@link LoadPattern#BURST}; at least 1 s
 * @param crashRate the chance, 0 to 1, that an agent crashes during a stretch of work (from a claim to its
 *     next break or logout) instead of releasing its seat
 * @param seed makes the agents' choices repeatable
 * @param warmStart how far into the first cycle the simulation begins, 0 to 1 (below 1): 0 starts with nobody
 *     logged in, 0.1 lets the agents whose login falls in the first tenth log in at once
 */
public record SimulationSettings(
        int agents,
        String agentPrefix,
        LoadPattern pattern,
        Duration cycle,
        double crashRate,
        long seed,
        double warmStart) {

    /** The most agents one simulation plays. */
    public static final int MAX_AGENTS = 100_000;

    /** The agent prefix of {@link #of}. */
    public static final String DEFAULT_AGENT_PREFIX = "sim-agent-";

    /** The shortest cycle. */
    public static final Duration MIN_CYCLE = Duration.ofSeconds(1);

    /** Checks the ranges. */
    public SimulationSettings {
        if (agents < 1 || agents > MAX_AGENTS) {
            throw new IllegalArgumentException("agents must be 1 to " + MAX_AGENTS + ", was " + agents);
        }
        Objects.requireNonNull(agentPrefix, "agentPrefix");
        if (AgentId.parse(agentId(agentPrefix, agents, agents)).isEmpty()) {
            throw new IllegalArgumentException(
                    "agentPrefix '" + agentPrefix + "' with a number is not an agent ID: " + AgentId.RULE);
        }
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(cycle, "cycle");
        if (cycle.compareTo(MIN_CYCLE) < 0) {
            throw new IllegalArgumentException("cycle must be at least 1s, was " + cycle);
        }
        if (!(crashRate >= 0 && crashRate <= 1)) {
            throw new IllegalArgumentException("crashRate must be 0 to 1, was " + crashRate);
        }
        if (!(warmStart >= 0 && warmStart < 1)) {
            throw new IllegalArgumentException("warmStart must be 0 or more and below 1, was " + warmStart);
        }
    }

    /**
     * A run of {@code duration} starting with nobody logged in, its cycle chosen by the pattern, the agents named
     * {@value #DEFAULT_AGENT_PREFIX} and a number.
     */
    public static SimulationSettings of(
            int agents, LoadPattern pattern, Duration duration, double crashRate, long seed) {
        return new SimulationSettings(
                agents, DEFAULT_AGENT_PREFIX, pattern, pattern.cycleOf(duration), crashRate, seed, 0);
    }

    /** These settings with another agent prefix. */
    public SimulationSettings withAgentPrefix(String prefix) {
        return new SimulationSettings(agents, prefix, pattern, cycle, crashRate, seed, warmStart);
    }

    /** The ID of agent {@code number} (from 1): the prefix and the number, zero-padded to four digits or more. */
    public String agentId(int number) {
        return agentId(agentPrefix, number, agents);
    }

    private static String agentId(String prefix, int number, int agents) {
        int width = Math.max(4, Integer.toString(agents).length());
        return prefix + String.format(Locale.ROOT, "%0" + width + "d", number);
    }
}
