package com.anycontact.innolicense.vendor;

import com.anycontact.innolicense.license.License;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the {@link LicenseRegistry}: a license the vendor issued, with its key text.
 *
 * @param license the signed terms
 * @param keyText the license key exactly as it was handed out
 * @param renewalOf the ID of the license this one renews, if it was issued by {@code vendor renew}
 */
public record RegisteredLicense(License license, String keyText, Optional<String> renewalOf) {

    /** Requires every part. */
    public RegisteredLicense {
        Objects.requireNonNull(license, "license");
        Objects.requireNonNull(keyText, "keyText");
        Objects.requireNonNull(renewalOf, "renewalOf");
    }

    /** The license ID, the registry's key. */
    public String licenseId() {
        return license.licenseId();
    }
}
