package com.anycontact.innolicense.cli;

import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the command line takes from the process besides its arguments and output streams, so that tests
 * can supply their own.
 *
 * @param variables the environment variables, e.g. {@code INNOLICENSE_VENDOR_PASSPHRASE}
 * @param stdin standard input, read for the file name {@code -}
 * @param passphrasePrompt asks a person for a passphrase without echoing it
 * @param clock the time, e.g. for the issue instant of a license and the default of {@code --at}
 */
public record CliEnvironment(
        Map<String, String> variables, InputStream stdin, PassphrasePrompt passphrasePrompt, Clock clock) {

    /** Copies the variables. */
    public CliEnvironment {
        variables = Map.copyOf(variables);
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(passphrasePrompt, "passphrasePrompt");
        Objects.requireNonNull(clock, "clock");
    }

    /** The real process environment, standard input, console and system clock. */
    public static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), System.in, PassphrasePrompt.console(), Clock.systemUTC());
    }

    /** The value of an environment variable, if it is set. */
    public Optional<String> variable(String name) {
        return Optional.ofNullable(variables.get(name));
    }
}
