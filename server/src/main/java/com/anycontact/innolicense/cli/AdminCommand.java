package com.anycontact.innolicense.cli;

import picocli.CommandLine.Command;

/** {@code innolicense admin}: AC Admin on the command line, over the server's HTTP API. */
@Command(
        name = "admin",
        mixinStandardHelpOptions = true,
        description = {
            "Administers a running license server over its HTTP API: license status, applying a key, API tokens, alerts,"
                    + " users, the audit log; and moves an embedded installation into a cluster database (migrate,"
                    + " which works on the databases directly).",
            "The server is --server or INNOLICENSE_SERVER (default http://127.0.0.1:8080); the API token is"
                    + " --token or INNOLICENSE_TOKEN (an admin token; supervisor tokens may read the status).",
            "Except recover, which works offline on the data directory: a new password when the admin password"
                    + " is lost."
        })
final class AdminCommand {}
