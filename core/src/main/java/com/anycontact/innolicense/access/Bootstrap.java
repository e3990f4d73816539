package com.anycontact.innolicense.access;

import java.util.Objects;
import java.util.Optional;

/** The outcome of the first-start bootstrap ({@link AccessService#bootstrap}). */
public sealed interface Bootstrap permits Bootstrap.Done, InvalidInput {

    /**
     * Bootstrap ran; on a later start it changes nothing.
     *
     * @param adminCreated whether the user {@code admin} was created (there were no users)
     * @param generatedPassword the password generated for {@code admin} when none was given: print
     *     it once; it is stored only as a hash
     * @param tokenCreated whether the bootstrap API token was created (none with its secret existed)
     */
    record Done(boolean adminCreated, Optional<String> generatedPassword, boolean tokenCreated) implements Bootstrap {

        /** Requires the optional password. */
        public Done {
            Objects.requireNonNull(generatedPassword, "generatedPassword");
        }

        /** Says what was done without the generated password, so it stays out of logs. */
        @Override
        public String toString() {
            return "Done[adminCreated=" + adminCreated + ", passwordGenerated=" + generatedPassword.isPresent()
                    + ", tokenCreated=" + tokenCreated + "]";
        }
    }
}
