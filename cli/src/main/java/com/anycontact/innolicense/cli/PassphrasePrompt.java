package com.anycontact.innolicense.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Optional;

/** Asks a person for a passphrase without echoing it. */
@FunctionalInterface
public interface PassphrasePrompt {

    /**
     * Shows the prompt and reads one line without echo.
     *
     * @return the passphrase, or empty when nobody can be asked (no terminal)
     */
    Optional<char[]> ask(String prompt);

    /** Asks on the terminal through {@link java.io.Console}; empty when the process has no terminal. */
    static PassphrasePrompt console() {
        return prompt -> {
            Console console = System.console();
            if (console == null || !isTerminal(console)) {
                return Optional.empty();
            }
            return Optional.ofNullable(console.readPassword("%s", prompt));
        };
    }

    /** Never asks; for non-interactive use. */
    static PassphrasePrompt none() {
        return prompt -> Optional.empty();
    }

    private static boolean isTerminal(Console console) {
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
