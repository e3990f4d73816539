package com.anycontact.innolicense.access;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An API token, as listed: everything but its secret, which is shown once at creation and then
 * kept only as a digest ({@link TokenSecrets}).
 *
 * @param id the token's ID, not secret: how it is listed and revoked
 * @param name what the token is for, as its creator named it ({@link #NAME_RULE})
 * @param role what a request bearing the token may do
 * @param createdAt when the token was created
 * @param createdBy who created it (an audit name, see {@link Principal#auditName()})
 * @param revokedAt when the token was revoked, if it was; a revoked token authenticates nothing
 * @param expiresAt when the token stops authenticating, if it was given an expiry
 * @param node the ACD node an {@link Role#ACD} token is bound to, if any: its claims carry that node, and a
 *     claim naming another node is refused
 */
public record ApiToken(
        String id,
        String name,
        Role role,
        Instant createdAt,
        String createdBy,
        Optional<Instant> revokedAt,
        Optional<Instant> expiresAt,
        Optional<String> node) {

    /** The longest token name accepted. */
    public static final int MAX_NAME_LENGTH = 64;

    /** What a token name must look like, for error messages. */
    public static final String NAME_RULE = "a token name is 1 to " + MAX_NAME_LENGTH
            + " characters: letters, digits, spaces and . _ - @ : / # + ( ), not starting or ending with a space";

    private static final Pattern NAME = Pattern.compile("(?U)[\\p{L}\\p{N}._@:/#+()-](?:[\\p{L}\\p{N} ._@:/#+()-]{0,"
            + (MAX_NAME_LENGTH - 2) + "}[\\p{L}\\p{N}._@:/#+()-])?");

    /** Requires every component and a valid name. */
    public ApiToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(node, "node");
        if (node.isPresent() && role != Role.ACD) {
            throw new IllegalArgumentException("only an ACD token is bound to a node");
        }
        if (!isValidName(name)) {
            throw new IllegalArgumentException("not a token name (" + NAME_RULE + ")");
        }
    }

    /** A token without expiry or node binding. */
    public ApiToken(
            String id, String name, Role role, Instant createdAt, String createdBy, Optional<Instant> revokedAt) {
        this(id, name, role, createdAt, createdBy, revokedAt, Optional.empty(), Optional.empty());
    }

    /** Whether the token has expired at the given instant. */
    public boolean isExpiredAt(Instant now) {
        return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
    }

    /** Whether the text may be used as a token name ({@link #NAME_RULE}). */
    public static boolean isValidName(String text) {
        return text != null && NAME.matcher(text).matches();
    }

    /** Whether the token has been revoked. */
    public boolean isRevoked() {
        return revokedAt.isPresent();
    }
}
