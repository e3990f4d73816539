package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.KeyVerification;
import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.LicenseLifecycle;
import com.anycontact.innolicense.license.LicenseStatus;
import com.anycontact.innolicense.license.LicenseVerifier;
import com.anycontact.innolicense.license.LicenseWarning;
import com.anycontact.innolicense.license.TrustedKeys;
import com.anycontact.innolicense.license.VendorPublicKey;
import com.anycontact.innolicense.server.BuiltInTrust;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code innolicense license verify}: checks a license key and shows its status at an instant. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Verifies a license key offline against the vendor public keys given (default: the vendor's"
                    + " production keys built into this distribution), then evaluates the license"
                    + " lifecycle at --at (default: now), as if this key were the only one applied, and prints"
                    + " the state, capacity, end and grace end in the license's time zone, and warnings.",
            "",
            "Exit code 0 when the key is genuine, whatever its state; 1 with the reason code (MALFORMED,"
                    + " UNSUPPORTED_VERSION, TOO_LARGE, UNKNOWN_KEY_ID, BAD_SIGNATURE, WRONG_INSTALLATION) when"
                    + " it is rejected."
        })
final class LicenseVerify implements Callable<Integer> {

    private static final int MAX_PUBLIC_KEY_BYTES = 64 * 1024;

    private final CliIo io;

    @Option(
            names = "--public-key",
            paramLabel = "PEM",
            description = "A vendor public key file to trust instead of the built-in production keys, as"
                    + " innolicense-vendor init wrote it; repeat for several keys.")
    List<String> publicKeys = new ArrayList<>();

    @Parameters(paramLabel = "FILE|-", description = "The license key file; - reads standard input.")
    String source;

    @Option(
            names = "--installation",
            paramLabel = "ID",
            description = "The installation the key must be bound to, e.g. IACD-7K3M-Q9XW-2D4F-HT6B.")
    InstallationId installation;

    @Option(names = "--at", paramLabel = "INSTANT", description = "When to evaluate the license: " + Moment.FORMS + ".")
    Moment at;

    @Option(names = "--json", description = "Print a JSON object instead of text.")
    boolean json;

    LicenseVerify(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        LicenseVerifier verifier = new LicenseVerifier(trustedKeys());
        String keyText = KeyInput.read(source, io.env());
        KeyVerification verification =
                installation == null ? verifier.verify(keyText) : verifier.verify(keyText, installation);
        return switch (verification) {
            case KeyVerification.Genuine genuine -> genuine(genuine.license());
            case KeyVerification.Rejected rejected -> rejected(rejected);
        };
    }

    private TrustedKeys trustedKeys() {
        if (publicKeys.isEmpty()) {
            return TrustedKeys.of(BuiltInTrust.production());
        }
        List<VendorPublicKey> keys = new ArrayList<>();
        for (String file : publicKeys) {
            String pem = CliFiles.read(file, io.env(), "public key file", MAX_PUBLIC_KEY_BYTES);
            try {
                keys.add(VendorPublicKey.fromPem(pem));
            } catch (IllegalArgumentException e) {
                throw CommandFailure.error(
                        "the public key file " + file + " is not a vendor public key: " + e.getMessage());
            }
        }
        try {
            return TrustedKeys.of(keys);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.error("the public key files do not fit together: " + e.getMessage());
        }
    }

    private int genuine(License license) {
        Instant instant = at == null ? io.env().clock().instant() : at.in(license.timeZone());
        LicenseStatus status = LicenseLifecycle.evaluate(List.of(license), instant);
        if (json) {
            ObjectNode node =
                    LicenseView.object().put("genuine", true).put("installationChecked", installation != null);
            node.set("license", LicenseView.json(license));
            ObjectNode state = node.putObject("status")
                    .put("evaluatedAt", status.evaluatedAt().toString())
                    .put("state", status.state().name())
                    .put("capacity", status.capacity());
            ArrayNode features = state.putArray("features");
            status.features().forEach(features::add);
            state.put("end", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(license.endZoned()))
                    .put("graceEnd", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(license.graceEndZoned()))
                    .put("timeZone", license.timeZone().getId())
                    .put("daysRemaining", status.daysRemaining());
            ArrayNode warnings = state.putArray("warnings");
            for (LicenseWarning warning : status.warnings()) {
                warnings.addObject().put("code", warning.code().name()).put("message", warning.message());
            }
            io.out().println(LicenseView.text(node));
            return ExitCode.OK;
        }
        io.out()
                .println("GENUINE: signed by the trusted vendor key " + license.keyId() + "; "
                        + (installation == null
                                ? "installation not checked (give --installation ID to check it)."
                                : "bound to installation " + installation + "."));
        LicenseView.fields(license).print(io.out());
        io.out()
                .println("Status at " + LicenseView.zoned(instant.atZone(license.timeZone()))
                        + ", with this key as the only one applied:");
        Table lines = Table.fields()
                .row("state", status.state().name())
                .row("capacity", status.capacity() + " concurrent users")
                .row("features", String.join(", ", status.features()));
        LicenseView.schedule(lines, license);
        if (status.warnings().isEmpty()) {
            lines.row("warnings", "none");
        }
        for (LicenseWarning warning : status.warnings()) {
            lines.row("warning", warning.code() + ": " + warning.message());
        }
        lines.print(io.out());
        return ExitCode.OK;
    }

    private int rejected(KeyVerification.Rejected rejected) {
        if (json) {
            io.out()
                    .println(LicenseView.text(LicenseView.object()
                            .put("genuine", false)
                            .put("reason", rejected.reason().name())
                            .put("description", rejected.reason().describe())
                            .put("message", rejected.message())));
        } else {
            io.out().println("REJECTED: " + rejected.reason());
            io.out().println("  " + rejected.message());
            io.out().println("  " + rejected.reason().describe());
        }
        return ExitCode.REFUSED;
    }
}
