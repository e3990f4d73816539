package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.server.Durations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code innolicense admin token}: API tokens for ACD nodes and automation. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Creates, lists and revokes API tokens (admin token required).")
final class AdminToken {

    /** The roles a token may have, as the API names them. */
    enum TokenRole {
        ACD,
        SUPERVISOR,
        ADMIN
    }

    /** {@code admin token create}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Creates an API token and prints its secret alone on standard output, once: the server"
                    + " keeps only a digest. ACD nodes use role ACD.")
    static final class Create implements Callable<Integer> {

        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "What the token is for.")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "ACD, SUPERVISOR or ADMIN.")
        TokenRole role;

        @Option(
                names = "--expires",
                paramLabel = "DURATION",
                description = "Let the token expire after this long, e.g. 90d, 12h or PT720H (default: never).")
        String expires;

        @Option(
                names = "--node",
                paramLabel = "NODE",
                description = "Bind an ACD token to this ACD node: its claims carry the node, and a claim naming"
                        + " another node is refused (403 node-mismatch).")
        String node;

        @Option(names = "--json", description = "Print the server's JSON, secret included, instead.")
        boolean json;

        Create(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            com.fasterxml.jackson.databind.node.ObjectNode request =
                    LicenseView.object().put("name", name).put("role", role.name());
            if (expires != null) {
                java.time.Duration lifetime = Durations.parse(expires)
                        .filter(d -> !d.isNegative() && !d.isZero())
                        .orElseThrow(() -> new CommandFailure(
                                ExitCode.USAGE,
                                "--expires '" + expires + "' is not a positive duration; use e.g. 90d, 12h or PT720H"));
                request.put(
                        "expiresAt", io.env().clock().instant().plus(lifetime).toString());
            }
            if (node != null) {
                request.put("node", node);
            }
            String body = LicenseView.text(request);
            AdminClient.Answer answer = connection.client(io.env()).post("/api/v1/tokens", "application/json", body);
            if (answer.status() != 201) {
                throw AdminClient.unexpected(answer);
            }
            if (json) {
                io.out().println(LicenseView.text(answer.json()));
            } else {
                io.out().println(answer.json().path("token").asText());
                io.err()
                        .println("Created API token " + answer.json().path("id").asText() + " '" + name + "' with role "
                                + role
                                + (answer.json().path("expiresAt").isTextual()
                                        ? ", expiring "
                                                + answer.json()
                                                        .path("expiresAt")
                                                        .asText()
                                        : "")
                                + (answer.json().path("node").isTextual()
                                        ? ", bound to node "
                                                + answer.json().path("node").asText()
                                        : "")
                                + "; its secret (above) is shown only this once.");
            }
            return ExitCode.OK;
        }
    }

    /** {@code admin token list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists the API tokens, without secrets: revoked ones marked as such, with when. Names need"
                    + " not be unique: the ID (what revoke takes), creator and creation time tell tokens apart.")
    static final class List implements Callable<Integer> {

        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Option(names = "--json", description = "Print the server's JSON instead of a table.")
        boolean json;

        List(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            return AdminListing.printColumns(
                    io,
                    connection.client(io.env()).get("/api/v1/tokens"),
                    json,
                    "tokens",
                    java.util.List.of(
                            "ID", "NAME", "ROLE", "CREATED", "CREATED BY", "EXPIRES", "NODE", "CLAIMS", "STATUS"),
                    java.util.List.of(
                            AdminListing.field("id"),
                            AdminListing.field("name"),
                            AdminListing.field("role"),
                            AdminListing.field("createdAt"),
                            AdminListing.field("createdBy"),
                            token -> token.path("expiresAt").isTextual()
                                    ? token.path("expiresAt").asText()
                                    : "-",
                            token -> token.path("node").isTextual()
                                    ? token.path("node").asText()
                                    : "-",
                            AdminListing.field("claims"),
                            token -> token.path("revokedAt").isTextual()
                                    ? "revoked " + token.path("revokedAt").asText()
                                    : "active"));
        }
    }

    /** {@code admin token revoke}. */
    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revokes an API token at once; exit code 1 when no token has that ID.")
    static final class Revoke implements Callable<Integer> {

        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Parameters(paramLabel = "ID", description = "The token's ID, as token list shows it.")
        String id;

        Revoke(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            AdminClient.Answer answer = connection.client(io.env()).delete("/api/v1/tokens/" + AdminClient.encode(id));
            if (answer.status() == 404) {
                throw CommandFailure.refused("no API token has the ID '" + id + "'");
            }
            if (answer.status() != 204) {
                throw AdminClient.unexpected(answer);
            }
            io.err().println("Revoked API token " + id + ".");
            return ExitCode.OK;
        }
    }
}
