package com.anycontact.innolicense.license;

import java.util.Objects;

/**
 * A stored license that did not verify when it was loaded, so the lifecycle leaves it out: its signature does
 * not match (a row forged or altered in the database), its signing key is no longer trusted, it is for
 * another installation, or its key no longer decodes at all (damaged in the database).
 *
 * @param serial the serial the row is stored under
 * @param licenseId the license ID the row names
 * @param reason why it did not verify
 * @param message the verifier's explanation, for people
 */
public record IgnoredLicense(long serial, String licenseId, RejectionReason reason, String message) {

    /** Requires every field. */
    public IgnoredLicense {
        Objects.requireNonNull(licenseId, "licenseId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
