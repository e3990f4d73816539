package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.license.KeyDecoding;
import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.LicenseKeyFormat;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code innolicense license inspect}: decodes a license key without checking its signature. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Decodes a license key and shows every field, with the start, end and grace end it implies in the"
                    + " license's time zone. The signature is NOT checked: anyone can write a key that decodes."
                    + " Use license verify to know whether the key is genuine."
        })
final class LicenseInspect implements Callable<Integer> {

    static final String UNVERIFIED = "UNVERIFIED — signature not checked";

    private final CliIo io;

    @Parameters(paramLabel = "FILE|-", description = "The license key file; - reads standard input.")
    String source;

    @Option(names = "--json", description = "Print a JSON object instead of text.")
    boolean json;

    LicenseInspect(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        String keyText = KeyInput.read(source, io.env());
        switch (LicenseKeyFormat.decode(keyText)) {
            case KeyDecoding.Decoded decoded -> {
                License license = decoded.license();
                if (json) {
                    ObjectNode node = LicenseView.object()
                            .put("verified", false)
                            .put("note", UNVERIFIED)
                            .put("formatVersion", decoded.formatVersion());
                    node.set("license", LicenseView.json(license));
                    io.out().println(LicenseView.text(node));
                } else {
                    io.out().println(UNVERIFIED + ". Use 'innolicense license verify' to check it.");
                    Table.fields()
                            .row("format version", Integer.toString(decoded.formatVersion()))
                            .print(io.out());
                    LicenseView.schedule(LicenseView.fields(license), license).print(io.out());
                }
                return ExitCode.OK;
            }
            case KeyDecoding.Undecodable undecodable -> {
                if (json) {
                    io.out()
                            .println(LicenseView.text(LicenseView.object()
                                    .put("verified", false)
                                    .put("reason", undecodable.reason().name())
                                    .put("description", undecodable.reason().describe())
                                    .put("message", undecodable.message())));
                } else {
                    io.out().println("UNDECODABLE: " + undecodable.reason());
                    io.out().println("  " + undecodable.message());
                    io.out().println("  " + undecodable.reason().describe());
                }
                return ExitCode.REFUSED;
            }
        }
    }
}
