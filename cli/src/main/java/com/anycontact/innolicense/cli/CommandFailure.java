package com.anycontact.innolicense.cli;

/**
 * Ends a command with one line for the user on standard error and an exit code; never shown as a stack
 * trace.
 */
final class CommandFailure extends RuntimeException {

    private final int exitCode;

    CommandFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static CommandFailure refused(String message) {
        return new CommandFailure(ExitCode.REFUSED, message);
    }

    static CommandFailure error(String message) {
        return new CommandFailure(ExitCode.ERROR, message);
    }

    int exitCode() {
        return exitCode;
    }
}
