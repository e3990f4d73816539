package com.anycontact.innolicense.license;

import java.time.Instant;
import java.util.Objects;

/**
 * A license applied to this installation, with the key it came from and who applied it when.
 *
 * @param license the verified terms
 * @param keyText the license key that was applied, in its canonical text form (as the vendor issues it)
 * @param appliedAt the trusted instant it was applied; stores may keep only whole milliseconds
 * @param appliedBy who applied it
 */
public record AppliedLicense(License license, String keyText, Instant appliedAt, String appliedBy) {

    /** Requires every field. */
    public AppliedLicense {
        Objects.requireNonNull(license, "license");
        Objects.requireNonNull(keyText, "keyText");
        Objects.requireNonNull(appliedAt, "appliedAt");
        Objects.requireNonNull(appliedBy, "appliedBy");
    }
}
