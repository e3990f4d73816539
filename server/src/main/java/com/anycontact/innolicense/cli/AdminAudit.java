package com.anycontact.innolicense.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code innolicense admin audit}: the audit log of a running server, newest first. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Shows the audit log, newest first: keys applied and rejected, state changes, denials, logins,"
                + " tokens and users (admin token required).")
final class AdminAudit implements Callable<Integer> {

    private final CliIo io;

    @Mixin
    AdminConnection connection = new AdminConnection();

    @Option(names = "--type", paramLabel = "TYPE", description = "Only events of this type, e.g. KEY_APPLIED.")
    String type;

    @Option(names = "--actor", paramLabel = "ACTOR", description = "Only events of this actor, e.g. admin.")
    String actor;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "100",
            description = "The most events to show, 1 to 1000 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(
            names = "--before",
            paramLabel = "ID",
            description = "Only events older than this event ID: the next page, as the last line tells.")
    Long before;

    @Option(names = "--json", description = "Print the server's JSON instead of a table.")
    boolean json;

    AdminAudit(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        List<String> query = new ArrayList<>();
        query.add("limit=" + limit);
        if (type != null) {
            query.add("type=" + AdminClient.encode(type));
        }
        if (actor != null) {
            query.add("actor=" + AdminClient.encode(actor));
        }
        if (before != null) {
            query.add("before=" + before);
        }
        AdminClient.Answer answer = connection.client(io.env()).get("/api/v1/audit?" + String.join("&", query));
        if (answer.status() != 200) {
            throw AdminClient.unexpected(answer);
        }
        if (json) {
            io.out().println(LicenseView.text(answer.json()));
            return ExitCode.OK;
        }
        Table table = Table.withHeader("ID", "AT", "ACTOR", "TYPE", "DETAIL");
        for (JsonNode event : answer.json().path("events")) {
            table.row(
                    event.path("id").asText(),
                    event.path("at").asText(),
                    event.path("actor").asText(),
                    event.path("type").asText(),
                    event.path("detail").asText());
        }
        table.print(io.out());
        JsonNode next = answer.json().path("nextBefore");
        if (next.isNumber()) {
            io.err().println("More events: add --before " + next.asLong() + " for the next page.");
        }
        return ExitCode.OK;
    }
}
