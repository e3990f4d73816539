package com.anycontact.innolicense.license;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The license key format, version 1: how a {@link License} becomes the text people mail and paste,
 * and back. {@code docs/license-key-format.md} specifies the bytes; this class is the reference.
 *
 * <p>A key is an armored block: {@value #BEGIN}, the body in standard Base64 wrapped at 64 columns,
 * {@value #END}. The body is {@code "IALK"}, one version byte, the canonical payload (UTF-8
 * {@code name: value} lines in a fixed order) and a 64-byte Ed25519 signature over everything before
 * it. On input, whitespace around the block and inside the Base64 body is ignored; anything else that
 * differs from the canonical encoding is rejected, so each license has exactly one key text per
 * signature.
 *
 * <p>Decoding never throws on bad input: it returns {@link KeyDecoding.Undecodable} with a reason.
 */
public final class LicenseKeyFormat {

    /** The format version this class writes and reads. */
    public static final int VERSION = 1;
    /** The largest key text accepted, in UTF-8 bytes; larger input is rejected before it is parsed. */
    public static final int MAX_KEY_TEXT_BYTES = 8192;
    /** The first line of a key. */
    public static final String BEGIN = "-----BEGIN INNOACD LICENSE KEY-----";
    /** The last line of a key. */
    public static final String END = "-----END INNOACD LICENSE KEY-----";

    static final byte[] MAGIC = {'I', 'A', 'L', 'K'};
    static final int SIGNATURE_LENGTH = 64;
    static final int LINE_LENGTH = 64;

    private static final List<String> FIELDS = List.of(
            "licenseId",
            "serial",
            "keyId",
            "customerId",
            "customerName",
            "orderId",
            "installationId",
            "features",
            "seats",
            "startDate",
            "timeZone",
            "termMonths",
            "graceDays",
            "issuedAt");
    private static final Pattern NUMBER = Pattern.compile("0|[1-9][0-9]{0,17}");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");
    private static final Pattern WHITESPACE = Pattern.compile("[ \t\r\n]+");

    private LicenseKeyFormat() {}

    /**
     * Decodes a key without checking its signature, e.g. to show what a key claims before it is
     * verified. Use {@link LicenseVerifier} to decide whether a key is genuine.
     */
    public static KeyDecoding decode(String keyText) {
        return switch (unpack(keyText)) {
            case Unpacked unpacked -> new KeyDecoding.Decoded(unpacked.license(), VERSION);
            case Failure failure -> failure.undecodable();
        };
    }

    /** The bytes the signature covers: magic, version byte and canonical payload. */
    static byte[] signedMessage(License license) {
        byte[] payload = payload(license).getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[MAGIC.length + 1 + payload.length];
        System.arraycopy(MAGIC, 0, message, 0, MAGIC.length);
        message[MAGIC.length] = (byte) VERSION;
        System.arraycopy(payload, 0, message, MAGIC.length + 1, payload.length);
        return message;
    }

    /** The armored key text of a signed message and its signature. */
    static String armor(byte[] signedMessage, byte[] signature) {
        byte[] body = Arrays.copyOf(signedMessage, signedMessage.length + signature.length);
        System.arraycopy(signature, 0, body, signedMessage.length, signature.length);
        String base64 = Base64.getEncoder().encodeToString(body);
        StringBuilder text = new StringBuilder(BEGIN).append('\n');
        for (int i = 0; i < base64.length(); i += LINE_LENGTH) {
            text.append(base64, i, Math.min(base64.length(), i + LINE_LENGTH)).append('\n');
        }
        return text.append(END).append('\n').toString();
    }

    /** The canonical payload text of a license: one {@code name: value} line per field, in order. */
    static String payload(License license) {
        List<String> values = List.of(
                license.licenseId(),
                Long.toString(license.serial()),
                license.keyId(),
                license.customer().id(),
                license.customer().name(),
                license.orderId(),
                license.installationId().value(),
                String.join(",", license.features()),
                Integer.toString(license.seats()),
                license.startDate().toString(),
                license.timeZone().getId(),
                Integer.toString(license.termMonths()),
                Integer.toString(license.graceDays()),
                DateTimeFormatter.ISO_INSTANT.format(license.issuedAt()));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < FIELDS.size(); i++) {
            text.append(FIELDS.get(i)).append(": ").append(values.get(i)).append('\n');
        }
        return text.toString();
    }

    /** The outcome of taking a key text apart. */
    sealed interface Unpacking permits Unpacked, Failure {}

    /** A key taken apart: the license it claims, the signed bytes and the signature over them. */
    record Unpacked(License license, byte[] signedMessage, byte[] signature) implements Unpacking {}

    /** A key that could not be taken apart. */
    record Failure(KeyDecoding.Undecodable undecodable) implements Unpacking {}

    /** Takes a key text apart without checking the signature. */
    static Unpacking unpack(String keyText) {
        if (keyText == null) {
            return malformed("no key text given");
        }
        if (keyText.length() > MAX_KEY_TEXT_BYTES || utf8Length(keyText) > MAX_KEY_TEXT_BYTES) {
            return failure(
                    RejectionReason.TOO_LARGE,
                    "the text is more than " + MAX_KEY_TEXT_BYTES + " bytes long; a license key is much shorter");
        }
        String text = trimWhitespace(keyText);
        if (!text.startsWith(BEGIN)) {
            return malformed("the key must start with the line " + BEGIN);
        }
        if (!text.endsWith(END) || text.length() < BEGIN.length() + END.length()) {
            return malformed("the key must end with the line " + END + "; was it cut off?");
        }
        String base64 = WHITESPACE
                .matcher(text.substring(BEGIN.length(), text.length() - END.length()))
                .replaceAll("");
        if (base64.isEmpty()) {
            return malformed("the key has no content between its BEGIN and END lines");
        }
        if (!BASE64.matcher(base64).matches() || base64.length() % 4 != 0) {
            return malformed("the key body contains characters that do not belong to a license key");
        }
        byte[] body;
        try {
            body = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return malformed("the key body is not valid Base64");
        }
        if (!Base64.getEncoder().encodeToString(body).equals(base64)) {
            return malformed("the key body is not in canonical Base64");
        }
        if (body.length < MAGIC.length + 1 + SIGNATURE_LENGTH
                || !Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return malformed("the key body does not start like an innoACD license key");
        }
        int version = body[MAGIC.length] & 0xFF;
        if (version != VERSION) {
            return failure(
                    RejectionReason.UNSUPPORTED_VERSION,
                    "the key has format version " + version + "; this software reads version " + VERSION);
        }
        byte[] signedMessage = Arrays.copyOfRange(body, 0, body.length - SIGNATURE_LENGTH);
        byte[] signature = Arrays.copyOfRange(body, body.length - SIGNATURE_LENGTH, body.length);
        byte[] payload = Arrays.copyOfRange(signedMessage, MAGIC.length + 1, signedMessage.length);
        return parsePayload(payload, signedMessage, signature);
    }

    private static Unpacking parsePayload(byte[] payloadBytes, byte[] signedMessage, byte[] signature) {
        String payload;
        try {
            payload = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payloadBytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return malformed("the key's content is not valid UTF-8 text");
        }
        if (!payload.endsWith("\n")) {
            return malformed("the key's content does not end with a line break");
        }
        String[] lines = payload.substring(0, payload.length() - 1).split("\n", -1);
        if (lines.length != FIELDS.size()) {
            return malformed("the key's content has " + lines.length + " fields; expected " + FIELDS.size());
        }
        String[] values = new String[FIELDS.size()];
        for (int i = 0; i < lines.length; i++) {
            String prefix = FIELDS.get(i) + ": ";
            if (!lines[i].startsWith(prefix)) {
                return malformed("field " + (i + 1) + " of the key's content must be " + FIELDS.get(i));
            }
            values[i] = lines[i].substring(prefix.length());
        }
        License license;
        try {
            license = new License(
                    values[0],
                    number("serial", values[1]),
                    values[2],
                    new Customer(values[3], values[4]),
                    values[5],
                    InstallationId.parse(values[6])
                            .filter(id -> id.value().equals(values[6]))
                            .orElseThrow(() ->
                                    new IllegalArgumentException("installationId is not a canonical installation ID")),
                    new TreeSet<>(List.of(values[7].split(",", -1))),
                    Math.toIntExact(number("seats", values[8])),
                    LocalDate.parse(values[9], DateTimeFormatter.ISO_LOCAL_DATE),
                    ZoneId.of(values[10]),
                    Math.toIntExact(number("termMonths", values[11])),
                    Math.toIntExact(number("graceDays", values[12])),
                    Instant.from(DateTimeFormatter.ISO_INSTANT.parse(values[13])));
        } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
            return malformed("the key's content is invalid: " + e.getMessage());
        }
        if (!Arrays.equals(signedMessage(license), signedMessage)) {
            return malformed("the key's content is not in canonical form");
        }
        return new Unpacked(license, signedMessage, signature);
    }

    private static String trimWhitespace(String text) {
        int from = 0;
        int to = text.length();
        while (from < to && isWhitespace(text.charAt(from))) {
            from++;
        }
        while (to > from && isWhitespace(text.charAt(to - 1))) {
            to--;
        }
        return text.substring(from, to);
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static long number(String field, String value) {
        if (!NUMBER.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " is not a number in canonical form: '" + value + "'");
        }
        return Long.parseLong(value);
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 2;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static Failure malformed(String message) {
        return failure(RejectionReason.MALFORMED, message);
    }

    private static Failure failure(RejectionReason reason, String message) {
        return new Failure(new KeyDecoding.Undecodable(reason, message));
    }
}
