package com.anycontact.innolicense.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.function.BiConsumer;

/**
 * The headers every answer carries, set before any handler runs so that errors carry them too:
 *
 * <ul>
 *   <li>{@code X-Content-Type-Options: nosniff} on everything: a browser never guesses a script or a page
 *       from a JSON body or a text key;
 *   <li>{@code Cache-Control: no-store} on the API, metrics and health answers: a new token's secret, the
 *       session's CSRF token and the license terms stay out of browser and proxy caches (the web UI's pages
 *       and assets, which hold no data, keep their own caching);
 *   <li>{@code Strict-Transport-Security} when the request came over TLS ({@link SessionCookie#isSecure}):
 *       a browser that saw it once goes to https only. Without {@code includeSubDomains}: the server does not
 *       know which other hosts share its domain.
 * </ul>
 *
 * {@link SeatFastPath} writes its answers outside Javalin and sets the same headers through {@link #api}.
 */
final class SecurityHeaders {

    /** One year, as browsers' preload lists expect. */
    static final String HSTS = "max-age=31536000";

    private final SessionCookie cookie;

    SecurityHeaders(SessionCookie cookie) {
        this.cookie = cookie;
    }

    void register(RoutesConfig routes) {
        routes.before(this::apply);
    }

    private void apply(Context ctx) {
        String path = ctx.path();
        if (path.startsWith(HttpApi.PREFIX + "/") || path.equals("/metrics") || path.startsWith("/health/")) {
            api(ctx::header, cookie.isSecure(ctx));
        } else {
            ctx.header("X-Content-Type-Options", "nosniff");
            if (cookie.isSecure(ctx)) {
                ctx.header("Strict-Transport-Security", HSTS);
            }
        }
    }

    /** Sets the headers of an API answer. */
    static void api(BiConsumer<String, String> header, boolean secure) {
        header.accept("Cache-Control", "no-store");
        header.accept("X-Content-Type-Options", "nosniff");
        if (secure) {
            header.accept("Strict-Transport-Security", HSTS);
        }
    }
}
