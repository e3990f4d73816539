package com.anycontact.innolicense.bench;

import com.anycontact.innolicense.license.Customer;
import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.LicenseSigner;
import com.anycontact.innolicense.license.LicenseVerifier;
import com.anycontact.innolicense.license.TrustedKeys;
import com.anycontact.innolicense.license.VendorPublicKey;
import com.anycontact.innolicense.license.VendorSigningKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A throwaway vendor key made for one benchmark run, and the licenses it signs: real keys of the
 * real format, so that verification, lifecycle and the server's apply path do their real work.
 */
public final class BenchLicenses {

    /** The installation the in-process benchmarks bind their licenses to. */
    public static final InstallationId INSTALLATION = new InstallationId("IACD-7K3M-Q9XW-2D4F-HT6B");

    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

    private final VendorSigningKey key;
    private final LicenseSigner signer;

    private BenchLicenses(VendorSigningKey key) {
        this.key = key;
        this.signer = new LicenseSigner(key);
    }

    /** A fresh vendor key pair under the key ID {@code bench}. */
    public static BenchLicenses generate() {
        return new BenchLicenses(VendorSigningKey.generate("bench"));
    }

    /**
     * The licenses of a vendor key made earlier, e.g. one read back from the kit that {@code ClusterRun
     * --write-kit} wrote for nodes on machines of their own.
     */
    public static BenchLicenses of(VendorSigningKey key) {
        return new BenchLicenses(Objects.requireNonNull(key, "key"));
    }

    /** The vendor signing key itself, for a kit that must sign licenses in a later run. */
    public VendorSigningKey signingKey() {
        return key;
    }

    /** The public key, for a server's {@code --development-trust} file ({@link VendorPublicKey#toPem()}). */
    public VendorPublicKey publicKey() {
        return key.publicKey();
    }

    /** A verifier that trusts this vendor key only. */
    public LicenseVerifier verifier() {
        return new LicenseVerifier(TrustedKeys.of(List.of(key.publicKey())));
    }

    /**
     * A license for the installation that is ACTIVE today: it started yesterday (UTC) and runs for
     * twelve months.
     *
     * @param installation the installation it binds to
     * @param serial its serial; a higher serial supersedes the licenses applied before
     * @param seats its concurrent user count
     */
    public License activeLicense(InstallationId installation, long serial, int seats) {
        return license(
                installation, serial, seats, LocalDate.now(ZoneOffset.UTC).minusDays(1));
    }

    /** A license as {@link #activeLicense} makes it, but starting on the given date (in Berlin). */
    public License license(InstallationId installation, long serial, int seats, LocalDate startDate) {
        Objects.requireNonNull(installation, "installation");
        return new License(
                "BENCH-" + serial,
                serial,
                key.keyId(),
                new Customer("C-BENCH", "Benchmark Contact Center"),
                "ORDER-BENCH-" + serial,
                installation,
                License.features(Set.of("ACD", "REPORTING", "RECORDING")),
                seats,
                startDate,
                ZONE,
                License.DEFAULT_TERM_MONTHS,
                License.DEFAULT_GRACE_DAYS,
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /** The license key text of a license signed by this vendor key. */
    public String keyText(License license) {
        return signer.sign(license);
    }
}
