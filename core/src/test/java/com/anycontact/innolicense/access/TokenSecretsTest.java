package com.anycontact.innolicense.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
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
        assertThat(TokenSecrets.isWellFormed("a".repeat(16) + "=" + "a".repeat(16)))
                .isFalse();
        assertThat(TokenSecrets.isWellFormed("=".repeat(32))).isFalse();
    }

    /** The token68 form of RFC 6750 as a regular expression: the rule the hand-written check must follow. */
    private static final Pattern TOKEN68 = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

    @Property(tries = 2000)
    void isWellFormed_agreesWithTheToken68Expression(
            @ForAll
                    @StringLength(min = 30, max = 40)
                    @Chars({'a', 'Z', '0', '-', '.', '_', '~', '+', '/', '=', ' ', '%'})
                    String text) {
        boolean expected = text.length() >= TokenSecrets.MIN_LENGTH
                && TOKEN68.matcher(text).matches();

        assertThat(TokenSecrets.isWellFormed(text)).as(text).isEqualTo(expected);
    }

    @Test
    void digest_isTheSameOnEveryThreadAndCall() throws Exception {
        String expected = TokenSecrets.digest("abc");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var digests = new java.util.ArrayList<java.util.concurrent.Future<String>>();
            for (int i = 0; i < 400; i++) {
                digests.add(pool.submit(() -> TokenSecrets.digest("abc")));
            }
            for (var digest : digests) {
                assertThat(digest.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
