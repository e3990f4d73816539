package com.anycontact.innolicense.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenSecretsTest {

    @Test
    void generate_isThePrefixAnd256RandomBitsInBase64Url() {
        String secret = TokenSecrets.generate();

        assertThat(secret).startsWith("il_").hasSize(46);
        assertThat(Base64.getUrlDecoder().decode(secret.substring(3))).hasSize(32);
        assertThat(TokenSecrets.isWellFormed(secret)).isTrue();
        assertThat(TokenSecrets.generate()).isNotEqualTo(secret);
    }

    @Test
    void digest_isSha256InLowercaseHex() {
        assertThat(TokenSecrets.digest("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void isWellFormed_acceptsBearerToken68FormsOf32To256Characters() {
        assertThat(TokenSecrets.isWellFormed("a".repeat(32))).isTrue();
        assertThat(TokenSecrets.isWellFormed("a".repeat(256))).isTrue();
        assertThat(TokenSecrets.isWellFormed("AZaz09-._~+/".repeat(3) + "==")).isTrue();

        assertThat(TokenSecrets.isWellFormed(null)).isFalse();
        assertThat(TokenSecrets.isWellFormed("a".repeat(31))).isFalse();
        assertThat(TokenSecrets.isWellFormed("a".repeat(257))).isFalse();
        assertThat(TokenSecrets.isWellFormed("a".repeat(31) + " ")).isFalse();
        assertThat(TokenSecrets.isWellFormed("=" + "a".repeat(31))).isFalse();
        assertThat(TokenSecrets.isWellFormed("a".repeat(31) + "\u00e9")).isFalse();
    }
}
