package com.anycontact.innolicense.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code innolicense} command line: one launcher for the vendor tool, license tools and the server. */
@Command(
        name = "innolicense",
        mixinStandardHelpOptions = true,
        version = "innolicense 0.1.0",
        description = "innoACD Licensing: concurrent-user licenses for anyContact innoACD.")
public final class Innolicense {

    /** Runs the command line; only {@link #main} exits the JVM. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new Innolicense());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    /** Entry point of the launcher {@code bin/innolicense}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }
}
