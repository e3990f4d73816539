package com.anycontact.innolicense.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link SafeText}: what it lets through, that it can be undone, and that escaping twice changes nothing. */
class SafeTextPropertyTest {

    private static final Pattern ESCAPE = Pattern.compile("\\\\u([0-9a-f]{4})");

    @Property(tries = 2000)
    void escaped_containsNoCharacterThatActs(@ForAll("hostile") String text) {
        String escaped = SafeText.escape(text);

        escaped.codePoints()
                .forEach(c -> assertThat(SafeText.isEscaped(c))
                        .as("U+%04X in %s", c, escaped)
                        .isFalse());
    }

    @Property(tries = 2000)
    void escapingTwice_isEscapingOnce(@ForAll("hostile") String text) {
        String once = SafeText.escape(text);

        assertThat(SafeText.escape(once)).isEqualTo(once);
        assertThat(SafeText.escapeKeepingLayout(SafeText.escapeKeepingLayout(text)))
                .isEqualTo(SafeText.escapeKeepingLayout(text));
    }

    @Property(tries = 2000)
    void withoutBackslashes_theEscapesCanBeUndone(@ForAll("hostile") String hostile) {
        String text = hostile.replace("\\", "");

        assertThat(unescape(SafeText.escape(text))).isEqualTo(text);
        assertThat(unescape(SafeText.escapeKeepingLayout(text))).isEqualTo(text);
    }

    @Property(tries = 1000)
    void plainText_staysAsItIs(@ForAll("plain") String text) {
        assertThat(SafeText.escape(text)).isSameAs(text);
    }

    @Property(tries = 1000)
    void keepingLayout_keepsExactlyLineFeedsAndTabs(@ForAll("hostile") String text) {
        String escaped = SafeText.escapeKeepingLayout(text);

        escaped.codePoints()
                .forEach(c -> assertThat(SafeText.isEscaped(c) && c != '\n' && c != '\t')
                        .as("U+%04X", c)
                        .isFalse());
        assertThat(escaped.chars().filter(c -> c == '\n').count())
                .isEqualTo(text.chars().filter(c -> c == '\n').count());
    }

    @Example
    void theSeenSequences_areShownNotActedOn() {
        assertThat(SafeText.escape("1\u001b[2J\u001b]0;pwned\u0007\u202eevil\u2066\r\n\u0085\u009b"))
                .isEqualTo("1\\u001b[2J\\u001b]0;pwned\\u0007\\u202eevil\\u2066\\u000d\\u000a\\u0085\\u009b");
        assertThat(SafeText.escape("tag \uDB40\uDC01 lone \uD800 end"))
                .isEqualTo("tag \\udb40\\udc01 lone \\ud800 end");
        assertThat(SafeText.escape("Grüße, 東京, emoji \uD83D\uDE00, C:\\path"))
                .isEqualTo("Grüße, 東京, emoji \uD83D\uDE00, C:\\path");
        assertThat(SafeText.escapeKeepingLayout("a\tb\nc\rd")).isEqualTo("a\tb\nc\\u000dd");
        assertThat(SafeText.escape(null)).isNull();
    }

    /** Text mixing plain characters with controls, escapes, bidi and format characters and lone surrogates. */
    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.strings()
                .withCharRange('\u0000', '\uffff')
                .ofMaxLength(40)
                .flatMap(random -> Arbitraries.strings()
                        .withChars(
                                '\u0000', '\u001b', '\u007f', '\u0085', '\u009b', '\u200e', '\u202e', '\u2066',
                                '\u2028', '\ufeff', '\u0007', '\r', '\n', '\t', '\ud800', '\udb40', '\udc41', '\\', 'u',
                                '0', 'a', '[', ';')
                        .ofMaxLength(20)
                        .map(focused -> focused + random));
    }

    /** Printable text: letters, digits, punctuation and spaces of many scripts. */
    @Provide
    Arbitrary<String> plain() {
        return Arbitraries.strings()
                .withCharRange(' ', '~')
                .withCharRange('\u00c0', '\u024f')
                .withCharRange('\u4e00', '\u4fff')
                .ofMaxLength(60);
    }

    private static String unescape(String escaped) {
        Matcher matcher = ESCAPE.matcher(escaped);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(
                    out, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(matcher.group(1), 16))));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
