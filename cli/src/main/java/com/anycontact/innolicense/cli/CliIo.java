package com.anycontact.innolicense.cli;

import java.io.PrintStream;

/**
 * Where a command writes and what it reads besides its options: handed to every command when the
 * command line is built. Both streams are escaped for the terminal ({@link TerminalOutput}): commands print what
 * a server or a key file said, and none of it may act on the terminal.
 *
 * @param out standard output: results, such as a license key or a table
 * @param err standard error: messages for people, such as summaries and errors
 * @param env environment variables, standard input, passphrase prompt and clock
 */
record CliIo(PrintStream out, PrintStream err, CliEnvironment env) {

    /** Escapes both streams for the terminal. */
    CliIo {
        out = TerminalOutput.of(out);
        err = TerminalOutput.of(err);
    }
}
