package com.anycontact.innolicense.license;

import java.util.List;

/** License keys signed with the test-vector key, and a verifier that trusts it. */
final class SignedKeys {

    private static final VendorSigningKey KEY = TestVectors.signingKey();
    private static final LicenseSigner SIGNER = new LicenseSigner(KEY);

    private SignedKeys() {}

    /** A license as {@link LifecycleLicenses#serial} builds it, signed by the test-vector key. */
    static LifecycleLicenses.Builder license(long serial) {
        return LifecycleLicenses.serial(serial).keyId(TestVectors.KEY_ID);
    }

    /** The key text of a license. */
    static String key(License license) {
        return SIGNER.sign(license);
    }

    /** A verifier that trusts the test-vector key only. */
    static LicenseVerifier verifier() {
        return new LicenseVerifier(TrustedKeys.of(List.of(KEY.publicKey())));
    }
}
