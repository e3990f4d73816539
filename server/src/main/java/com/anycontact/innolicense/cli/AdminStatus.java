package com.anycontact.innolicense.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code innolicense admin status}: the license status of a running server. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Shows the license status of the server: state, installation ID, capacity and seats in use,"
                + " the license in force, end and grace end, a pending renewal, the trusted vendor keys (and whether"
                + " the server runs on development trust), stored licenses ignored because they do not verify,"
                + " warnings.")
final class AdminStatus implements Callable<Integer> {

    private final CliIo io;

    @Mixin
    AdminConnection connection = new AdminConnection();

    @Option(names = "--json", description = "Print the server's JSON instead of text.")
    boolean json;

    AdminStatus(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        AdminClient.Answer answer = connection.client(io.env()).get("/api/v1/license");
        if (answer.status() != 200) {
            throw AdminClient.unexpected(answer);
        }
        if (json) {
            io.out().println(LicenseView.text(answer.json()));
        } else {
            print(answer.json(), io);
        }
        return ExitCode.OK;
    }

    /** Prints a license status as the API returns it, for people. */
    static void print(JsonNode status, CliIo io) {
        Table table = Table.fields()
                .row("state", status.path("state").asText())
                .row("installation", status.path("installationId").asText())
                .row(
                        "capacity",
                        status.path("capacity").asInt() + " concurrent users, "
                                + status.path("inUse").asInt() + " in use");
        JsonNode license = status.path("license");
        if (license.isObject()) {
            terms(table, "license", license);
            table.row("end", zoned(status.path("end").asText()))
                    .row("grace end", zoned(status.path("graceEnd").asText()))
                    .row("days left", status.path("daysRemaining").asText());
        } else {
            table.row("license", "none in force");
        }
        JsonNode pending = status.path("pending");
        if (pending.isObject()) {
            terms(table, "pending", pending);
            table.row("pending from", zoned(pending.path("start").asText()));
        }
        JsonNode trust = status.path("trust");
        if (trust.isObject()) {
            List<String> keys = new ArrayList<>();
            trust.path("keys")
                    .forEach(key -> keys.add(key.path("keyId").asText()
                            + (key.path("source").asText().equals("DEVELOPMENT") ? " (development)" : "")));
            table.row(
                    "trust",
                    trust.path("mode").asText().equals("DEVELOPMENT")
                            ? "DEVELOPMENT: keys given with --development-trust are accepted; for development or"
                                    + " evaluation only"
                            : "PRODUCTION: the vendor's built-in keys only");
            table.row("trusted keys", String.join(", ", keys));
        }
        for (JsonNode ignored : status.path("ignoredLicenses")) {
            table.row(
                    "ignored",
                    ignored.path("licenseId").asText() + " (serial "
                            + ignored.path("serial").asText() + "): "
                            + ignored.path("reason").asText() + ": "
                            + ignored.path("message").asText());
        }
        for (JsonNode warning : status.path("warnings")) {
            table.row(
                    "warning",
                    warning.path("code").asText() + ": "
                            + warning.path("message").asText());
        }
        table.print(io.out());
    }

    private static String zoned(String isoZoned) {
        try {
            return LicenseView.zoned(ZonedDateTime.parse(isoZoned));
        } catch (DateTimeParseException e) {
            return isoZoned;
        }
    }

    private static void terms(Table table, String label, JsonNode license) {
        List<String> features = new ArrayList<>();
        license.path("features").forEach(feature -> features.add(feature.asText()));
        table.row(
                label,
                license.path("licenseId").asText() + " (serial "
                        + license.path("serial").asText() + ") for "
                        + license.path("customer").path("name").asText() + " ("
                        + license.path("customer").path("id").asText() + "), order "
                        + license.path("orderId").asText() + ", "
                        + license.path("seats").asText() + " seats");
        table.row(label.equals("license") ? "features" : "  features", String.join(", ", features));
    }
}
