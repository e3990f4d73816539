package com.anycontact.innolicense.client;

import java.util.Optional;

/**
 * The license server could not be reached, or answered a request with an error that is not a denial: a
 * rejected token (401, 403), an invalid agent ID (400), a server fault (5xx), or an answer this client does
 * not understand. Unchecked, because it means broken infrastructure or configuration rather than an outcome
 * the ACD plans for; a denial is a {@link SeatDeniedException}.
 */
public final class LicenseServerException extends RuntimeException {

    private final int status;
    private final String problemType;
    private final String detail;

    LicenseServerException(String message, int status, String problemType, String detail, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.problemType = problemType;
        this.detail = detail;
    }

    /** The HTTP status of the answer, or 0 when no answer arrived (connection failed, timed out). */
    public int status() {
        return status;
    }

    /**
     * The last path segment of the answer's problem {@code type}, for example {@code invalid-agent-id}, or
     * empty when the answer carried none (or none arrived).
     */
    public Optional<String> problemType() {
        return Optional.ofNullable(problemType);
    }

    /** The server's explanation, or what went wrong on the way to it. */
    public String detail() {
        return detail;
    }
}
