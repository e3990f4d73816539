package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.vendor.RegistryException;
import java.io.PrintStream;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The vendor's {@code innolicense-vendor} command line, the order team's tool: the signing key, orders, issuing,
 * renewals and the registry. A distribution of its own, never shipped to customers.
 */
@Command(
        name = "innolicense-vendor",
        mixinStandardHelpOptions = true,
        version = "innolicense-vendor 0.1.0",
        description = {
            "The order team's tool: create the vendor signing key, verify orders and issue license keys,"
                    + " renew them, and list the registry of issued licenses.",
            "See docs/vendor-tool.md. Not part of the customer distribution (innolicense)."
        })
public final class InnolicenseVendor {

    private InnolicenseVendor() {}

    /** Runs the command line with the real environment; only {@link #main} exits the JVM. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, CliEnvironment.system());
    }

    /**
     * Runs the command line with the given environment, standard input, passphrase prompt and clock.
     *
     * @return the exit code: 0 done, 1 refused, 2 usage error, 3 could not run
     */
    public static int run(String[] args, PrintStream out, PrintStream err, CliEnvironment env) {
        return commandLine(new CliIo(out, err, env)).execute(args);
    }

    /** Entry point of the launcher {@code bin/innolicense-vendor}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static CommandLine commandLine(CliIo io) {
        CommandLine commandLine = new CommandLine(new InnolicenseVendor())
                .addSubcommand(new VendorInit(io))
                .addSubcommand(new VendorIssue(io))
                .addSubcommand(new VendorList(io))
                .addSubcommand(new VendorRenew(io));
        return CommandLines.configure(commandLine, io, Set.of(RegistryException.class));
    }
}
