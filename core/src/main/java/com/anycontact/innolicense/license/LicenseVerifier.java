package com.anycontact.innolicense.license;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides offline whether a license key is genuine: well-formed, signed by a trusted vendor key and,
 * where asked, bound to this installation. Never throws on bad input; every rejection names its
 * {@link RejectionReason}. Thread-safe.
 */
public final class LicenseVerifier {

    private final TrustedKeys trustedKeys;

    /** A verifier that trusts the given vendor keys. */
    public LicenseVerifier(TrustedKeys trustedKeys) {
        this.trustedKeys = Objects.requireNonNull(trustedKeys, "trustedKeys");
    }

    /** The keys this verifier trusts. */
    public TrustedKeys trustedKeys() {
        return trustedKeys;
    }

    /** Verifies a key without checking which installation it is for. */
    public KeyVerification verify(String keyText) {
        return verify(keyText, Optional.empty());
    }

    /** Verifies a key and that it was issued for the expected installation. */
    public KeyVerification verify(String keyText, InstallationId expected) {
        return verify(keyText, Optional.of(expected));
    }

    private KeyVerification verify(String keyText, Optional<InstallationId> expected) {
        LicenseKeyFormat.Unpacked unpacked;
        switch (LicenseKeyFormat.unpack(keyText)) {
            case LicenseKeyFormat.Failure failure -> {
                return new KeyVerification.Rejected(
                        failure.undecodable().reason(), failure.undecodable().message());
            }
            case LicenseKeyFormat.Unpacked u -> unpacked = u;
        }
        License license = unpacked.license();
        Optional<VendorPublicKey> key = trustedKeys.find(license.keyId());
        if (key.isEmpty()) {
            return new KeyVerification.Rejected(
                    RejectionReason.UNKNOWN_KEY_ID,
                    "the key was signed with vendor key '" + license.keyId() + "', which is not trusted here"
                            + (trustedKeys.keyIds().isEmpty()
                                    ? " (no vendor key is trusted)"
                                    : " (trusted: " + String.join(", ", trustedKeys.keyIds()) + ")"));
        }
        if (!signatureMatches(key.get(), unpacked)) {
            return new KeyVerification.Rejected(
                    RejectionReason.BAD_SIGNATURE,
                    "the signature does not match the key's content; the key was altered or damaged");
        }
        if (expected.isPresent() && !expected.get().equals(license.installationId())) {
            return new KeyVerification.Rejected(
                    RejectionReason.WRONG_INSTALLATION,
                    "this key is for installation " + license.installationId() + "; this system is " + expected.get());
        }
        return new KeyVerification.Genuine(license);
    }

    private static boolean signatureMatches(VendorPublicKey key, LicenseKeyFormat.Unpacked unpacked) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(key.key());
            signature.update(unpacked.signedMessage());
            return signature.verify(unpacked.signature());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
