package com.anycontact.innolicense.access;

import java.util.Objects;

/** The outcome of creating a user. */
public sealed interface UserCreation permits UserCreation.Created, UserCreation.UsernameTaken, InvalidInput {

    /**
     * The user was created.
     *
     * @param user the new user
     */
    record Created(User user) implements UserCreation {
        /** Requires a user. */
        public Created {
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * A user with that username exists already (usernames are compared ignoring ASCII case).
     *
     * @param username the username asked for
     */
    record UsernameTaken(String username) implements UserCreation {
        /** Requires a username. */
        public UsernameTaken {
            Objects.requireNonNull(username, "username");
        }
    }
}
