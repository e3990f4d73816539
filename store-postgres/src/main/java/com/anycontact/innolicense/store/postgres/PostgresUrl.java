package com.anycontact.innolicense.store.postgres;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a cluster database is and how to log in to it, read from what an operator writes: a PostgreSQL
 * connection URI ({@code postgresql://user:password@host:5432/innolicense?sslmode=require}, several hosts
 * separated by commas for a standby that may be promoted) or a JDBC URL ({@code
 * jdbc:postgresql://host:5432/innolicense?user=innolicense}).
 *
 * <p>The password may sit in the URL or be given apart ({@code INNOLICENSE_DATABASE_PASSWORD}), which keeps it
 * out of process lists; one in the URL wins. {@link #toString()} and {@link #display()} never show it.
 *
 * @param jdbcUrl the JDBC URL the driver is given, with no user or password of a connection URI in it
 * @param user the user to log in as, or empty to let the driver choose (a {@code user} parameter of a JDBC URL,
 *     else the operating-system user)
 * @param password the password, or empty for none (trust or peer authentication, or one in a JDBC URL)
 * @param display the location for messages and logs: scheme, hosts and database, no credentials or parameters
 */
public record PostgresUrl(String jdbcUrl, Optional<String> user, Optional<String> password, String display) {

    private static final String JDBC_PREFIX = "jdbc:postgresql://";

    /** Checks that every part is present. */
    public PostgresUrl {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(display, "display");
    }

    /**
     * Reads a URL.
     *
     * @param text a {@code postgresql://}, {@code postgres://} or {@code jdbc:postgresql://} URL
     * @param separatePassword the password given apart from the URL, used when the URL has none
     * @throws IllegalArgumentException when the text is not such a URL; the message says what is expected
     */
    public static PostgresUrl parse(String text, Optional<String> separatePassword) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(separatePassword, "separatePassword");
        String url = text.strip();
        Optional<String> extraPassword = separatePassword.filter(p -> !p.isEmpty());
        if (url.startsWith(JDBC_PREFIX)) {
            String rest = url.substring(JDBC_PREFIX.length());
            requireHostAndDatabase(rest);
            return new PostgresUrl(url, Optional.empty(), extraPassword, "postgresql://" + withoutParameters(rest));
        }
        String rest;
        if (url.startsWith("postgresql://")) {
            rest = url.substring("postgresql://".length());
        } else if (url.startsWith("postgres://")) {
            rest = url.substring("postgres://".length());
        } else {
            throw new IllegalArgumentException(
                    "is not a PostgreSQL URL; use postgresql://USER@HOST:5432/DATABASE or jdbc:postgresql://HOST:5432/DATABASE");
        }
        int slash = rest.indexOf('/');
        int at = rest.lastIndexOf('@', slash < 0 ? rest.length() : slash);
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            String name = colon < 0 ? userInfo : userInfo.substring(0, colon);
            user = Optional.of(decode(name)).filter(u -> !u.isEmpty());
            if (colon >= 0) {
                password = Optional.of(decode(userInfo.substring(colon + 1)));
            }
        }
        requireHostAndDatabase(rest);
        return new PostgresUrl(
                JDBC_PREFIX + rest, user, password.or(() -> extraPassword), "postgresql://" + withoutParameters(rest));
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return display;
    }

    private static void requireHostAndDatabase(String rest) {
        int slash = rest.indexOf('/');
        String database = slash < 0 ? "" : withoutParameters(rest.substring(slash + 1));
        if (slash <= 0 || database.isEmpty()) {
            throw new IllegalArgumentException("names no host or no database; use e.g. postgresql://innolicense@"
                    + "db.example.com:5432/innolicense");
        }
    }

    private static String withoutParameters(String rest) {
        int query = rest.indexOf('?');
        return query < 0 ? rest : rest.substring(0, query);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
