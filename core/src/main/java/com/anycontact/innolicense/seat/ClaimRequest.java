package com.anycontact.innolicense.seat;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An agent's login (or heartbeat) as an ACD node reports it.
 *
 * @param agent the agent that wants a seat
 * @param node the ACD node the agent is logged in on, or {@code null} when not reported
 * @param station the agent's station (desk, phone, workplace), or {@code null} when not reported
 */
public record ClaimRequest(AgentId agent, String node, String station) {

    /** The longest node or station name accepted. */
    public static final int MAX_LABEL_LENGTH = 128;

    /** What a node or station name must look like, for error messages. */
    public static final String LABEL_RULE = "a node or station name is 1 to " + MAX_LABEL_LENGTH
            + " characters: letters, digits, spaces and . _ - @ : / # + ( ), not starting or ending with a space";

    private static final Pattern LABEL = Pattern.compile("(?U)[\\p{L}\\p{N}._@:/#+()-](?:[\\p{L}\\p{N} ._@:/#+()-]{0,"
            + (MAX_LABEL_LENGTH - 2) + "}[\\p{L}\\p{N}._@:/#+()-])?");

    /** Validates node and station against {@link #LABEL_RULE} when they are given. */
    public ClaimRequest {
        Objects.requireNonNull(agent, "agent");
        if (node != null && !isValidLabel(node)) {
            throw new IllegalArgumentException("bad node name (" + LABEL_RULE + ")");
        }
        if (station != null && !isValidLabel(station)) {
            throw new IllegalArgumentException("bad station name (" + LABEL_RULE + ")");
        }
    }

    /** A request that names only the agent. */
    public static ClaimRequest of(AgentId agent) {
        return new ClaimRequest(agent, null, null);
    }

    /** Whether the text may be used as a node or station name ({@link #LABEL_RULE}). */
    public static boolean isValidLabel(String text) {
        return text != null && LABEL.matcher(text).matches();
    }
}
