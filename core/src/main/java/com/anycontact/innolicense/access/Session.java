package com.anycontact.innolicense.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Objects;

/**
 * A browser's login, kept by {@link Sessions} and named by a cookie.
 *
 * @param id the session's ID: 256 random bits in unpadded base64url (43 characters), the cookie's
 *     value; as good as the password while the session lasts
 * @param csrfToken a second secret of the same size, derived from the ID ({@link Sessions#csrfTokenOf}), that
 *     the page sends back in a header with every write, which another site's page cannot read ({@link
 *     #csrfMatches})
 * @param principal the user who logged in
 * @param remoteAddress the address the user logged in from
 * @param createdAt when the user logged in
 * @param lastSeenAt when the session was last used
 * @param expiresAt when the session ends unless used before: the earlier of {@code lastSeenAt} plus
 *     the idle timeout and {@code createdAt} plus the absolute timeout
 */
public record Session(
        String id,
        String csrfToken,
        Principal principal,
        String remoteAddress,
        Instant createdAt,
        Instant lastSeenAt,
        Instant expiresAt) {

    /** Requires every component. */
    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * Whether a presented CSRF token is this session's, compared in constant time: unlike a token
     * secret, which is looked up by its digest, this is a direct comparison of two secrets, whose
     * timing must not tell how many leading characters were right.
     */
    public boolean csrfMatches(String candidate) {
        return candidate != null
                && MessageDigest.isEqual(
                        csrfToken.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The digest of the ID ({@link TokenSecrets#digest}): what a {@link SessionStore} keeps and what {@link
     * Sessions#whenEnded} tells; no secret, as the ID cannot be computed from it.
     */
    public String digest() {
        return TokenSecrets.digest(id);
    }

    /** Describes the session without its ID and CSRF token, so they stay out of logs. */
    @Override
    public String toString() {
        return "Session[principal=" + principal + ", remoteAddress=" + remoteAddress + ", createdAt=" + createdAt
                + ", lastSeenAt=" + lastSeenAt + ", expiresAt=" + expiresAt + "]";
    }
}
