package com.anycontact.innolicense.license;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A vendor's Ed25519 public key with the key ID that license keys name, as trusted by a server.
 *
 * @param keyId the ID that license keys signed with the matching private key carry
 * @param key the Ed25519 public key
 */
public record VendorPublicKey(String keyId, PublicKey key) {

    private static final String LABEL = "PUBLIC KEY";

    /** The explanatory first line of a public key file. */
    static final String PREAMBLE = "innoACD Licensing vendor public key: built into license servers (docs/trust.md),"
            + " or for development: innolicense server --development-trust FILE";

    /** Checks the key ID and that the key is an Ed25519 key. */
    public VendorPublicKey {
        if (keyId == null || !License.IDENTIFIER.matcher(keyId).matches()) {
            throw new IllegalArgumentException(
                    "key ID must be 1 to 64 letters, digits, '.', '_' or '-', was '" + keyId + "'");
        }
        Objects.requireNonNull(key, "key");
        if (!isEd25519(key)) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
        }
    }

    /**
     * Reads the public key file written by {@link #toPem()}: a {@code Key-ID:} line followed by a
     * {@code PUBLIC KEY} PEM block.
     *
     * @throws IllegalArgumentException saying what is missing or broken
     */
    public static VendorPublicKey fromPem(String pem) {
        Objects.requireNonNull(pem, "pem");
        String keyId = Pem.keyId(pem)
                .orElseThrow(
                        () -> new IllegalArgumentException(
                                "no 'Key-ID:' line before the PUBLIC KEY block; use the file written by 'innolicense-vendor init'"));
        byte[] der = Pem.read(pem, LABEL);
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            return new VendorPublicKey(keyId, key);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the PUBLIC KEY block is not an Ed25519 public key");
        }
    }

    /** The key file text: an explanatory line, the {@code Key-ID:} line and the PEM block. */
    public String toPem() {
        return Pem.write(PREAMBLE, keyId, LABEL, key.getEncoded());
    }

    /** A short SHA-256 fingerprint of the key, for people to compare. */
    public String fingerprint() {
        return fingerprint(key);
    }

    static String fingerprint(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    static boolean isEd25519(java.security.Key key) {
        return key.getAlgorithm().equals("Ed25519")
                || (key.getAlgorithm().equals("EdDSA")
                        && key instanceof java.security.interfaces.EdECKey edec
                        && edec.getParams().getName().equals("Ed25519"));
    }
}
