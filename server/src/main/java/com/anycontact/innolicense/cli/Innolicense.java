package com.anycontact.innolicense.cli;

import java.io.PrintStream;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The customer's {@code innolicense} command line: the license server, the admin CLI, the license tools and the
 * simulator. The vendor tool is a separate distribution ({@code innolicense-vendor}) that customers do not get.
 */
@Command(
        name = "innolicense",
        mixinStandardHelpOptions = true,
        version = "innolicense 0.1.0",
        description = "innoACD Licensing: concurrent-user licenses for anyContact innoACD.")
public final class Innolicense {

    /** What {@code innolicense vendor …} answers: the vendor tool is not in this distribution. */
    static final String NO_VENDOR_TOOL = "the vendor tool is not part of the innolicense customer distribution:"
            + " license keys are issued by the vendor's order team with the vendor distribution (innolicense-vendor,"
            + " docs/vendor-tool.md). To look into or check a key you received, use 'innolicense license inspect'"
            + " or 'innolicense license verify'.";

    private Innolicense() {}

    /** Runs the command line with the real environment; only {@link #main} exits the JVM. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, CliEnvironment.system());
    }

    /**
     * Runs the command line with the given environment, standard input, passphrase prompt and clock. What the
     * commands print is escaped for the terminal ({@link CliIo}, {@link TerminalOutput}).
     *
     * @return the exit code: 0 done, 1 refused, 2 usage error, 3 could not run
     */
    public static int run(String[] args, PrintStream out, PrintStream err, CliEnvironment env) {
        return commandLine(new CliIo(out, err, env)).execute(args);
    }

    /** Entry point of the launcher {@code bin/innolicense}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static CommandLine commandLine(CliIo io) {
        CommandLine commandLine = new CommandLine(new Innolicense())
                .addSubcommand(new CommandLine(new LicenseCommand())
                        .addSubcommand(new LicenseInspect(io))
                        .addSubcommand(new LicenseVerify(io)))
                .addSubcommand(new ServerCommand(io))
                .addSubcommand(new SimulateCommand(io))
                .addSubcommand(new CommandLine(new AdminCommand())
                        .addSubcommand(new AdminStatus(io))
                        .addSubcommand(new AdminApply(io))
                        .addSubcommand(new CommandLine(new AdminToken())
                                .addSubcommand(new AdminToken.Create(io))
                                .addSubcommand(new AdminToken.List(io))
                                .addSubcommand(new AdminToken.Revoke(io)))
                        .addSubcommand(new CommandLine(new AdminUser())
                                .addSubcommand(new AdminUser.Create(io))
                                .addSubcommand(new AdminUser.List(io))
                                .addSubcommand(new AdminUser.Delete(io))
                                .addSubcommand(new AdminUser.Password(io)))
                        .addSubcommand(new CommandLine(new AdminAudit(io)).addSubcommand(new AdminAuditVerify(io)))
                        .addSubcommand(new CommandLine(new AdminSeats())
                                .addSubcommand(new AdminSeats.Release(io))
                                .addSubcommand(new AdminSeats.Blocks(io))
                                .addSubcommand(new AdminSeats.Unblock(io)))
                        .addSubcommand(new AdminReport(io))
                        .addSubcommand(new CommandLine(new AdminAlerts())
                                .addSubcommand(new AdminAlerts.ListAlerts(io))
                                .addSubcommand(new AdminAlerts.Rules(io))
                                .addSubcommand(new AdminAlerts.Rule(io))
                                .addSubcommand(new AdminAlerts.Subscriptions(io))
                                .addSubcommand(new AdminAlerts.Subscribe(io))
                                .addSubcommand(new AdminAlerts.SubscriptionRules(io))
                                .addSubcommand(new AdminAlerts.Unsubscribe(io))
                                .addSubcommand(new AdminAlerts.Deliveries(io))
                                .addSubcommand(new AdminAlerts.Test(io))
                                .addSubcommand(new AdminAlerts.Smtp(io)))
                        .addSubcommand(new AdminRecover(io))
                        .addSubcommand(new AdminMigrate(io))
                        .addSubcommand(new AdminUnlock(io)));
        commandLine.registerConverter(Moment.class, Moment::parse);
        CommandLines.configure(commandLine, io, Set.of());
        commandLine.setParameterExceptionHandler((exception, args) -> {
            if (args.length > 0 && args[0].equals("vendor") && exception instanceof UnmatchedArgumentException) {
                exception.getCommandLine().getErr().println("error: " + NO_VENDOR_TOOL);
                exception.getCommandLine().getErr().flush();
                return ExitCode.USAGE;
            }
            return CommandLines.usageErrors().handleParseException(exception, args);
        });
        return commandLine;
    }
}
