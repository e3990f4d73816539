package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.vendor.LicenseRegistry;
import com.anycontact.innolicense.vendor.RegisteredLicense;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code innolicense-vendor list}: the registry of issued licenses. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "Lists every license issued from DIR, oldest first, as a table or as a JSON array"
                + " (which also holds each license key's text).")
final class VendorList implements Callable<Integer> {

    private final CliIo io;

    @Option(
            names = "--dir",
            required = true,
            paramLabel = "DIR",
            description = "The vendor directory made by innolicense-vendor init.")
    Path dir;

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    boolean json;

    VendorList(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        List<RegisteredLicense> licenses;
        try (LicenseRegistry registry = VendorSession.registry(dir)) {
            licenses = registry.list();
        }
        if (json) {
            ArrayNode array = LicenseView.array();
            licenses.forEach(entry -> array.add(json(entry)));
            io.out().println(LicenseView.text(array));
            return ExitCode.OK;
        }
        if (licenses.isEmpty()) {
            io.out().println("No licenses issued yet.");
            return ExitCode.OK;
        }
        Table table = Table.withHeader(
                "LICENSE",
                "SERIAL",
                "ORDER",
                "CUSTOMER",
                "INSTALLATION",
                "FEATURES",
                "SEATS",
                "START",
                "END",
                "ZONE",
                "ISSUED",
                "RENEWS");
        for (RegisteredLicense entry : licenses) {
            License license = entry.license();
            table.row(
                    license.licenseId(),
                    Long.toString(license.serial()),
                    license.orderId(),
                    license.customer().name() + " (" + license.customer().id() + ")",
                    license.installationId().value(),
                    String.join(",", license.features()),
                    Integer.toString(license.seats()),
                    license.startDate().toString(),
                    license.endDate().toString(),
                    license.timeZone().getId(),
                    license.issuedAt().toString(),
                    entry.renewalOf().orElse("-"));
        }
        table.print(io.out());
        return ExitCode.OK;
    }

    /** A registry entry as a JSON object: the license, what it renews, and its key text. */
    private static ObjectNode json(RegisteredLicense entry) {
        ObjectNode node = LicenseView.json(entry.license());
        node.put("renewalOf", entry.renewalOf().orElse(null));
        return node.put("keyText", entry.keyText());
    }
}
