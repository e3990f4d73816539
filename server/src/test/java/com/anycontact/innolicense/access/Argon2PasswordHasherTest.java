package com.anycontact.innolicense.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Argon2PasswordHasherTest {

    /**
     * Made by the reference implementation ({@code argon2} command of the Argon2 authors):
     * {@code echo -n "correct horse battery staple" | argon2 innolicense-salt -id -t 2 -k 19456 -p 1
     * -l 32 -e}.
     */
    private static final String REFERENCE_HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$aW5ub2xpY2Vuc2Utc2FsdA$vIIS3keIEDBsu4i9XnWmmfcUKjiRhGSP9zb2trSQOCk";

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    private final Argon2PasswordHasher hasher = new Argon2PasswordHasher();

    @Test
    void hash_isAnArgon2idPhcStringWithTheOwaspParameters() {
        String hash = hasher.hash(PASSWORD);

        assertThat(hash)
                .startsWith("$argon2id$v=19$m=19456,t=2,p=1$")
                .matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hash).doesNotContain(new String(PASSWORD));
    }

    @Test
    void hash_verifiesWithThePassword_andNotWithAnother() {
        String hash = hasher.hash(PASSWORD);

        assertThat(hasher.verify(PASSWORD, hash)).isTrue();
        assertThat(hasher.verify("correct horse battery stapler".toCharArray(), hash))
                .isFalse();
        assertThat(hasher.verify(new char[0], hash)).isFalse();
    }

    @Test
    void hash_ofTheSamePasswordTwice_differsByItsSalt() {
        String first = hasher.hash(PASSWORD);
        String second = hasher.hash(PASSWORD);

        assertThat(first).isNotEqualTo(second);
        assertThat(first.split("\\$")[4]).isNotEqualTo(second.split("\\$")[4]);
        assertThat(hasher.verify(PASSWORD, second)).isTrue();
    }

    @Test
    void verify_ofAHashMadeByTheReferenceImplementation_agrees() {
        assertThat(hasher.verify(PASSWORD, REFERENCE_HASH)).isTrue();
        assertThat(hasher.verify("correct horse battery stable".toCharArray(), REFERENCE_HASH))
                .isFalse();
    }

    @Test
    void hash_ofNonAsciiPassword_usesUtf8() {
        char[] password = "Pässwörd-日本語-\uD83D\uDD11".toCharArray();

        String hash = hasher.hash(password);

        assertThat(hasher.verify(password, hash)).isTrue();
        assertThat(hasher.verify("Passwort-日本語-\uD83D\uDD11".toCharArray(), hash))
                .isFalse();
    }

    @Test
    void verify_ofOtherAlgorithmsOrMalformedOrExcessiveHashes_isFalse() {
        assertThat(hasher.verify(PASSWORD, "")).isFalse();
        assertThat(hasher.verify(PASSWORD, "correct horse battery staple")).isFalse();
        assertThat(hasher.verify(PASSWORD, REFERENCE_HASH.replace("argon2id", "argon2i")))
                .isFalse();
        assertThat(hasher.verify(PASSWORD, REFERENCE_HASH.replace("v=19", "v=16")))
                .isFalse();
        assertThat(hasher.verify(PASSWORD, REFERENCE_HASH.replace("m=19456", "m=4194304")))
                .isFalse();
        assertThat(hasher.verify(PASSWORD, REFERENCE_HASH.substring(0, REFERENCE_HASH.length() - 1) + "l"))
                .isFalse();
        assertThat(hasher.verify(PASSWORD, "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"))
                .isFalse();
    }

    @Test
    void verify_ofAHashWithOtherParameters_readsThemFromTheHash_andAsksForARehash() {
        Argon2PasswordHasher lighter = new Argon2PasswordHasher(64, 1, 1);
        String light = lighter.hash(PASSWORD);

        assertThat(light).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
        assertThat(hasher.verify(PASSWORD, light)).isTrue();
        assertThat(hasher.needsRehash(light)).isTrue();
        assertThat(hasher.needsRehash(hasher.hash(PASSWORD))).isFalse();
        assertThat(hasher.needsRehash(REFERENCE_HASH)).isFalse();
        assertThat(hasher.needsRehash("not a hash")).isTrue();
    }
}
