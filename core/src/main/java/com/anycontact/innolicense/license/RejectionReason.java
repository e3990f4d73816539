package com.anycontact.innolicense.license;

/**
 * Why a license key was rejected. Each reason is a stable code that scripts may rely on, with a plain
 * description for people. The reasons decided by the lifecycle (superseded, expired) are named by the
 * server, which knows the licenses already applied.
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
            "the key is genuine but was issued for another installation; send the vendor this system's installation ID");

    private final String description;

    RejectionReason(String description) {
        this.description = description;
    }

    /** What the reason means and what to do, in plain words. */
    public String describe() {
        return description;
    }
}
