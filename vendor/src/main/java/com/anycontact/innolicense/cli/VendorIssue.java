package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.vendor.Issuance;
import com.anycontact.innolicense.vendor.LicenseIssuer;
import com.anycontact.innolicense.vendor.LicenseRegistry;
import com.anycontact.innolicense.vendor.OrderProblem;
import com.anycontact.innolicense.vendor.OrderVerification;
import com.anycontact.innolicense.vendor.OrderVerifier;
import com.anycontact.innolicense.vendor.RegisteredLicense;
import com.anycontact.innolicense.vendor.VendorDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code innolicense-vendor issue}: verifies an order, then signs, writes and records its license key. */
@Command(
        name = "issue",
        mixinStandardHelpOptions = true,
        description = {
            "Verifies the order and reports every problem in it at once. When the order is complete, signs its"
                    + " license with the next serial of the installation, writes the license key to FILE (or"
                    + " standard output) and records the license in DIR/registry.db, all or nothing.",
            "",
            "An order that was issued before is refused unless --reissue is given. The order fields are listed in"
                    + " docs/vendor-tool.md; an example is docs/examples/order.json."
        })
final class VendorIssue implements Callable<Integer> {

    private static final int MAX_ORDER_BYTES = 1024 * 1024;

    private final CliIo io;

    @Option(
            names = "--dir",
            required = true,
            paramLabel = "DIR",
            description = "The vendor directory made by innolicense-vendor init.")
    Path dir;

    @Option(
            names = "--order",
            required = true,
            paramLabel = "ORDER.json",
            description = "The order, as JSON; - reads standard input.")
    String order;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Where to write the license key; replaced atomically. Default: standard output.")
    Path out;

    @Option(
            names = "--reissue",
            description = "Issue the order again, with a higher serial, though it was issued before.")
    boolean reissue;

    VendorIssue(CliIo io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        String json = CliFiles.read(order, io.env(), "order file", MAX_ORDER_BYTES);
        OrderVerification verification = OrderVerifier.verify(json);
        if (verification instanceof OrderVerification.Refused refused) {
            List<OrderProblem> problems = refused.problems();
            io.err()
                    .println("The order " + order + " cannot be issued; "
                            + (problems.size() == 1 ? "1 problem:" : problems.size() + " problems:"));
            problems.forEach(problem -> io.err().println("  " + problem));
            io.err().println("Nothing was issued. Correct the order and run innolicense-vendor issue again.");
            return ExitCode.REFUSED;
        }
        var verified = ((OrderVerification.Verified) verification).order();
        VendorDirectory directory = VendorSession.directory(dir);
        try (LicenseRegistry registry = directory.openRegistry()) {
            if (!reissue) {
                Optional<RegisteredLicense> previous = registry.latestOfOrder(verified.orderId());
                if (previous.isPresent()) {
                    return alreadyIssued(previous.get());
                }
            }
            LicenseIssuer issuer = VendorSession.issuer(directory, registry, io.env());
            Issuance issuance = issuer.issue(verified, reissue, Optional.ofNullable(out));
            return switch (issuance) {
                case Issuance.Issued issued -> {
                    var license = issued.issued().license();
                    VendorSession.report(
                            io,
                            "Issued license " + license.licenseId() + " (serial " + license.serial() + ") for "
                                    + license.customer().name() + " ("
                                    + license.customer().id() + "), order "
                                    + license.orderId() + ".",
                            issued.issued(),
                            Optional.ofNullable(out),
                            registry.file());
                    yield ExitCode.OK;
                }
                case Issuance.AlreadyIssued already -> alreadyIssued(already.previous());
                case Issuance.AlreadyRenewed renewed -> throw new IllegalStateException("issue never renews");
                case Issuance.UnknownLicense unknown -> throw new IllegalStateException("issue never renews");
            };
        } catch (IOException e) {
            throw CommandFailure.error(
                    "cannot write the license key " + out + ": " + CliFiles.reason(e) + "; nothing was issued");
        }
    }

    private int alreadyIssued(RegisteredLicense previous) {
        io.err()
                .println("error: order " + previous.license().orderId() + " was already issued as license "
                        + previous.licenseId() + " (serial "
                        + previous.license().serial() + ") on "
                        + previous.license().issuedAt() + "; use --reissue to issue it again");
        return ExitCode.REFUSED;
    }
}
