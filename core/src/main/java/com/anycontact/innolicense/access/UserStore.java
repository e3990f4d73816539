package com.anycontact.innolicense.access;

import java.util.List;
import java.util.Optional;

/**
 * Where users and their password hashes are kept. Usernames are matched without regard to ASCII
 * case ({@link User}). Implementations are safe for use by many threads at once, and a change is
 * durable when its method returns.
 */
public interface UserStore {

    /** The user with that username, ignoring ASCII case. */
    Optional<StoredUser> find(String username);

    /**
     * Adds a user.
     *
     * @return {@code false}, and nothing changed, when a user with that username (ignoring ASCII
     *     case) exists
     */
    boolean create(StoredUser user);

    /** All users, ordered by username ignoring ASCII case. */
    List<User> list();

    /**
     * Removes a user.
     *
     * @return {@code false} when there was no such user
     */
    boolean delete(String username);

    /**
     * Replaces a user's password hash, keeping whether a password change is required (a rehash).
     *
     * @return {@code false} when there is no such user
     */
    boolean setPasswordHash(String username, String hash);

    /**
     * Replaces a user's password hash with that of a new password, and clears the mark that a password
     * change is required ({@link StoredUser#passwordChangeRequired()}).
     *
     * @return {@code false} when there is no such user
     */
    boolean changePassword(String username, String hash);

    /** The number of users. */
    int count();
}
