package com.anycontact.innolicense.cli;

import java.io.PrintStream;

/**
 * Where a command writes and what it reads besides its options: handed to every command when the
 * command line is built.
 *
 * @param out standard output: results, such as a license key or a table
 * @param err standard error: messages for people, such as summaries and errors
 * @param env environment variables, standard input, passphrase prompt and clock
 */
record CliIo(PrintStream out, PrintStream err, CliEnvironment env) {}
