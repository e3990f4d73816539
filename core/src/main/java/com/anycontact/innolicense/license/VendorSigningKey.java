package com.anycontact.innolicense.license;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

/**
 * The vendor's Ed25519 signing key with its key ID: what {@code vendor init} creates and {@code vendor
 * issue} signs with.
 *
 * <p>On disk the private key is an encrypted PKCS#8 block ({@code ENCRYPTED PRIVATE KEY}, PBES2 with
 * PBKDF2-HMAC-SHA256 at {@value #PBKDF2_ITERATIONS} iterations and AES-256-CBC), preceded by its
 * {@code Key-ID:} line and followed by the matching {@code PUBLIC KEY} block.
 */
public final class VendorSigningKey {

    static final int PBKDF2_ITERATIONS = 600_000;
    private static final String PBE_ALGORITHM = "PBEWithHmacSHA256AndAES_256";
    private static final String PRIVATE_LABEL = "ENCRYPTED PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";

    private final String keyId;
    private final PrivateKey key;
    private final VendorPublicKey publicKey;

    private VendorSigningKey(String keyId, PrivateKey key, PublicKey publicKey) {
        this.publicKey = new VendorPublicKey(keyId, publicKey);
        this.keyId = keyId;
        this.key = Objects.requireNonNull(key, "key");
    }

    /**
     * Creates a fresh key pair.
     *
     * @param keyId the key ID to sign under, or {@code null} for one derived from the public key
     *     ({@code vk-} and 16 hex digits of its SHA-256 fingerprint)
     */
    public static VendorSigningKey generate(String keyId) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            String id = keyId != null ? keyId : defaultKeyId(pair.getPublic());
            return new VendorSigningKey(id, pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot create Ed25519 keys", e);
        }
    }

    /**
     * Builds a signing key from a known key pair, e.g. the fixed test-vector key.
     *
     * @throws IllegalArgumentException when the keys are not an Ed25519 pair that belongs together
     */
    public static VendorSigningKey of(String keyId, PrivateKey privateKey, PublicKey publicKey) {
        if (!VendorPublicKey.isEd25519(privateKey)) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + privateKey.getAlgorithm());
        }
        VendorSigningKey signingKey = new VendorSigningKey(keyId, privateKey, publicKey);
        signingKey.requireMatchingPair();
        return signingKey;
    }

    /** The key ID written into every license this key signs. */
    public String keyId() {
        return keyId;
    }

    /** The private key. */
    public PrivateKey key() {
        return key;
    }

    /** The public half, to give to license servers. */
    public VendorPublicKey publicKey() {
        return publicKey;
    }

    /**
     * The key file text: explanatory preamble, {@code Key-ID:} line, the private key encrypted under
     * the passphrase, and the public key.
     */
    public String toEncryptedPem(char[] passphrase) {
        requirePassphrase(passphrase);
        try {
            byte[] salt = new byte[16];
            byte[] iv = new byte[16];
            SecureRandom random = new SecureRandom();
            random.nextBytes(salt);
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance(PBE_ALGORITHM);
            cipher.init(
                    Cipher.ENCRYPT_MODE,
                    secretKey(PBE_ALGORITHM, passphrase),
                    new PBEParameterSpec(salt, PBKDF2_ITERATIONS, new IvParameterSpec(iv)));
            byte[] encrypted = cipher.doFinal(key.getEncoded());
            AlgorithmParameters pbes2 = AlgorithmParameters.getInstance("PBES2");
            pbes2.init(cipher.getParameters().getEncoded());
            byte[] der = new EncryptedPrivateKeyInfo(pbes2, encrypted).getEncoded();
            String privatePart = Pem.write(
                    "innoACD Licensing vendor signing key: keep secret, keep a backup; it signs license keys",
                    keyId,
                    PRIVATE_LABEL,
                    der);
            String publicPart = publicKey.toPem();
            return privatePart + publicPart.substring(publicPart.indexOf("-----BEGIN "));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot encrypt the signing key: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a key file written by {@link #toEncryptedPem(char[])}.
     *
     * @throws IllegalArgumentException when the passphrase is wrong or the file is damaged, saying which
     *     it is where that can be told
     */
    public static VendorSigningKey fromEncryptedPem(String pem, char[] passphrase) {
        Objects.requireNonNull(pem, "pem");
        requirePassphrase(passphrase);
        String keyId = Pem.keyId(pem)
                .orElseThrow(() -> new IllegalArgumentException(
                        "no 'Key-ID:' line before the key block; use the file written by 'innolicense-vendor init'"));
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(Pem.read(pem, PRIVATE_LABEL));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the ENCRYPTED PRIVATE KEY block is damaged");
        }
        PrivateKey privateKey;
        try {
            String algorithm = pbeAlgorithm(info);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, secretKey(algorithm, passphrase), info.getAlgParameters());
            PKCS8EncodedKeySpec spec = info.getKeySpec(cipher);
            privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(spec);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("wrong passphrase, or the signing key file is damaged");
        }
        VendorPublicKey publicKey = VendorPublicKey.fromPem(
                "Key-ID: " + keyId + "\n" + pem.substring(pem.indexOf("-----BEGIN " + PUBLIC_LABEL + "-----")));
        return of(keyId, privateKey, publicKey.key());
    }

    /**
     * The JDK name of the PBE scheme. Older JDKs name every PBES2 scheme just "PBES2", which no cipher
     * answers to; their parameters then carry the full name (e.g. PBEWithHmacSHA256AndAES_256).
     */
    private static String pbeAlgorithm(EncryptedPrivateKeyInfo info) {
        String name = info.getAlgName();
        if (name.equalsIgnoreCase("PBES2") || name.equals("1.2.840.113549.1.5.13")) {
            return info.getAlgParameters().toString();
        }
        return name;
    }

    static String defaultKeyId(PublicKey publicKey) {
        return "vk-" + VendorPublicKey.fingerprint(publicKey);
    }

    private void requireMatchingPair() {
        try {
            byte[] probe = "innoACD key pair check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey.key());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException("the private and the public key do not belong together");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the key pair cannot sign: " + e.getMessage());
        }
    }

    private static SecretKey secretKey(String algorithm, char[] passphrase) throws GeneralSecurityException {
        return SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(passphrase));
    }

    private static void requirePassphrase(char[] passphrase) {
        if (passphrase == null || passphrase.length == 0) {
            throw new IllegalArgumentException("a passphrase is required");
        }
    }
}
