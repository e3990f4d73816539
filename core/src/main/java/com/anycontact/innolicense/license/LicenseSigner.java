package com.anycontact.innolicense.license;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Objects;

/** Signs licenses with the vendor's key, producing license key text. Thread-safe. */
public final class LicenseSigner {

    private final VendorSigningKey key;

    /** A signer for the given vendor key. */
    public LicenseSigner(VendorSigningKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    /**
     * The armored license key of a license.
     *
     * @throws IllegalArgumentException when the license names another signing key ID
     */
    public String sign(License license) {
        if (!license.keyId().equals(key.keyId())) {
            throw new IllegalArgumentException(
                    "the license names key ID " + license.keyId() + " but this signer holds " + key.keyId());
        }
        byte[] message = LicenseKeyFormat.signedMessage(license);
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key.key());
            signature.update(message);
            return LicenseKeyFormat.armor(message, signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }
}
