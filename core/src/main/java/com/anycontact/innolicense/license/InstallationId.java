package com.anycontact.innolicense.license;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The identity of one innoACD system: {@code IACD-} and four groups of four Crockford base32
 * characters (80 random bits), e.g. {@code IACD-7K3M-Q9XW-2D4F-HT6B}. A license key is bound to one.
 *
 * @param value the canonical upper-case text form
 */
public record InstallationId(String value) {

    /** The Crockford base32 alphabet: digits and upper-case letters without I, L, O and U. */
    public static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private static final Pattern CANONICAL = Pattern.compile(
            "IACD-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}");

    /** Validates the canonical form; use {@link #parse(String)} for text typed by people. */
    public InstallationId {
        Objects.requireNonNull(value, "value");
        if (!CANONICAL.matcher(value).matches()) {
            throw new IllegalArgumentException("not a canonical installation ID: " + value);
        }
    }

    /**
     * Reads an installation ID as people type it: case is ignored and surrounding whitespace
     * trimmed, but the characters must come from the Crockford alphabet.
     *
     * @return the ID, or empty when the text is not an installation ID
     */
    public static Optional<InstallationId> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String upper = text.strip().toUpperCase(Locale.ROOT);
        return CANONICAL.matcher(upper).matches() ? Optional.of(new InstallationId(upper)) : Optional.empty();
    }

    /** A fresh random installation ID (80 bits from the given source). */
    public static InstallationId generate(SecureRandom random) {
        StringBuilder id = new StringBuilder("IACD");
        for (int group = 0; group < 4; group++) {
            id.append('-');
            for (int i = 0; i < 4; i++) {
                id.append(ALPHABET.charAt(random.nextInt(32)));
            }
        }
        return new InstallationId(id.toString());
    }

    /** What an installation ID must look like, for error messages. */
    public static String expectedForm() {
        return "IACD- followed by four groups of four characters from " + ALPHABET
                + " separated by '-', e.g. IACD-7K3M-Q9XW-2D4F-HT6B";
    }

    @Override
    public String toString() {
        return value;
    }
}
