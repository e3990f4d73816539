package com.anycontact.innolicense.seat;

import java.util.Objects;
import java.util.Optional;

/**
 * The identity of an agent as the ACD names it. One agent holds at most one seat, whichever ACD
 * node it logs in from. IDs are compared exactly: {@code Alice} and {@code alice} are two agents.
 *
 * @param value the ID, as given
 */
public record AgentId(String value) {

    /** The longest agent ID accepted. */
    public static final int MAX_LENGTH = 64;

    /** What an agent ID must look like, for error messages. */
    public static final String RULE = "an agent ID is 1 to " + MAX_LENGTH
            + " characters: ASCII letters, digits and . _ - @ :, starting with a letter or digit";

    /** Validates the ID against {@link #RULE}; use {@link #parse(String)} for untrusted text. */
    public AgentId {
        Objects.requireNonNull(value, "value");
        if (!isValid(value)) {
            throw new IllegalArgumentException("not an agent ID (" + RULE + ")");
        }
    }

    /**
     * Reads an agent ID from untrusted text, without trimming or changing case.
     *
     * @return the ID, or empty when the text breaks {@link #RULE}
     */
    public static Optional<AgentId> parse(String text) {
        return isValid(text) ? Optional.of(new AgentId(text)) : Optional.empty();
    }

    /** {@link #RULE}, checked character by character: it is asked on every seat call. */
    private static boolean isValid(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH || !isLetterOrDigit(text.charAt(0))) {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isLetterOrDigit(c) && c != '.' && c != '_' && c != '@' && c != ':' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    @Override
    public String toString() {
        return value;
    }
}
