package com.anycontact.innolicense.server;

import com.anycontact.innolicense.license.Customer;
import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.LicenseSigner;
import com.anycontact.innolicense.license.VendorPublicKey;
import com.anycontact.innolicense.license.VendorSigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;

/** A vendor key made for one test run, issuing license keys for a server's installation. */
final class TestVendor {

    static final String KEY_ID = "test-vendor-2026";
    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

    private static final VendorSigningKey KEY = VendorSigningKey.generate(KEY_ID);

    private TestVendor() {}

    static VendorPublicKey publicKey() {
        return KEY.publicKey();
    }

    /** Writes the public key file, as {@code vendor init} would, into {@code directory}. */
    static Path writePublicKey(Path directory) {
        try {
            return Files.writeString(
                    directory.resolve("vendor-public-key.pem"), KEY.publicKey().toPem());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A license for the installation: 12 months from {@code start} in Berlin, 14 days of grace. */
    static License license(InstallationId installation, long serial, int seats, LocalDate start) {
        return license(installation, serial, seats, start, KEY_ID);
    }

    /** {@link #license(InstallationId, long, int, LocalDate)} naming another signing key ID. */
    static License license(InstallationId installation, long serial, int seats, LocalDate start, String keyId) {
        return new License(
                "LIC-" + serial,
                serial,
                keyId,
                new Customer("C-77", "ACME Contact GmbH"),
                "ORD-4711",
                installation,
                License.features(Set.of("ACD", "REPORTING")),
                seats,
                start,
                ZONE,
                License.DEFAULT_TERM_MONTHS,
                License.DEFAULT_GRACE_DAYS,
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** The key text of {@link #license}. */
    static String key(InstallationId installation, long serial, int seats, LocalDate start) {
        return sign(license(installation, serial, seats, start));
    }

    static String sign(License license) {
        return new LicenseSigner(KEY).sign(license);
    }
}
