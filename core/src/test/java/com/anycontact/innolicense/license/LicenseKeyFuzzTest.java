package com.anycontact.innolicense.license;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Fuzz targets of the key decoder and verifier. In a normal test run Jazzer replays the saved corpus
 * under {@code src/test/resources/.../LicenseKeyFuzzTestInputs/}; {@code ./mvnw -Pfuzz -pl core test}
 * runs a coverage-guided search for a while (set {@code -Djazzer.max_duration=10m} to change how long)
 * and saves crashing inputs beside the corpus.
 */
class LicenseKeyFuzzTest {

    private static final LicenseVerifier VERIFIER =
            new LicenseVerifier(TrustedKeys.of(List.of(TestVectors.signingKey().publicKey())));
    private static final String GENUINE_KEY = new LicenseSigner(TestVectors.signingKey()).sign(TestVectors.basic());

    @FuzzTest(maxDuration = "2m")
    void verify_ofArbitraryText_neverThrowsAndAgreesWithDecode(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();

        KeyVerification verification = VERIFIER.verify(text, TestVectors.INSTALLATION);
        KeyDecoding decoding = LicenseKeyFormat.decode(text);

        assertThat(verification).isNotNull();
        if (decoding instanceof KeyDecoding.Undecodable undecodable) {
            assertThat(verification)
                    .isEqualTo(new KeyVerification.Rejected(undecodable.reason(), undecodable.message()));
        }
        if (verification instanceof KeyVerification.Genuine genuine) {
            assertThat(genuine.license()).isIn(TestVectors.licenses().values());
        }
    }

    @FuzzTest(maxDuration = "2m")
    void verify_ofGenuineKeyWithFuzzedEdit_isRejectedUnlessOnlyWhitespaceChanged(FuzzedDataProvider data) {
        int position = data.consumeInt(0, GENUINE_KEY.length() - 1);
        int length = data.consumeInt(0, 8);
        String replacement = data.consumeRemainingAsString();
        String edited = GENUINE_KEY.substring(0, position)
                + replacement
                + GENUINE_KEY.substring(Math.min(GENUINE_KEY.length(), position + length));

        KeyVerification result = VERIFIER.verify(edited);

        if (!withoutWhitespace(edited).equals(withoutWhitespace(GENUINE_KEY))) {
            assertThat(result).isInstanceOf(KeyVerification.Rejected.class);
        }
    }

    private static String withoutWhitespace(String text) {
        return text.replaceAll("[ \t\r\n]", "");
    }
}
