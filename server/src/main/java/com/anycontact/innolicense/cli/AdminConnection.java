package com.anycontact.innolicense.cli;

import picocli.CommandLine.Option;

/** The options every {@code admin} command shares: which server, with which token. */
final class AdminConnection {

    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "The license server (default: INNOLICENSE_SERVER, else http://127.0.0.1:8080).")
    String server;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description =
                    "An API token (default: INNOLICENSE_TOKEN). Prefer the variable: options show in process lists.")
    String token;

    AdminClient client(CliEnvironment env) {
        return AdminClient.of(server, token, env);
    }
}
