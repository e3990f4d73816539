package com.anycontact.innolicense.alert;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures as the Standard Webhooks specification defines them: the signed content is {@code
 * webhook-id + "." + webhook-timestamp + "." + body}, signed with HMAC-SHA256 under the secret's key bytes (the
 * base64 after {@code whsec_}), and sent as {@code webhook-signature: v1,<base64 of the MAC>}. {@code
 * docs/alerts.md} shows how a receiver checks one.
 */
public final class WebhookSignature {

    /** The prefix of every signing secret. */
    public static final String SECRET_PREFIX = "whsec_";

    /** The version tag of the signatures made here. */
    public static final String VERSION = "v1";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int KEY_BYTES = 32;

    private WebhookSignature() {}

    /** A new signing secret: {@code whsec_} and 256 random bits in base64. */
    public static String newSecret() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The {@code webhook-signature} header value: {@code v1,} and the base64 HMAC-SHA256 of {@code
     * id.timestamp.body} under the secret's key.
     *
     * @param secret the subscription's {@code whsec_…} secret
     * @param id the {@code webhook-id}
     * @param timestamp the {@code webhook-timestamp}, seconds since the epoch
     * @param body the exact body bytes sent, as UTF-8 text
     */
    public static String sign(String secret, String id, long timestamp, String body) {
        return VERSION + "," + Base64.getEncoder().encodeToString(mac(secret, id + "." + timestamp + "." + body));
    }

    /**
     * Whether a {@code webhook-signature} header (one or more space-separated {@code v1,…} signatures) holds the
     * signature of this message, compared in constant time; what a receiver does.
     */
    public static boolean verify(String secret, String id, long timestamp, String body, String header) {
        byte[] expected = mac(secret, id + "." + timestamp + "." + body);
        for (String signature : header.trim().split(" +")) {
            int comma = signature.indexOf(',');
            if (comma < 0 || !signature.substring(0, comma).equals(VERSION)) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(signature.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] mac(String secret, String content) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a signing secret starts with " + SECRET_PREFIX);
        }
        byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }
}
