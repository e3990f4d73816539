package com.anycontact.innolicense.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code innolicense admin apply}: applies a license key to a running server. */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = {
            "Applies a license key to the server: it is verified there and takes effect at once (a future-dated"
                    + " key is kept as pending and takes over at its start). Prints the new status.",
            "",
            "Exit code 1 with the reason code (MALFORMED, UNSUPPORTED_VERSION, TOO_LARGE, UNKNOWN_KEY_ID,"
                    + " BAD_SIGNATURE, WRONG_INSTALLATION, SUPERSEDED, EXPIRED) when the server rejects the key."
        })
final class AdminApply implements Callable<Integer> {

    private final CliIo io;

    @Mixin
    AdminConnection connection = new AdminConnection();

    @Parameters(paramLabel = "FILE|-", description = "The license key file; - reads standard input.")
    String source;

    AdminApply(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        AdminClient client = connection.client(io.env());
        String keyText = KeyInput.read(source, io.env());
        AdminClient.Answer answer = client.post("/api/v1/license", "text/plain; charset=utf-8", keyText);
        if (answer.status() == 422) {
            io.out().println("REJECTED: " + answer.text("reason").orElse("(no reason given)"));
            io.out().println("  " + answer.detail());
            answer.text("description").ifPresent(description -> io.out().println("  " + description));
            return ExitCode.REFUSED;
        }
        if (answer.status() != 200) {
            throw AdminClient.unexpected(answer);
        }
        io.out().println("APPLIED: the server's license status is now");
        AdminStatus.print(answer.json(), io);
        return ExitCode.OK;
    }
}
