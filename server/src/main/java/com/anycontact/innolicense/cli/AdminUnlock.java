package com.anycontact.innolicense.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code innolicense admin unlock}: lifts the login throttle's lockouts of a username or an address. */
@Command(
        name = "unlock",
        mixinStandardHelpOptions = true,
        description = {
            "Lifts the login throttle's lockouts of a username (from every address) or of an IP address (an IPv6"
                    + " address with its whole /64) at once; audited as LOGIN_UNLOCKED (admin token required).",
            "Needed rarely: a user is never locked out by failures from other addresses, only their own address"
                    + " after their own failures."
        })
final class AdminUnlock implements Callable<Integer> {

    private final CliIo io;

    @Mixin
    AdminConnection connection = new AdminConnection();

    @Parameters(paramLabel = "USER|ADDRESS", description = "A username, or an IPv4 or IPv6 address.")
    String subject;

    AdminUnlock(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        AdminClient.Answer answer =
                connection.client(io.env()).delete("/api/v1/login-throttle/" + AdminClient.encode(subject));
        if (answer.status() != 200) {
            throw AdminClient.unexpected(answer);
        }
        int cleared = answer.json().path("cleared").asInt();
        io.err()
                .println(
                        cleared == 0
                                ? "Nothing was throttled for " + subject + "."
                                : "Unlocked " + subject + ": cleared " + cleared + " throttle counter"
                                        + (cleared == 1 ? "" : "s") + ".");
        return ExitCode.OK;
    }
}
