package com.anycontact.innolicense.seat;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An administrator's release of an agent's seat (a force-release), as it is kept so that every server node
 * answers the agent alike: the ACD is told at the agent's next renewal, and claims may be refused for a while.
 *
 * @param agent whose seat
 * @param releasedAt when, by the server's trusted clock
 * @param releasedBy who released it: the administrator's name, as the audit log names them
 * @param reason why, as the administrator gave it; empty when none was given
 * @param noticeUntil until when the agent's next claim or renewal is answered {@code released-by-administrator};
 *     empty when the agent held no seat, or once the notice was given
 * @param blockedUntil until when the agent's claims are refused ({@code agent-blocked}); empty for no block
 */
public record SeatRelease(
        AgentId agent,
        Instant releasedAt,
        String releasedBy,
        String reason,
        Optional<Instant> noticeUntil,
        Optional<Instant> blockedUntil) {

    /** The longest reason kept, in characters. */
    public static final int MAX_REASON = 500;

    /** Requires every part; a reason of at most {@link #MAX_REASON} characters. */
    public SeatRelease {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(releasedAt, "releasedAt");
        Objects.requireNonNull(releasedBy, "releasedBy");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(noticeUntil, "noticeUntil");
        Objects.requireNonNull(blockedUntil, "blockedUntil");
        if (reason.length() > MAX_REASON) {
            throw new IllegalArgumentException("a reason has at most " + MAX_REASON + " characters");
        }
    }

    /** Whether the agent is still to be told at {@code now}. */
    public boolean noticePending(Instant now) {
        return noticeUntil.isPresent() && noticeUntil.get().isAfter(now);
    }

    /** Whether the agent's claims are refused at {@code now}. */
    public boolean blocked(Instant now) {
        return blockedUntil.isPresent() && blockedUntil.get().isAfter(now);
    }

    /** Whether it still matters at {@code now}: a notice to give or a block in force. */
    public boolean inForce(Instant now) {
        return noticePending(now) || blocked(now);
    }

    /** The same release with the notice given. */
    public SeatRelease noticeGiven() {
        return new SeatRelease(agent, releasedAt, releasedBy, reason, Optional.empty(), blockedUntil);
    }

    /** The same release with the block lifted. */
    public SeatRelease unblocked() {
        return new SeatRelease(agent, releasedAt, releasedBy, reason, noticeUntil, Optional.empty());
    }
}
