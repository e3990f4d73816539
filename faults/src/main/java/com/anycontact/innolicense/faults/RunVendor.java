package com.anycontact.innolicense.faults;

import com.anycontact.innolicense.license.Customer;
import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.LicenseSigner;
import com.anycontact.innolicense.license.VendorSigningKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * A throwaway vendor key made for one fault run, trusted by the run's servers in development mode, and the
 * licenses it signs: real keys of the real format (as the bench module's {@code BenchLicenses} makes them).
 */
final class RunVendor {

    private final VendorSigningKey key = VendorSigningKey.generate("faults");
    private final LicenseSigner signer = new LicenseSigner(key);

    /** The public key, PEM, for the server's trust flag. */
    String publicKeyPem() {
        return key.publicKey().toPem();
    }

    /** The key text of a license for the installation, ACTIVE since yesterday (UTC), with the given seats. */
    String activeLicenseKey(InstallationId installation, long serial, int seats) {
        License license = new License(
                "FAULTS-" + serial,
                serial,
                key.keyId(),
                new Customer("C-FAULTS", "Fault Injection Contact Center"),
                "ORDER-FAULTS-" + serial,
                installation,
                License.features(Set.of("ACD")),
                seats,
                LocalDate.now(ZoneOffset.UTC).minusDays(1),
                ZoneOffset.UTC,
                License.DEFAULT_TERM_MONTHS,
                License.DEFAULT_GRACE_DAYS,
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
        return signer.sign(license);
    }
}
