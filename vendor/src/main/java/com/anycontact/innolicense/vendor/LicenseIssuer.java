package com.anycontact.innolicense.vendor;

import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.LicenseSigner;
import com.anycontact.innolicense.license.VendorSigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Issues and renews licenses: chooses the serial, signs, writes the key file and records the license in
 * the registry as one step. The serial is chosen and the row recorded under the registry's write lock;
 * the key file is moved into place just before the commit and removed again if the commit fails, so a
 * key file exists exactly when its license is recorded.
 */
public final class LicenseIssuer {

    private final LicenseRegistry registry;
    private final VendorSigningKey signingKey;
    private final LicenseSigner signer;
    private final Clock clock;
    private final Supplier<String> licenseIds;

    /** An issuer that signs with {@code signingKey} and takes issue instants from {@code clock}. */
    public LicenseIssuer(LicenseRegistry registry, VendorSigningKey signingKey, Clock clock) {
        this(registry, signingKey, clock, LicenseIssuer::newLicenseId);
    }

    LicenseIssuer(LicenseRegistry registry, VendorSigningKey signingKey, Clock clock, Supplier<String> licenseIds) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
        this.signer = new LicenseSigner(signingKey);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.licenseIds = Objects.requireNonNull(licenseIds, "licenseIds");
    }

    /**
     * Issues the license an order asks for, with the next serial of its installation.
     *
     * @param reissue issue even when the order was issued before
     * @param keyFile where to write the key text; empty to leave that to the caller
     * @return {@link Issuance.Issued} or {@link Issuance.AlreadyIssued}
     * @throws IOException when the key file cannot be written; nothing is recorded then
     */
    public Issuance issue(Order order, boolean reissue, Optional<Path> keyFile) throws IOException {
        KeyFile output = new KeyFile(keyFile);
        return inOneStep(output, transaction -> {
            if (!reissue) {
                Optional<RegisteredLicense> previous = transaction.latestOfOrder(order.orderId());
                if (previous.isPresent()) {
                    return new Issuance.AlreadyIssued(previous.get());
                }
            }
            License license = order.toLicense(
                    licenseIds.get(), nextSerial(transaction, order.installationId()), signingKey.keyId(), now());
            return record(transaction, license, Optional.empty(), output);
        });
    }

    /**
     * Issues the next term of a license: the same installation, customer, order, features, zone, term and
     * grace, starting when the license ends, with the next serial of its installation.
     *
     * @param seats the seats of the renewal; empty to keep those of the license
     * @param reissue renew even when the license was renewed before
     * @param keyFile where to write the key text; empty to leave that to the caller
     * @return {@link Issuance.Issued}, {@link Issuance.UnknownLicense} or {@link Issuance.AlreadyRenewed}
     * @throws IOException when the key file cannot be written; nothing is recorded then
     */
    public Issuance renew(String licenseId, OptionalInt seats, boolean reissue, Optional<Path> keyFile)
            throws IOException {
        KeyFile output = new KeyFile(keyFile);
        return inOneStep(output, transaction -> {
            Optional<RegisteredLicense> found = transaction.find(licenseId);
            if (found.isEmpty()) {
                return new Issuance.UnknownLicense(licenseId);
            }
            if (!reissue) {
                Optional<RegisteredLicense> renewal = transaction.renewalOf(licenseId);
                if (renewal.isPresent()) {
                    return new Issuance.AlreadyRenewed(renewal.get());
                }
            }
            License previous = found.get().license();
            License renewal = new License(
                    licenseIds.get(),
                    nextSerial(transaction, previous.installationId()),
                    signingKey.keyId(),
                    previous.customer(),
                    previous.orderId(),
                    previous.installationId(),
                    previous.features(),
                    seats.orElse(previous.seats()),
                    previous.endDate(),
                    previous.timeZone(),
                    previous.termMonths(),
                    previous.graceDays(),
                    now());
            return record(transaction, renewal, Optional.of(previous.licenseId()), output);
        });
    }

    /** A fresh license ID: {@code L-} and 26 Crockford base32 characters of a random UUID. */
    public static String newLicenseId() {
        UUID uuid = UUID.randomUUID();
        long high = uuid.getMostSignificantBits();
        long low = uuid.getLeastSignificantBits();
        char[] id = new char[26];
        for (int i = 25; i >= 0; i--) {
            id[i] = InstallationId.ALPHABET.charAt((int) (low & 31));
            low = (low >>> 5) | ((high & 31) << 59);
            high >>>= 5;
        }
        return "L-" + new String(id);
    }

    private Issuance inOneStep(KeyFile output, LicenseRegistry.Work<Issuance> work) throws IOException {
        try {
            return registry.write(work);
        } catch (RegistryException e) {
            output.retract();
            throw e;
        }
    }

    private Issuance record(
            LicenseRegistry.Transaction transaction, License license, Optional<String> renewalOf, KeyFile output)
            throws IOException, SQLException {
        RegisteredLicense entry = new RegisteredLicense(license, signer.sign(license), renewalOf);
        transaction.record(entry);
        output.write(entry.keyText());
        return new Issuance.Issued(entry);
    }

    private static long nextSerial(LicenseRegistry.Transaction transaction, InstallationId installationId)
            throws SQLException {
        return transaction.highestSerial(installationId) + 1;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /** The key file of one issuing step, removed again when the registry fails to commit. */
    private static final class KeyFile {

        private final Optional<Path> path;
        private boolean written;

        KeyFile(Optional<Path> path) {
            this.path = path;
        }

        void write(String keyText) throws IOException {
            if (path.isPresent()) {
                AtomicFile.replace(path.get(), keyText);
                written = true;
            }
        }

        void retract() throws IOException {
            if (written) {
                Files.deleteIfExists(path.get());
            }
        }
    }
}
