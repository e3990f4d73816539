package com.anycontact.innolicense.access;

import java.time.Instant;
import java.util.Objects;

/**
 * A browser session as a {@link SessionStore} keeps it: the digest of its ID in place of the ID, and no CSRF token
 * (it is derived from the ID, {@link Session#csrfToken()}), so that what is stored cannot be used as a session.
 *
 * @param digest {@link TokenSecrets#digest} of the session's ID
 * @param principal the user who logged in
 * @param remoteAddress the address the user logged in from
 * @param createdAt when the user logged in
 * @param lastSeenAt when the session was last recorded as used
 * @param expiresAt when the session ends unless used before
 */
public record StoredSession(
        String digest,
        Principal principal,
        String remoteAddress,
        Instant createdAt,
        Instant lastSeenAt,
        Instant expiresAt) {

    /** Requires every component. */
    public StoredSession {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Whether the session has ended at {@code now}: its {@code expiresAt} is not after it. */
    public boolean endedAt(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
