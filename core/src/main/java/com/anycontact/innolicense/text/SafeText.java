package com.anycontact.innolicense.text;

/**
 * Makes text from outside (a rejected license key, a username typed at the login form, a problem detail from
 * a server) safe to write where a person reads it: a terminal, the audit log, a log file. Every character that
 * would act instead of showing — C0 and C1 controls with escape sequences among them, DEL, bidi overrides and
 * isolates and other format characters, line and paragraph separators, lone surrogates — is written as its
 * visible escape {@code \}{@code uXXXX} (lowercase hex; a supplementary character as its two surrogates), the
 * way JSON and Java would write it. Everything else, backslashes included, stays as it is.
 *
 * <p>Escaping twice gives what escaping once gives, since an escape is made of printable characters only: the
 * text may be escaped where it is stored and again where it is shown.
 */
public final class SafeText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SafeText() {}

    /** The text with every character that is not plainly visible escaped; {@code null} stays {@code null}. */
    public static String escape(String text) {
        return escape(text, false);
    }

    /**
     * As {@link #escape}, but line feeds and tabs, which a terminal shows as layout, stay as they are: for a
     * whole output of several lines.
     */
    public static String escapeKeepingLayout(String text) {
        return escape(text, true);
    }

    /** Whether the character would be escaped by {@link #escape}. */
    public static boolean isEscaped(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE,
                    Character.UNASSIGNED -> true;
            default -> false;
        };
    }

    private static String escape(String text, boolean keepLayout) {
        if (text == null) {
            return null;
        }
        int first = firstEscaped(text, keepLayout);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int length = Character.charCount(codePoint);
            if (isEscaped(codePoint) && !(keepLayout && isLayout(codePoint))) {
                for (int j = i; j < i + length; j++) {
                    char c = text.charAt(j);
                    out.append('\\').append('u');
                    out.append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]);
                    out.append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                }
            } else {
                out.append(text, i, i + length);
            }
            i += length;
        }
        return out.toString();
    }

    private static int firstEscaped(String text, boolean keepLayout) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (isEscaped(codePoint) && !(keepLayout && isLayout(codePoint))) {
                return i;
            }
            i += Character.charCount(codePoint);
        }
        return -1;
    }

    private static boolean isLayout(int codePoint) {
        return codePoint == '\n' || codePoint == '\t';
    }
}
