package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.vendor.RegistryException;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code innolicense} command line: one launcher for the vendor tool, license tools and the server. */
@Command(
        name = "innolicense",
        mixinStandardHelpOptions = true,
        version = "innolicense 0.1.0",
        description = "innoACD Licensing: concurrent-user licenses for anyContact innoACD.")
public final class Innolicense {

    private Innolicense() {}

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
        CommandLine commandLine = commandLine(new CliIo(out, err, env));
        commandLine.setOut(writer(out));
        commandLine.setErr(writer(err));
        return commandLine.execute(args);
    }

    /** Entry point of the launcher {@code bin/innolicense}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static CommandLine commandLine(CliIo io) {
        CommandLine commandLine = new CommandLine(new Innolicense())
                .addSubcommand(new CommandLine(new VendorCommand())
                        .addSubcommand(new VendorInit(io))
                        .addSubcommand(new VendorIssue(io))
                        .addSubcommand(new VendorList(io))
                        .addSubcommand(new VendorRenew(io)))
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
                        .addSubcommand(new AdminAudit(io))
                        .addSubcommand(new AdminUnlock(io)));
        commandLine.registerConverter(InstallationId.class, Innolicense::installationId);
        commandLine.registerConverter(Moment.class, Moment::parse);
        commandLine.setParameterExceptionHandler(Innolicense::usageError);
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> failure(exception, io));
        exitCodeHelp(commandLine);
        return commandLine;
    }

    private static InstallationId installationId(String text) {
        return InstallationId.parse(text)
                .orElseThrow(
                        () -> new TypeConversionException("'" + text + "' is not " + InstallationId.expectedForm()));
    }

    private static int usageError(ParameterException exception, String[] args) {
        CommandLine failed = exception.getCommandLine();
        PrintWriter err = failed.getErr();
        err.println("error: " + exception.getMessage());
        UnmatchedArgumentException.printSuggestions(exception, err);
        if (failed.getSubcommands().isEmpty()) {
            err.print(failed.getHelp().fullSynopsis());
        } else {
            failed.usage(err);
        }
        err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCode.USAGE;
    }

    private static int failure(Exception exception, CliIo io) {
        if (exception instanceof CommandFailure failure) {
            io.err().println("error: " + failure.getMessage());
            return failure.exitCode();
        }
        if (exception instanceof RegistryException broken) {
            io.err().println("error: " + broken.getMessage());
            return ExitCode.ERROR;
        }
        io.err().println("error: internal error, please report it with the trace below: " + exception);
        exception.printStackTrace(io.err());
        return ExitCode.ERROR;
    }

    private static void exitCodeHelp(CommandLine commandLine) {
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n");
        commandLine.getCommandSpec().usageMessage().exitCodeList(ExitCode.HELP);
        commandLine.getSubcommands().values().forEach(Innolicense::exitCodeHelp);
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(stream, true, stream.charset());
    }
}
