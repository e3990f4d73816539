package com.anycontact.innolicense.http;

import java.util.regex.Pattern;

/**
 * The rule for where the login page may send a browser after sign-in ({@code /login?next=}): a path of this
 * server, never another site. The one place the rule is written: the login page's script ({@code
 * assets/login.js}) carries the same {@link #RULE} (a test keeps the two equal), and the server sends a {@code
 * /login} whose {@code next} breaks it to a plain {@code /login} before the page loads.
 *
 * <p>The rule is an allow-list of the characters of an RFC 3986 path, query and fragment, starting with one
 * {@code /} not followed by another {@code /} or a {@code \}. So none of the known bypasses pass: a scheme
 * ({@code https:}, {@code javascript:}), a network path ({@code //host}), a backslash that browsers read as a
 * slash ({@code /\host}), and tab, line feed and carriage return, which browsers drop from a URL
 * ({@code /<TAB>/host}) — nor any other control or non-ASCII character. Percent escapes stay escapes: a
 * browser does not decode {@code %2F} or {@code %5C} into the URL's authority.
 */
final class SameOriginPath {

    /** What a safe {@code next} matches, whole. */
    static final Pattern RULE = Pattern.compile("^/(?![/\\\\])[A-Za-z0-9\\-._~!$&'()*+,;=:@/?#%]*$");

    /** The longest {@code next} kept. */
    static final int MAX_LENGTH = 2048;

    private SameOriginPath() {}

    /** Whether the browser may be sent to {@code next} after sign-in. */
    static boolean isSafe(String next) {
        return next != null
                && next.length() <= MAX_LENGTH
                && RULE.matcher(next).matches()
                && !next.startsWith("/login");
    }
}
