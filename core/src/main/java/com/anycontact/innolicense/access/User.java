package com.anycontact.innolicense.access;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A person who logs in to AC Admin with a username and password.
 *
 * <p>Usernames are unique without regard to ASCII case: {@code Alice} and {@code alice} are one
 * user, who is shown as spelled when created.
 *
 * @param username the username ({@link #USERNAME_RULE})
 * @param role {@link Role#ADMIN} or {@link Role#SUPERVISOR}
 * @param createdAt when the user was created
 */
public record User(String username, Role role, Instant createdAt) {

    /** The longest username accepted. */
    public static final int MAX_USERNAME_LENGTH = 64;

    /** What a username must look like, for error messages. */
    public static final String USERNAME_RULE =
            "a username is 1 to " + MAX_USERNAME_LENGTH + " characters: ASCII letters, digits and . _ - @";

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1," + MAX_USERNAME_LENGTH + "}");

    /** Validates the username and requires a user role; check untrusted text with {@link #isValidUsername}. */
    public User {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
        if (!isValidUsername(username)) {
            throw new IllegalArgumentException("not a username (" + USERNAME_RULE + ")");
        }
        if (!role.isUserRole()) {
            throw new IllegalArgumentException("a user cannot have the role " + role);
        }
    }

    /** Whether the text may be used as a username ({@link #USERNAME_RULE}). */
    public static boolean isValidUsername(String text) {
        return text != null && USERNAME.matcher(text).matches();
    }
}
