package com.anycontact.innolicense.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A fast stand-in for Argon2id in tests: {@code sha256$salt$digest} with a random salt, so that
 * the stored form, like the real one, contains no part of the password.
 */
final class SaltedDigestHasher implements PasswordHasher {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String hash(char[] password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return "sha256$" + HexFormat.of().formatHex(salt) + "$" + digest(salt, password);
    }

    @Override
    public boolean verify(char[] password, String hash) {
        String[] parts = hash.split("\\$");
        return parts.length == 3
                && parts[0].equals("sha256")
                && MessageDigest.isEqual(
                        parts[2].getBytes(StandardCharsets.US_ASCII),
                        digest(HexFormat.of().parseHex(parts[1]), password).getBytes(StandardCharsets.US_ASCII));
    }

    private static String digest(byte[] salt, char[] password) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            sha256.update(new String(password).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
