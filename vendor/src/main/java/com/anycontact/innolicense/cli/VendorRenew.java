package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.vendor.Issuance;
import com.anycontact.innolicense.vendor.LicenseIssuer;
import com.anycontact.innolicense.vendor.LicenseRegistry;
import com.anycontact.innolicense.vendor.RegisteredLicense;
import com.anycontact.innolicense.vendor.VendorDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code innolicense-vendor renew}: the next term's license key for the same installation. */
@Command(
        name = "renew",
        mixinStandardHelpOptions = true,
        description = {
            "Issues the next term of a license: same customer, order, installation, features, time zone, term"
                    + " and grace, starting when the license ends, with the next serial of the installation."
                    + " Writes the key to FILE (or standard output) and records it in DIR/registry.db as a"
                    + " renewal, all or nothing.",
            "",
            "A license that was renewed before is refused unless --reissue is given; renew the newest license"
                    + " to extend further."
        })
final class VendorRenew implements Callable<Integer> {

    private final CliIo io;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--dir",
            required = true,
            paramLabel = "DIR",
            description = "The vendor directory made by innolicense-vendor init.")
    Path dir;

    @Option(
            names = "--license",
            required = true,
            paramLabel = "ID",
            description = "The license to renew, as innolicense-vendor list shows it.")
    String licenseId;

    @Option(
            names = "--seats",
            paramLabel = "N",
            description = "The seats of the renewal, 1 to 100000. Default: as before.")
    Integer seats;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Where to write the license key; replaced atomically. Default: standard output.")
    Path out;

    @Option(names = "--reissue", description = "Renew the license again though it was renewed before.")
    boolean reissue;

    VendorRenew(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        if (seats != null && (seats < 1 || seats > License.MAX_SEATS)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '--seats': must be a whole number from 1 to " + License.MAX_SEATS
                            + ", was " + seats);
        }
        VendorDirectory directory = VendorSession.directory(dir);
        try (LicenseRegistry registry = directory.openRegistry()) {
            Optional<RegisteredLicense> previous = registry.find(licenseId);
            if (previous.isEmpty()) {
                return unknown(registry);
            }
            if (!reissue) {
                Optional<RegisteredLicense> renewal = registry.renewalOf(licenseId);
                if (renewal.isPresent()) {
                    return alreadyRenewed(renewal.get());
                }
            }
            LicenseIssuer issuer = VendorSession.issuer(directory, registry, io.env());
            OptionalInt newSeats = seats == null ? OptionalInt.empty() : OptionalInt.of(seats);
            Issuance issuance = issuer.renew(licenseId, newSeats, reissue, Optional.ofNullable(out));
            return switch (issuance) {
                case Issuance.Issued issued -> {
                    License license = issued.issued().license();
                    VendorSession.report(
                            io,
                            "Renewed license " + licenseId + " as " + license.licenseId() + " (serial "
                                    + license.serial() + ") for "
                                    + license.customer().name() + " ("
                                    + license.customer().id() + "), order " + license.orderId() + ".",
                            issued.issued(),
                            Optional.ofNullable(out),
                            registry.file());
                    yield ExitCode.OK;
                }
                case Issuance.UnknownLicense unknown -> unknown(registry);
                case Issuance.AlreadyRenewed renewed -> alreadyRenewed(renewed.renewal());
                case Issuance.AlreadyIssued already -> throw new IllegalStateException("renew never issues orders");
            };
        } catch (IOException e) {
            throw CommandFailure.error(
                    "cannot write the license key " + out + ": " + CliFiles.reason(e) + "; nothing was renewed");
        }
    }

    private int unknown(LicenseRegistry registry) {
        io.err()
                .println("error: there is no license " + licenseId + " in " + registry.file()
                        + "; 'innolicense-vendor list --dir " + dir + "' shows the licenses issued");
        return ExitCode.REFUSED;
    }

    private int alreadyRenewed(RegisteredLicense renewal) {
        License license = renewal.license();
        io.err()
                .println("error: license " + licenseId + " was already renewed as " + license.licenseId()
                        + " (serial " + license.serial() + ", from " + license.startDate() + " to " + license.endDate()
                        + ") on " + license.issuedAt() + "; renew " + license.licenseId()
                        + " for the term after it, or use --reissue to renew " + licenseId + " again");
        return ExitCode.REFUSED;
    }
}
