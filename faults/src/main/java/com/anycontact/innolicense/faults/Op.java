package com.anycontact.innolicense.faults;

import java.time.Instant;
import java.util.Objects;

/**
 * One seat call an agent made, as the agent saw it: what it asked, when, and what it was answered when. Times
 * are the harness's monotonic clock ({@link System#nanoTime()}), shared by every agent thread of the run; the
 * instants in the answer are the server's.
 *
 * @param agent the agent ID
 * @param node the server node the call went to (0 for a single server)
 * @param kind claim (the first {@code PUT} of a login), renew (a later {@code PUT}) or release ({@code DELETE})
 * @param invokedNanos when the call was sent
 * @param answeredNanos when the answer came, or when the harness gave up on it ({@link Outcome#UNKNOWN})
 * @param outcome whether there was an answer
 * @param status the HTTP status of the answer, or 0 without one
 * @param problem the last path segment of the problem type of a refusal (e.g. {@code seat-limit-reached}), or
 *     empty
 * @param claimedAt the lease's {@code claimedAt} in a grant (200/201), or {@code null}
 * @param expiresAt the lease's {@code expiresAt} in a grant (200/201), or {@code null}
 */
public record Op(
        String agent,
        int node,
        Kind kind,
        long invokedNanos,
        long answeredNanos,
        Outcome outcome,
        int status,
        String problem,
        Instant claimedAt,
        Instant expiresAt) {

    /** What the agent asked. */
    public enum Kind {
        /** The first {@code PUT /api/v1/seats/{agentId}} of a login. */
        CLAIM,
        /** A later {@code PUT} of the same login: a heartbeat. */
        RENEW,
        /** {@code DELETE /api/v1/seats/{agentId}}: a logout. */
        RELEASE
    }

    /** Whether the call was answered. */
    public enum Outcome {
        /** The server answered; {@link #status()} says what. */
        ANSWERED,
        /** The connection was refused: the server never saw the call, which had no effect. */
        REFUSED,
        /** No answer (timeout, reset): the call may or may not have taken effect, at any later time. */
        UNKNOWN
    }

    /** Checks the fields. */
    public Op {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        problem = problem == null ? "" : problem;
        if (answeredNanos < invokedNanos) {
            throw new IllegalArgumentException("answered before invoked: " + agent + " " + kind);
        }
    }

    /** A claim or renewal that was granted: 201 (a new lease) or 200 (renewed). */
    public boolean granted() {
        return kind != Kind.RELEASE && outcome == Outcome.ANSWERED && (status == 200 || status == 201);
    }

    /** Whether this is a claim or renewal. */
    public boolean isPut() {
        return kind != Kind.RELEASE;
    }

    /** Whether the server answered with a seat answer (not 5xx): it serves again. */
    public boolean served() {
        return outcome == Outcome.ANSWERED && status >= 200 && status < 500;
    }

    /** A seat request that was denied because all seats were in use. */
    public boolean deniedForNoSeat() {
        return isPut() && outcome == Outcome.ANSWERED && status == 409 && problem.equals("seat-limit-reached");
    }

    /** Whether the answer says the agent held no lease, though it asked to renew or release one. */
    public boolean saysNotHeld() {
        if (outcome != Outcome.ANSWERED) {
            return false;
        }
        return switch (kind) {
            case CLAIM, RENEW -> status == 201 || status == 409;
            case RELEASE -> status == 404;
        };
    }

    /** A short line for reports. */
    public String describe(long originNanos) {
        String answer = switch (outcome) {
            case ANSWERED -> status + (problem.isEmpty() ? "" : " " + problem);
            case REFUSED -> "refused";
            case UNKNOWN -> "no answer";
        };
        return String.format(
                "%s %s on node %d invoked %.3fs answered %.3fs: %s%s",
                agent,
                kind.name().toLowerCase(java.util.Locale.ROOT),
                node,
                (invokedNanos - originNanos) / 1e9,
                (answeredNanos - originNanos) / 1e9,
                answer,
                expiresAt == null ? "" : " (claimed " + claimedAt + ", expires " + expiresAt + ")");
    }
}
