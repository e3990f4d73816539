package com.anycontact.innolicense.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Obtains the passphrase of the vendor signing key: from {@value #VARIABLE}, or by asking on the terminal
 * without echo. A passphrase is never printed, logged or kept longer than needed.
 */
final class Passphrases {

    /** The environment variable that holds the passphrase for non-interactive use. */
    static final String VARIABLE = "INNOLICENSE_VENDOR_PASSPHRASE";

    /** The shortest passphrase accepted for a new key. */
    static final int MIN_LENGTH = 8;

    private Passphrases() {}

    /** The passphrase for a new signing key, asked twice when it comes from the terminal. */
    static char[] forNewKey(CliEnvironment env) {
        Optional<String> variable = env.variable(VARIABLE);
        if (variable.isPresent()) {
            char[] passphrase = variable.get().toCharArray();
            requireStrong(passphrase, "the passphrase in " + VARIABLE);
            return passphrase;
        }
        char[] first = ask(env, "Passphrase for the new signing key (at least " + MIN_LENGTH + " characters): ");
        requireStrong(first, "the passphrase");
        char[] second = ask(env, "Repeat the passphrase: ");
        boolean same = Arrays.equals(first, second);
        Arrays.fill(second, '\0');
        if (!same) {
            Arrays.fill(first, '\0');
            throw CommandFailure.refused(
                    "the two passphrases differ; nothing was created, run innolicense-vendor init again");
        }
        return first;
    }

    /** The passphrase of an existing signing key. */
    static char[] forExistingKey(CliEnvironment env, Path keyFile) {
        Optional<String> variable = env.variable(VARIABLE);
        char[] passphrase = variable.isPresent()
                ? variable.get().toCharArray()
                : ask(env, "Passphrase of the signing key " + keyFile + ": ");
        if (passphrase.length == 0) {
            throw CommandFailure.error((variable.isPresent() ? VARIABLE + " is set but empty" : "no passphrase given")
                    + "; the signing key " + keyFile + " needs its passphrase");
        }
        return passphrase;
    }

    /** Overwrites the passphrase in memory. */
    static void forget(char[] passphrase) {
        if (passphrase != null) {
            Arrays.fill(passphrase, '\0');
        }
    }

    private static char[] ask(CliEnvironment env, String prompt) {
        return env.passphrasePrompt()
                .ask(prompt)
                .orElseThrow(() -> CommandFailure.error(
                        "no passphrase: set " + VARIABLE + " or run the command in a terminal to be asked for it"));
    }

    private static void requireStrong(char[] passphrase, String what) {
        if (passphrase.length == 0) {
            throw CommandFailure.refused(
                    what + " is empty; a signing key needs a passphrase of at least " + MIN_LENGTH + " characters");
        }
        if (passphrase.length < MIN_LENGTH) {
            Arrays.fill(passphrase, '\0');
            throw CommandFailure.refused(
                    what + " is too short; a signing key needs a passphrase of at least " + MIN_LENGTH + " characters");
        }
    }
}
