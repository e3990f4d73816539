package com.anycontact.innolicense.http;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.Optional;

/**
 * The browser session's cookie: {@code HttpOnly}, {@code SameSite=Strict}, {@code Path=/}, no {@code Domain}.
 *
 * <p>When the server is reached over TLS ({@code --secure-cookies}, or a request that came in over https) the
 * cookie is {@code Secure} and named {@value #SECURE_NAME}: a browser then accepts it only from this very
 * origin over https, so no other host of the domain, and no plain-http page on the network path, can plant a
 * session cookie of its own (session fixation, login CSRF). Over plain http — the default, meant for
 * {@code localhost} and a TLS proxy that is not configured as such — the prefix is not possible (a browser
 * refuses a {@code __Host-} cookie that is not {@code Secure}, and a {@code Secure} cookie over plain http on
 * any host but localhost) and the cookie is named {@value #NAME}. Each mode reads only its own name.
 */
final class SessionCookie {

    /** The cookie's name over plain http. */
    static final String NAME = "innolicense_session";

    /** The cookie's name over TLS. */
    static final String SECURE_NAME = "__Host-" + NAME;

    private final boolean secureCookies;
    private final TrustedProxies proxies;

    /** @param secureCookies whether the server is reached over TLS whatever the request says */
    SessionCookie(boolean secureCookies) {
        this(secureCookies, TrustedProxies.none());
    }

    /**
     * @param secureCookies whether the server is reached over TLS whatever the request says
     * @param proxies the reverse proxies whose {@code X-Forwarded-Proto} / {@code Forwarded: proto=} is believed
     */
    SessionCookie(boolean secureCookies, TrustedProxies proxies) {
        this.secureCookies = secureCookies;
        this.proxies = proxies;
    }

    /**
     * Whether this request came over TLS, as configured or as seen (directly, or as a trusted proxy says): decides
     * the cookie and HSTS.
     */
    boolean isSecure(Context ctx) {
        return secureCookies || proxies.isSecure(ctx);
    }

    /** Whether a request answered outside Javalin ({@link SeatFastPath}) came over TLS, as configured or as seen. */
    boolean isSecure(org.eclipse.jetty.server.Request request) {
        return secureCookies || request.isSecure();
    }

    /** The session ID the browser sent, under the name of this request's mode. */
    Optional<String> read(Context ctx) {
        return Optional.ofNullable(ctx.cookie(name(ctx)));
    }

    /** Sets the cookie to a new session's ID. */
    void set(Context ctx, String sessionId) {
        ctx.cookie(cookie(ctx, sessionId, -1));
    }

    /** Tells the browser to drop the cookie. */
    void clear(Context ctx) {
        ctx.cookie(cookie(ctx, "", 0));
    }

    private String name(Context ctx) {
        return isSecure(ctx) ? SECURE_NAME : NAME;
    }

    private Cookie cookie(Context ctx, String value, int maxAge) {
        boolean secure = isSecure(ctx);
        Cookie cookie = new Cookie(secure ? SECURE_NAME : NAME, value);
        cookie.setPath("/");
        cookie.setMaxAge(maxAge);
        cookie.setHttpOnly(true);
        cookie.setSecure(secure);
        cookie.setSameSite(SameSite.STRICT);
        return cookie;
    }
}
