package com.anycontact.innolicense.license;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LicenseVerifierTest {

    private final VendorSigningKey vendorKey = TestVectors.signingKey();
    private final LicenseVerifier verifier = new LicenseVerifier(TrustedKeys.of(List.of(vendorKey.publicKey())));
    private final String key = new LicenseSigner(vendorKey).sign(TestVectors.basic());

    @Test
    void verify_ofSignedKey_isGenuine() {
        assertThat(verifier.verify(key)).isEqualTo(new KeyVerification.Genuine(TestVectors.basic()));
    }

    @Test
    void verify_ignoresIndentationLineBreaksAndSurroundingWhitespace() {
        String mangled = "\n\n   " + key.replace("\n", "\r\n    ") + "\t \n";
        String oneLine = LicenseKeyFormat.BEGIN
                + key.substring(LicenseKeyFormat.BEGIN.length(), key.indexOf(LicenseKeyFormat.END))
                        .replace("\n", "")
                + LicenseKeyFormat.END;
        String rewrappedAt76 = rewrap(key, 76);

        assertThat(List.of(mangled, oneLine, rewrappedAt76))
                .allSatisfy(text -> assertThat(verifier.verify(text)).isInstanceOf(KeyVerification.Genuine.class));
    }

    @Test
    void verify_ofTextThatIsNoKey_isMalformed() {
        assertRejected("hello", RejectionReason.MALFORMED);
        assertRejected("", RejectionReason.MALFORMED);
        assertRejected(null, RejectionReason.MALFORMED);
        assertRejected(LicenseKeyFormat.BEGIN + "\n" + LicenseKeyFormat.END, RejectionReason.MALFORMED);
    }

    @Test
    void verify_ofKeyCutOffBeforeItsEnd_isMalformedAndSaysSo() {
        String cut = key.substring(0, key.length() / 2);

        KeyVerification result = verifier.verify(cut);

        assertThat(result)
                .isEqualTo(new KeyVerification.Rejected(
                        RejectionReason.MALFORMED,
                        "the key must end with the line " + LicenseKeyFormat.END + "; was it cut off?"));
    }

    @Test
    void verify_ofNonCanonicalPayload_isMalformed() {
        String payload = LicenseKeyFormat.payload(TestVectors.basic()).replace("seats: 50", "seats: 050");

        assertRejected(resign(payload, 1), RejectionReason.MALFORMED);
    }

    @Test
    void verify_ofUnsortedFeatures_isMalformed() {
        String payload = LicenseKeyFormat.payload(TestVectors.basic()).replace("ACD,IVR", "IVR,ACD");

        assertRejected(resign(payload, 1), RejectionReason.MALFORMED);
    }

    @Test
    void verify_ofOtherFormatVersion_isUnsupportedVersion() {
        String payload = LicenseKeyFormat.payload(TestVectors.basic());

        KeyVerification result = verifier.verify(resign(payload, 2));

        assertThat(result)
                .isEqualTo(new KeyVerification.Rejected(
                        RejectionReason.UNSUPPORTED_VERSION,
                        "the key has format version 2; this software reads version 1"));
    }

    @Test
    void verify_ofTextLargerThanAnyKey_isTooLarge() {
        assertRejected(
                " ".repeat(LicenseKeyFormat.MAX_KEY_TEXT_BYTES - key.length() + 1) + key, RejectionReason.TOO_LARGE);
        assertRejected("x".repeat(50_000_000), RejectionReason.TOO_LARGE);
        assertRejected("ü".repeat(LicenseKeyFormat.MAX_KEY_TEXT_BYTES / 2 + 1), RejectionReason.TOO_LARGE);
    }

    @Test
    void verify_ofTextJustWithinTheLimit_isNotTooLarge() {
        String padded = " ".repeat(LicenseKeyFormat.MAX_KEY_TEXT_BYTES - key.length()) + key;

        assertThat(padded.getBytes(StandardCharsets.UTF_8)).hasSize(LicenseKeyFormat.MAX_KEY_TEXT_BYTES);
        assertThat(verifier.verify(padded)).isInstanceOf(KeyVerification.Genuine.class);
    }

    @Test
    void verify_ofKeySignedWithUntrustedKeyId_isUnknownKeyIdAndNamesTheKey() {
        LicenseVerifier otherVerifier = new LicenseVerifier(
                TrustedKeys.of(List.of(VendorSigningKey.generate("vendor-2027").publicKey())));

        KeyVerification result = otherVerifier.verify(key);

        assertThat(result).isInstanceOf(KeyVerification.Rejected.class);
        KeyVerification.Rejected rejected = (KeyVerification.Rejected) result;
        assertThat(rejected.reason()).isEqualTo(RejectionReason.UNKNOWN_KEY_ID);
        assertThat(rejected.message()).contains("test-vector-key").contains("vendor-2027");
    }

    @Test
    void verify_ofKeySignedByImpostorUnderTrustedKeyId_isBadSignature() {
        VendorSigningKey impostor = VendorSigningKey.generate(TestVectors.KEY_ID);
        String forged = new LicenseSigner(impostor).sign(TestVectors.basic());

        assertRejected(forged, RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void verify_forAnotherInstallation_isWrongInstallationAndNamesBoth() {
        InstallationId here = new InstallationId("IACD-0000-1111-2222-3333");

        KeyVerification result = verifier.verify(key, here);

        assertThat(result)
                .isEqualTo(
                        new KeyVerification.Rejected(
                                RejectionReason.WRONG_INSTALLATION,
                                "this key is for installation IACD-7K3M-Q9XW-2D4F-HT6B; this system is IACD-0000-1111-2222-3333"));
    }

    @Test
    void verify_withSeveralTrustedKeys_acceptsKeysOfEach() {
        VendorSigningKey next = VendorSigningKey.generate("vendor-2027");
        License nextLicense = withKeyId(TestVectors.basic(), "vendor-2027");
        LicenseVerifier rotating =
                new LicenseVerifier(TrustedKeys.of(List.of(vendorKey.publicKey(), next.publicKey())));

        assertThat(rotating.verify(key)).isInstanceOf(KeyVerification.Genuine.class);
        assertThat(rotating.verify(new LicenseSigner(next).sign(nextLicense)))
                .isEqualTo(new KeyVerification.Genuine(nextLicense));
    }

    @Test
    void decode_ofGenuineKey_returnsItsLicenseUnverified() {
        assertThat(LicenseKeyFormat.decode(key)).isEqualTo(new KeyDecoding.Decoded(TestVectors.basic(), 1));
    }

    private void assertRejected(String text, RejectionReason reason) {
        KeyVerification result = verifier.verify(text);
        assertThat(result).isInstanceOf(KeyVerification.Rejected.class);
        assertThat(((KeyVerification.Rejected) result).reason()).isEqualTo(reason);
    }

    /** A key whose payload and version byte are chosen freely and properly signed by the vendor key. */
    private String resign(String payload, int version) {
        byte[] payloadBytes = payload.getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[5 + payloadBytes.length];
        System.arraycopy(LicenseKeyFormat.MAGIC, 0, message, 0, 4);
        message[4] = (byte) version;
        System.arraycopy(payloadBytes, 0, message, 5, payloadBytes.length);
        try {
            var signature = java.security.Signature.getInstance("Ed25519");
            signature.initSign(vendorKey.key());
            signature.update(message);
            return LicenseKeyFormat.armor(message, signature.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rewrap(String keyText, int width) {
        String body = keyText.substring(LicenseKeyFormat.BEGIN.length(), keyText.indexOf(LicenseKeyFormat.END))
                .replace("\n", "");
        StringBuilder text = new StringBuilder(LicenseKeyFormat.BEGIN).append('\n');
        for (int i = 0; i < body.length(); i += width) {
            text.append(body, i, Math.min(body.length(), i + width)).append('\n');
        }
        return text.append(LicenseKeyFormat.END).toString();
    }

    static License withKeyId(License l, String keyId) {
        return new License(
                l.licenseId(),
                l.serial(),
                keyId,
                l.customer(),
                l.orderId(),
                l.installationId(),
                l.features(),
                l.seats(),
                l.startDate(),
                l.timeZone(),
                l.termMonths(),
                l.graceDays(),
                l.issuedAt());
    }
}
