package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.VendorSigningKey;
import com.anycontact.innolicense.vendor.LicenseIssuer;
import com.anycontact.innolicense.vendor.LicenseRegistry;
import com.anycontact.innolicense.vendor.RegisteredLicense;
import com.anycontact.innolicense.vendor.VendorDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What {@code innolicense-vendor issue} and {@code renew} share: opening the directory, the key and the output. */
final class VendorSession {

    private VendorSession() {}

    /** The vendor directory, which must hold a signing key. */
    static VendorDirectory directory(Path dir) {
        VendorDirectory directory = new VendorDirectory(dir);
        if (!directory.hasSigningKey()) {
            throw CommandFailure.error("there is no signing key " + directory.signingKeyFile()
                    + "; run 'innolicense-vendor init --dir " + dir + "' first, or give the right --dir");
        }
        return directory;
    }

    /** The registry of an initialized vendor directory. */
    static LicenseRegistry registry(Path dir) {
        VendorDirectory directory = new VendorDirectory(dir);
        if (!Files.isRegularFile(directory.registryFile())) {
            throw CommandFailure.error("there is no registry " + directory.registryFile()
                    + "; run 'innolicense-vendor init --dir " + dir + "' first, or give the right --dir");
        }
        return directory.openRegistry();
    }

    /** An issuer signing with the directory's key, decrypted with the passphrase. */
    static LicenseIssuer issuer(VendorDirectory directory, LicenseRegistry registry, CliEnvironment env) {
        char[] passphrase = Passphrases.forExistingKey(env, directory.signingKeyFile());
        try {
            VendorSigningKey key = directory.signingKey(passphrase);
            return new LicenseIssuer(registry, key, env.clock());
        } catch (IOException e) {
            throw CommandFailure.error(
                    "cannot read the signing key " + directory.signingKeyFile() + ": " + CliFiles.reason(e));
        } catch (IllegalArgumentException e) {
            throw CommandFailure.error(
                    "cannot open the signing key " + directory.signingKeyFile() + ": " + e.getMessage());
        } finally {
            Passphrases.forget(passphrase);
        }
    }

    /**
     * Tells where the new license key went, and prints it on standard output when no file was named; the
     * summary then goes to standard error so that {@code > key.txt} captures only the key.
     */
    static void report(CliIo io, String headline, RegisteredLicense issued, Optional<Path> keyFile, Path registry) {
        PrintStream summary = keyFile.isPresent() ? io.out() : io.err();
        License license = issued.license();
        summary.println(headline);
        Table.fields()
                .row("installation", license.installationId().value())
                .row("features", String.join(", ", license.features()))
                .row("seats", license.seats() + " concurrent users")
                .row("starts", LicenseView.zoned(license.startZoned()))
                .row("ends", LicenseView.zoned(license.endZoned()))
                .row("grace ends", LicenseView.zoned(license.graceEndZoned()))
                .row("signed with", "vendor key " + license.keyId())
                .print(summary);
        if (!license.graceEnd().isAfter(io.env().clock().instant())) {
            summary.println("warning: this license already lapsed on " + LicenseView.zoned(license.graceEndZoned())
                    + "; check the order's startDate");
        }
        summary.println("Recorded in " + registry + ".");
        if (keyFile.isPresent()) {
            summary.println("The license key is in " + keyFile.get()
                    + ": send it to the customer, who applies it in AC Admin.");
        } else {
            io.out().print(issued.keyText());
            if (!issued.keyText().endsWith("\n")) {
                io.out().println();
            }
        }
    }
}
