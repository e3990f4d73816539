package com.anycontact.innolicense.license;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Exhaustively: every position of a sample key, replaced by every other byte value, is rejected —
 * except where whitespace is replaced by whitespace, which the format ignores by design.
 */
class SingleByteChangeTest {

    @Test
    void everySingleByteChangeOfAKey_isRejected() {
        LicenseVerifier verifier = new LicenseVerifier(
                TrustedKeys.of(List.of(TestVectors.signingKey().publicKey())));
        byte[] key = new LicenseSigner(TestVectors.signingKey())
                .sign(TestVectors.basic())
                .getBytes(StandardCharsets.UTF_8);
        Map<RejectionReason, Integer> reasons = new EnumMap<>(RejectionReason.class);
        List<String> accepted = new ArrayList<>();
        int whitespaceSwaps = 0;

        for (int position = 0; position < key.length; position++) {
            byte original = key[position];
            for (int value = 0; value < 256; value++) {
                if ((byte) value == original) {
                    continue;
                }
                if (isWhitespace(original) && isWhitespace((byte) value)) {
                    whitespaceSwaps++;
                    continue;
                }
                byte[] changed = key.clone();
                changed[position] = (byte) value;
                KeyVerification result = verifier.verify(new String(changed, StandardCharsets.UTF_8));
                if (result instanceof KeyVerification.Rejected rejected) {
                    reasons.merge(rejected.reason(), 1, Integer::sum);
                } else {
                    accepted.add("position " + position + ": " + original + " -> " + value);
                }
            }
        }

        System.out.printf(
                "single-byte changes of a %d-byte key: rejected %s, whitespace-for-whitespace skipped %d%n",
                key.length, reasons, whitespaceSwaps);
        assertThat(accepted).isEmpty();
        assertThat(reasons.values().stream().mapToInt(Integer::intValue).sum() + whitespaceSwaps)
                .isEqualTo(key.length * 255);
        assertThat(reasons).containsKeys(RejectionReason.MALFORMED, RejectionReason.BAD_SIGNATURE);
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }
}
