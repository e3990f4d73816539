package com.anycontact.innolicense.access;

import java.util.Objects;

/**
 * A user as kept in the {@link UserStore}: with the hash of the password, never the password.
 *
 * @param user the user
 * @param passwordHash the password's hash as the {@link PasswordHasher} made it
 */
public record StoredUser(User user, String passwordHash) {

    /** Requires both components. */
    public StoredUser {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(passwordHash, "passwordHash");
    }

    /** Names the user without the hash, so the hash stays out of logs. */
    @Override
    public String toString() {
        return "StoredUser[user=" + user + "]";
    }
}
