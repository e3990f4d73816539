package com.anycontact.innolicense.access;

import java.util.Objects;

/**
 * A user as kept in the {@link UserStore}: with the hash of the password, never the password.
 *
 * @param user the user
 * @param passwordHash the password's hash as the {@link PasswordHasher} made it
 * @param passwordChangeRequired whether the user must set a new password before anything else, because the
 *     server generated the present one
 */
public record StoredUser(User user, String passwordHash, boolean passwordChangeRequired) {

    /** Requires both components. */
    public StoredUser {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(passwordHash, "passwordHash");
    }

    /** A user who need not change the password. */
    public StoredUser(User user, String passwordHash) {
        this(user, passwordHash, false);
    }

    /** Names the user without the hash, so the hash stays out of logs. */
    @Override
    public String toString() {
        return "StoredUser[user=" + user + ", passwordChangeRequired=" + passwordChangeRequired + "]";
    }
}
