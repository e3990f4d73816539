package com.anycontact.innolicense.license;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedKeysTest {

    private static final VendorPublicKey PRODUCTION =
            VendorSigningKey.generate("anycontact-2026-1").publicKey();
    private static final VendorPublicKey DEVELOPMENT =
            VendorSigningKey.generate("my-own-key").publicKey();

    @Test
    void productionKeysAlone_areProductionTrust() {
        TrustedKeys trust = TrustedKeys.of(List.of(PRODUCTION), List.of());

        assertThat(trust.mode()).isEqualTo(TrustMode.PRODUCTION);
        assertThat(trust.isDevelopment(PRODUCTION.keyId())).isFalse();
    }

    @Test
    void anyDevelopmentKey_makesDevelopmentTrust_andIsMarkedAsSuch() {
        TrustedKeys trust = TrustedKeys.of(List.of(PRODUCTION), List.of(DEVELOPMENT));

        assertThat(trust.mode()).isEqualTo(TrustMode.DEVELOPMENT);
        assertThat(trust.keyIds()).containsExactly(PRODUCTION.keyId(), DEVELOPMENT.keyId());
        assertThat(trust.isDevelopment(DEVELOPMENT.keyId())).isTrue();
        assertThat(trust.isDevelopment(PRODUCTION.keyId())).isFalse();
    }

    @Test
    void aDevelopmentKeyWithAProductionKeyId_isRefused() {
        VendorPublicKey impostor = VendorSigningKey.generate(PRODUCTION.keyId()).publicKey();

        assertThatThrownBy(() -> TrustedKeys.of(List.of(PRODUCTION), List.of(impostor)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has the key ID of a built-in production key");
    }

    @Test
    void theProductionKeyGivenAgainAsDevelopmentKey_staysAProductionKey() {
        TrustedKeys trust = TrustedKeys.of(List.of(PRODUCTION), List.of(PRODUCTION));

        assertThat(trust.mode()).isEqualTo(TrustMode.PRODUCTION);
        assertThat(trust.keys()).containsExactly(PRODUCTION);
    }
}
