package com.anycontact.innolicense.license;

/**
 * Why a license key was rejected. Each reason is a stable code that scripts may rely on, with a plain
 * description for people.
 *
 * <p>{@link LicenseVerifier} decides from the key alone and never returns {@link #SUPERSEDED} or {@link
 * #EXPIRED}: those depend on the licenses already applied and on trusted time, and {@link LicenseService}
 * returns them when it applies a key.
 */
public enum RejectionReason {
    /** The text is not a license key: armor, encoding or fields are broken. */
    MALFORMED("the text is not a well-formed innoACD license key; copy the whole block from BEGIN to END again"),
    /** The key was written in a format version this software does not read. */
    UNSUPPORTED_VERSION("the key uses a format version this server does not support; update innoACD Licensing"),
    /** The text is larger than any license key can be. */
    TOO_LARGE("the text is larger than " + LicenseKeyFormat.MAX_KEY_TEXT_BYTES + " bytes, which no license key is"),
    /** The key was signed with a vendor key that is not trusted here. */
    UNKNOWN_KEY_ID(
            "the key was signed with a vendor key this system does not trust; ask the vendor which key signed it"),
    /** The signature does not match the content: the key was altered or damaged. */
    BAD_SIGNATURE(
            "the signature does not match: the key was altered or damaged in transit; ask the vendor for a fresh copy"),
    /** The key is genuine but was issued for another installation. */
    WRONG_INSTALLATION(
            "the key is genuine but was issued for another installation; send the vendor this system's installation ID"),
    /** The key's serial is not higher than that of the newest license applied here. */
    SUPERSEDED("the key is genuine but not newer than the newest license applied here; a key is applied only once,"
            + " and an older key never replaces a newer one"),
    /** The key's license is past its grace end: applying it would change nothing. */
    EXPIRED("the key is genuine but its license has passed the end of its grace period; ask the vendor for a"
            + " current key");

    private final String description;

    RejectionReason(String description) {
        this.description = description;
    }

    /** What the reason means and what to do, in plain words. */
    public String describe() {
        return description;
    }
}
