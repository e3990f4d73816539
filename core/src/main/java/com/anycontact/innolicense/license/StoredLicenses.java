package com.anycontact.innolicense.license;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link LicenseStore} holds, as read: the rows whose key decodes to the serial and license ID they are
 * stored under, and the rows whose key does not (damaged or edited by hand), which the lifecycle leaves out as it
 * leaves out a forged row (see {@link LicenseService}).
 *
 * @param applied the rows whose key decodes, lowest serial first
 * @param undecodable the rows whose key does not decode, or decodes to another serial or license ID, lowest serial
 *     first; each with the reason, {@link RejectionReason#MALFORMED}, {@link RejectionReason#UNSUPPORTED_VERSION},
 *     {@link RejectionReason#TOO_LARGE} or, for a key of another serial, {@link RejectionReason#BAD_SIGNATURE}
 */
public record StoredLicenses(List<AppliedLicense> applied, List<IgnoredLicense> undecodable) {

    /** Copies both lists. */
    public StoredLicenses {
        applied = List.copyOf(applied);
        undecodable = List.copyOf(undecodable);
    }

    /** Decodes the rows of a store as it reads them, lowest serial first; one reader per read. */
    public static final class Reader {

        private final List<AppliedLicense> applied = new ArrayList<>();
        private final List<IgnoredLicense> undecodable = new ArrayList<>();

        /**
         * Takes one row.
         *
         * @param serial the serial the row is stored under
         * @param licenseId the license ID the row is stored under
         * @param keyText the key text kept in the row
         * @param appliedAt when it was applied
         * @param appliedBy who applied it
         */
        public void row(long serial, String licenseId, String keyText, Instant appliedAt, String appliedBy) {
            Objects.requireNonNull(licenseId, "licenseId");
            if (keyText == null) {
                undecodable.add(new IgnoredLicense(
                        serial, licenseId, RejectionReason.MALFORMED, "the stored row holds no key text"));
                return;
            }
            switch (LicenseKeyFormat.decode(keyText)) {
                case KeyDecoding.Decoded decoded
                when decoded.license().serial() == serial
                        && decoded.license().licenseId().equals(licenseId) ->
                    applied.add(new AppliedLicense(decoded.license(), keyText, appliedAt, appliedBy));
                case KeyDecoding.Decoded decoded ->
                    undecodable.add(new IgnoredLicense(
                            serial,
                            licenseId,
                            RejectionReason.BAD_SIGNATURE,
                            "the stored key is for serial " + decoded.license().serial() + " ("
                                    + decoded.license().licenseId() + "), not for the serial it is stored under"));
                case KeyDecoding.Undecodable broken ->
                    undecodable.add(new IgnoredLicense(
                            serial,
                            licenseId,
                            broken.reason(),
                            "the stored key no longer decodes: " + broken.message()));
            }
        }

        /** The rows taken so far. */
        public StoredLicenses result() {
            return new StoredLicenses(applied, undecodable);
        }
    }
}
