package com.anycontact.innolicense.license;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VendorKeyFilesTest {

    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @Test
    void encryptedKeyFile_readWithItsPassphrase_givesTheSameKeyPair() {
        VendorSigningKey key = VendorSigningKey.generate("vendor-2026");

        VendorSigningKey read = VendorSigningKey.fromEncryptedPem(key.toEncryptedPem(PASSPHRASE), PASSPHRASE);

        assertThat(read.keyId()).isEqualTo("vendor-2026");
        assertThat(read.key().getEncoded()).isEqualTo(key.key().getEncoded());
        assertThat(read.publicKey()).isEqualTo(key.publicKey());
    }

    @Test
    void encryptedKeyFile_isEncryptedPkcs8WithKeyIdPreamble() {
        String pem = VendorSigningKey.generate("vendor-2026").toEncryptedPem(PASSPHRASE);

        assertThat(pem)
                .contains("Key-ID: vendor-2026\n-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
                .contains("-----BEGIN PUBLIC KEY-----")
                .doesNotContain("BEGIN PRIVATE KEY");
    }

    @Test
    void encryptedKeyFile_withWrongPassphrase_isRefusedWithoutStackTraceWorthyDetail() {
        String pem = VendorSigningKey.generate("vendor-2026").toEncryptedPem(PASSPHRASE);

        assertThatThrownBy(() -> VendorSigningKey.fromEncryptedPem(pem, "wrong passphrase".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("wrong passphrase, or the signing key file is damaged");
    }

    @Test
    void generate_withoutKeyId_derivesOneFromThePublicKey() {
        VendorSigningKey key = VendorSigningKey.generate(null);

        assertThat(key.keyId())
                .matches("vk-[0-9a-f]{16}")
                .isEqualTo("vk-" + key.publicKey().fingerprint());
    }

    @Test
    void publicKeyFile_roundTrips() {
        VendorPublicKey key = VendorSigningKey.generate("vendor-2026").publicKey();

        assertThat(VendorPublicKey.fromPem(key.toPem())).isEqualTo(key);
    }

    @Test
    void publicKeyFile_withoutKeyIdLine_isRefusedWithAClearMessage() {
        String pem = VendorSigningKey.generate("vendor-2026").publicKey().toPem();
        String withoutId = pem.substring(pem.indexOf("-----BEGIN"));

        assertThatThrownBy(() -> VendorPublicKey.fromPem(withoutId))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Key-ID:");
    }

    @Test
    void publicKeyFile_withDamagedBlock_isRefused() {
        assertThatThrownBy(() -> VendorPublicKey.fromPem(
                        "Key-ID: x\n-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the PUBLIC KEY block is not an Ed25519 public key");
        assertThatThrownBy(() -> VendorPublicKey.fromPem("Key-ID: x\nnothing here"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no '-----BEGIN PUBLIC KEY-----'");
    }

    @Test
    void signingKeyOf_withMismatchedHalves_isRefused() {
        VendorSigningKey one = VendorSigningKey.generate("a");
        VendorSigningKey other = VendorSigningKey.generate("b");

        assertThatThrownBy(() ->
                        VendorSigningKey.of("a", one.key(), other.publicKey().key()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("do not belong together");
    }
}
