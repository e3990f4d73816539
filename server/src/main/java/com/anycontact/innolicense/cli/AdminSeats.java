package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.server.Durations;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code innolicense admin seats}: force-release an agent's seat, and the blocks that keep it from claiming. */
@Command(
        name = "seats",
        mixinStandardHelpOptions = true,
        description = "Releases an agent's seat as an administrator, optionally refusing its claims for a while;"
                + " lists and lifts such blocks (admin token required; a supervisor token may list).")
final class AdminSeats {

    /** {@code admin seats release}. */
    @Command(
            name = "release",
            mixinStandardHelpOptions = true,
            description = {
                "Releases the agent's seat now; audited (SEAT_FORCE_RELEASED) with who, when and the reason. The"
                        + " ACD is told at the agent's next renewal (409 released-by-administrator, with the"
                        + " reason).",
                "With --block, the agent's claims are refused (409 agent-blocked) until the block ends, so that a"
                        + " hung client cannot take the seat straight back."
            })
    static final class Release implements Callable<Integer> {

        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Parameters(paramLabel = "AGENT", description = "The agent ID, e.g. agent-7.")
        String agent;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit log and the ACD.")
        String reason;

        @Option(
                names = "--block",
                paramLabel = "DURATION",
                description = "Refuse the agent's claims for this long, e.g. 5m, 2h or PT30M (at most 7d).")
        String block;

        @Option(names = "--json", description = "Print the server's JSON instead.")
        boolean json;

        Release(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            ObjectNode request = LicenseView.object();
            if (reason != null) {
                request.put("reason", reason);
            }
            if (block != null) {
                Duration duration = Durations.parse(block)
                        .filter(d -> d.toSeconds() >= 1 && d.compareTo(Duration.ofDays(7)) <= 0)
                        .orElseThrow(() -> new CommandFailure(
                                ExitCode.USAGE,
                                "--block '" + block + "' is not a duration from 1s to 7d; use e.g. 5m, 2h or PT30M"));
                request.put("blockSeconds", duration.toSeconds());
            }
            AdminClient.Answer answer = connection
                    .client(io.env())
                    .post(
                            "/api/v1/seats/" + AdminClient.encode(agent) + "/release",
                            "application/json",
                            LicenseView.text(request));
            if (answer.status() != 200) {
                throw AdminClient.unexpected(answer);
            }
            JsonNode view = answer.json();
            if (json) {
                io.out().println(LicenseView.text(view));
                return ExitCode.OK;
            }
            String blocked = view.path("blockedUntil").isTextual()
                    ? "; its claims are refused until "
                            + view.path("blockedUntil").asText()
                    : "";
            io.err()
                    .println(
                            view.path("released").asBoolean()
                                    ? "Released the seat of " + agent + blocked + "."
                                    : agent + " held no seat" + blocked + ".");
            return ExitCode.OK;
        }
    }

    /** {@code admin seats blocks}. */
    @Command(
            name = "blocks",
            mixinStandardHelpOptions = true,
            description = "Lists the agents whose claims are blocked now, and until when.")
    static final class Blocks implements Callable<Integer> {

        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Option(names = "--json", description = "Print the server's JSON instead of a table.")
        boolean json;

        Blocks(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            AdminClient.Answer answer = connection.client(io.env()).get("/api/v1/seat-blocks");
            if (answer.status() != 200) {
                throw AdminClient.unexpected(answer);
            }
            if (json) {
                io.out().println(LicenseView.text(answer.json()));
                return ExitCode.OK;
            }
            Table table = Table.withHeader("AGENT", "BLOCKED UNTIL", "RELEASED AT", "BY", "REASON");
            for (JsonNode block : answer.json().path("blocks")) {
                table.row(
                        block.path("agentId").asText(),
                        block.path("blockedUntil").asText(),
                        block.path("releasedAt").asText(),
                        block.path("releasedBy").asText(),
                        block.path("reason").asText());
            }
            table.print(io.out());
            return ExitCode.OK;
        }
    }

    /** {@code admin seats unblock}. */
    @Command(
            name = "unblock",
            mixinStandardHelpOptions = true,
            description = "Lifts the block on an agent's claims before it ends; audited (AGENT_UNBLOCKED).")
    static final class Unblock implements Callable<Integer> {

        private final CliIo io;

        @Mixin
        AdminConnection connection = new AdminConnection();

        @Parameters(paramLabel = "AGENT", description = "The agent ID.")
        String agent;

        Unblock(CliIo io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            AdminClient.Answer answer =
                    connection.client(io.env()).delete("/api/v1/seat-blocks/" + AdminClient.encode(agent));
            if (answer.status() != 204) {
                throw AdminClient.unexpected(answer);
            }
            io.err().println("Lifted the block on " + agent + ": its claims are accepted again.");
            return ExitCode.OK;
        }
    }
}
