package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.license.InstallationId;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What the customer's {@code innolicense} and the vendor's {@code innolicense-vendor} command lines share: the
 * converters, a usage error as exit code 2 with the synopsis, a failure as "error: …" with its exit code (a stack
 * trace only for a bug), and the exit codes in every command's help.
 */
final class CommandLines {

    private CommandLines() {}

    /**
     * Sets the command line up to run with the given streams.
     *
     * @param plainFailures exceptions that are broken infrastructure the user can fix (e.g. a broken registry):
     *     shown as "error: message" with {@link ExitCode#ERROR}, without a trace
     */
    static CommandLine configure(CommandLine commandLine, CliIo io, Set<Class<? extends Exception>> plainFailures) {
        commandLine.registerConverter(InstallationId.class, CommandLines::installationId);
        commandLine.setParameterExceptionHandler(CommandLines::usageError);
        commandLine.setExecutionExceptionHandler(
                (exception, failed, parseResult) -> failure(exception, io, plainFailures));
        exitCodeHelp(commandLine);
        // picocli's help and usage messages are the program's own text (with ANSI styles on a terminal) and the
        // caller's own arguments: written unescaped
        commandLine.setOut(writer(TerminalOutput.unescaped(io.out())));
        commandLine.setErr(writer(TerminalOutput.unescaped(io.err())));
        return commandLine;
    }

    /** The usage error handler, for a command line that adds its own hints before delegating to it. */
    static IParameterExceptionHandler usageErrors() {
        return CommandLines::usageError;
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

    private static int failure(Exception exception, CliIo io, Set<Class<? extends Exception>> plainFailures) {
        if (exception instanceof CommandFailure failure) {
            io.err().println("error: " + failure.getMessage());
            return failure.exitCode();
        }
        if (plainFailures.stream().anyMatch(type -> type.isInstance(exception))) {
            io.err().println("error: " + exception.getMessage());
            return ExitCode.ERROR;
        }
        io.err().println("error: internal error, please report it with the trace below: " + exception);
        exception.printStackTrace(io.err());
        return ExitCode.ERROR;
    }

    private static void exitCodeHelp(CommandLine commandLine) {
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n");
        commandLine.getCommandSpec().usageMessage().exitCodeList(ExitCode.HELP);
        commandLine.getSubcommands().values().forEach(CommandLines::exitCodeHelp);
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(stream, true, stream.charset());
    }
}
