package com.anycontact.innolicense.vendor;

/** The outcome of issuing or renewing a license with {@link LicenseIssuer}. */
public sealed interface Issuance {

    /**
     * A new license was signed and recorded, and its key written where asked.
     *
     * @param issued the new registry entry with its key text
     */
    record Issued(RegisteredLicense issued) implements Issuance {}

    /**
     * The order was issued before and no reissue was asked for; nothing was signed.
     *
     * @param previous the license most recently issued for the order
     */
    record AlreadyIssued(RegisteredLicense previous) implements Issuance {}

    /**
     * The license to renew was renewed before and no reissue was asked for; nothing was signed.
     *
     * @param renewal the most recent renewal of the license
     */
    record AlreadyRenewed(RegisteredLicense renewal) implements Issuance {}

    /**
     * The registry holds no license with the ID given for renewal.
     *
     * @param licenseId the ID asked for
     */
    record UnknownLicense(String licenseId) implements Issuance {}
}
