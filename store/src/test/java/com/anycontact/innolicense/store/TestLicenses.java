package com.anycontact.innolicense.store;

import com.anycontact.innolicense.license.Customer;
import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.LicenseSigner;
import com.anycontact.innolicense.license.LicenseVerifier;
import com.anycontact.innolicense.license.TrustedKeys;
import com.anycontact.innolicense.license.VendorSigningKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * Licenses and their keys for store tests, signed with a vendor key made for this test run. Every license
 * is for {@link #INSTALLATION}, Berlin time, 12 months plus 14 days of grace.
 */
public final class TestLicenses {

    /** The installation the licenses are for. */
    public static final InstallationId INSTALLATION = new InstallationId("IACD-7K3M-Q9XW-2D4F-HT6B");

    private static final VendorSigningKey KEY = VendorSigningKey.generate("store-test-key");
    private static final LicenseSigner SIGNER = new LicenseSigner(KEY);

    private TestLicenses() {}

    /** License {@code LIC-<serial>} starting on the given date with the given seats. */
    public static License license(long serial, String startDate, int seats) {
        return license("LIC-" + serial, serial, startDate, seats, INSTALLATION);
    }

    /** A license with every field a test may vary. */
    public static License license(
            String licenseId, long serial, String startDate, int seats, InstallationId installation) {
        return new License(
                licenseId,
                serial,
                KEY.keyId(),
                new Customer("C-4711", "Müller & Söhne Kundenservice GmbH"),
                "SO-" + serial,
                installation,
                License.features(Set.of("ACD", "REPORTING")),
                seats,
                LocalDate.parse(startDate),
                ZoneId.of("Europe/Berlin"),
                License.DEFAULT_TERM_MONTHS,
                License.DEFAULT_GRACE_DAYS,
                Instant.parse("2026-11-15T09:00:00Z"));
    }

    /** The key text of a license. */
    public static String key(License license) {
        return SIGNER.sign(license);
    }

    /** A verifier that trusts the key the licenses are signed with. */
    public static LicenseVerifier verifier() {
        return new LicenseVerifier(TrustedKeys.of(List.of(KEY.publicKey())));
    }
}
