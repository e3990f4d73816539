package com.anycontact.innolicense.cli;

import java.util.Arrays;
import java.util.Optional;

/**
 * Obtains the password of a user being created or given a new password: from {@value #VARIABLE}, or by asking
 * twice on the terminal without echo, as {@link Passphrases} does for the vendor key. The server checks the
 * password rule; the password is never printed.
 */
final class UserPasswords {

    /** The environment variable that holds the password for non-interactive use. */
    static final String VARIABLE = "INNOLICENSE_NEW_USER_PASSWORD";

    private UserPasswords() {}

    /** The password for the user, asked twice when it comes from the terminal. */
    static char[] forUser(CliEnvironment env, String username) {
        Optional<String> variable = env.variable(VARIABLE);
        if (variable.isPresent()) {
            if (variable.get().isEmpty()) {
                throw CommandFailure.error(VARIABLE + " is set but empty");
            }
            return variable.get().toCharArray();
        }
        char[] first = ask(env, "Password for user " + username + " (at least 12 characters): ");
        char[] second = ask(env, "Repeat the password: ");
        boolean same = Arrays.equals(first, second);
        Arrays.fill(second, '\0');
        if (!same) {
            Arrays.fill(first, '\0');
            throw CommandFailure.refused("the two passwords differ; nothing was changed");
        }
        return first;
    }

    private static char[] ask(CliEnvironment env, String prompt) {
        return env.passphrasePrompt()
                .ask(prompt)
                .orElseThrow(() -> CommandFailure.error(
                        "no password: set " + VARIABLE + " or run the command in a terminal to be asked for it"));
    }
}
