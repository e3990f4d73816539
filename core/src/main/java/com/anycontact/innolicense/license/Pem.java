package com.anycontact.innolicense.license;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM blocks (RFC 7468) with an explanatory preamble. innoACD key files carry their key ID on a
 * {@code Key-ID:} line before the block, which RFC 7468 parsers (OpenSSL among them) ignore.
 */
final class Pem {

    private static final Pattern KEY_ID_LINE = Pattern.compile("(?m)^Key-ID: *(\\S+) *$");

    private Pem() {}

    static String write(String preamble, String keyId, String label, byte[] der) {
        StringBuilder text = new StringBuilder();
        text.append(preamble).append('\n');
        text.append("Key-ID: ").append(keyId).append('\n');
        text.append("-----BEGIN ").append(label).append("-----\n");
        String base64 = Base64.getEncoder().encodeToString(der);
        for (int i = 0; i < base64.length(); i += 64) {
            text.append(base64, i, Math.min(base64.length(), i + 64)).append('\n');
        }
        text.append("-----END ").append(label).append("-----\n");
        return text.toString();
    }

    /** The key ID from the preamble, if the text has one before its first block. */
    static Optional<String> keyId(String text) {
        int begin = text.indexOf("-----BEGIN ");
        Matcher matcher = KEY_ID_LINE.matcher(begin < 0 ? text : text.substring(0, begin));
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /**
     * The DER content of the block with the given label.
     *
     * @throws IllegalArgumentException naming what is missing or broken
     */
    static byte[] read(String text, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no '" + begin + "' ... '" + end + "' block found");
        }
        String base64 = text.substring(from + begin.length(), to).replaceAll("\\s+", "");
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + label + " block is not valid Base64");
        }
    }
}
