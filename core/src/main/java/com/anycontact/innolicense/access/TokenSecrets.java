package com.anycontact.innolicense.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API token secrets: how they are made, what a presented one must look like, and the digest that
 * is stored in their place.
 *
 * <p>A generated secret is 256 random bits from {@link SecureRandom}, written as {@code il_} and
 * the unpadded base64url form of the bits (46 characters, e.g. {@code il_Qm9v...}): the prefix
 * makes a leaked secret recognizable to secret scanners and to people. The bootstrap token
 * ({@code INNOLICENSE_BOOTSTRAP_TOKEN}) is chosen by the operator instead and may be any value of
 * the {@linkplain #isWellFormed well-formed} kind.
 *
 * <p><b>Stored only as a digest.</b> The database keeps the SHA-256 of the secret (64 lowercase hex
 * digits), never the secret, so a copy of the database does not hand out working tokens. A fast,
 * unsalted digest is right here while passwords need Argon2id: a password is chosen by a person and
 * can be found by trying likely candidates against its hash, so its hash must make every try slow
 * and memory-hungry, and a salt must keep one try from serving many hashes. A generated secret has
 * 256 bits of entropy: there are no likely candidates, and no speed of trying makes a search of
 * 2<sup>256</sup> values feasible, so a slow hash would only add its cost to every API request (an
 * ACD renews every lease every few seconds). Being unsalted, the digest can also be looked up
 * directly with a unique index.
 *
 * <p><b>No constant-time comparison is needed.</b> A presented secret is never compared with a
 * stored secret: its digest is looked up. Timing the lookup could at most tell an attacker how much
 * of their guess's <em>digest</em> matches a stored digest, and because SHA-256 cannot be inverted,
 * knowing digest bytes does not help to construct a secret that has them.
 */
public final class TokenSecrets {

    /** The prefix of every generated secret. */
    public static final String PREFIX = "il_";

    /** The fewest characters a presented or bootstrap secret may have. */
    public static final int MIN_LENGTH = 32;

    /** The most characters a presented or bootstrap secret may have. */
    public static final int MAX_LENGTH = 256;

    /** What a token secret must look like, for error messages. */
    public static final String RULE = "a token is " + MIN_LENGTH + " to " + MAX_LENGTH
            + " characters: ASCII letters, digits and - . _ ~ + /, optionally followed by = padding";

    /**
     * SHA-256, looked up once: {@link #digest} clones it, as looking the algorithm up through the providers
     * on every seat call cost more than the digest itself.
     */
    private static final MessageDigest SHA256 = sha256();

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenSecrets() {}

    /** A new secret: {@link #PREFIX} and 256 random bits in unpadded base64url. */
    public static String generate() {
        return PREFIX + randomBase64Url(32);
    }

    /**
     * Whether the text can be a token secret: {@link #RULE}, which is the {@code token68} form a
     * bearer token takes in an {@code Authorization} header (RFC 6750) with bounded length.
     */
    public static boolean isWellFormed(String text) {
        return text != null && text.length() >= MIN_LENGTH && text.length() <= MAX_LENGTH && isToken68(text);
    }

    /**
     * Whether the text is one or more of {@code A-Z a-z 0-9 - . _ ~ + /} followed by any number of {@code =}.
     * A loop rather than a regular expression: every seat call's token passes through here.
     */
    private static boolean isToken68(String text) {
        int i = 0;
        while (i < text.length() && isToken68Char(text.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return false;
        }
        while (i < text.length() && text.charAt(i) == '=') {
            i++;
        }
        return i == text.length();
    }

    private static boolean isToken68Char(char c) {
        return (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '.'
                || c == '_'
                || c == '~'
                || c == '+'
                || c == '/';
    }

    /** The digest stored in place of the secret: SHA-256 of its UTF-8 bytes, in lowercase hex. */
    public static String digest(String secret) {
        MessageDigest sha256;
        try {
            sha256 = (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            sha256 = sha256();
        }
        return HexFormat.of().formatHex(sha256.digest(secret.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** {@code bytes} random bytes from {@link SecureRandom} in unpadded base64url. */
    static String randomBase64Url(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return BASE64URL.encodeToString(random);
    }

    /** {@code bytes} random bytes from {@link SecureRandom} in lowercase hex. */
    static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
