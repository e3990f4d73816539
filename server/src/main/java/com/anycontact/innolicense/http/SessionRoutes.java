package com.anycontact.innolicense.http;

import com.anycontact.innolicense.access.AccessService;
import com.anycontact.innolicense.access.LoginResult;
import com.anycontact.innolicense.access.Principal;
import com.anycontact.innolicense.access.Session;
import com.anycontact.innolicense.access.Sessions;
import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditLog;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/** Browser login: a session cookie ({@code HttpOnly}, {@code SameSite=Strict}) and a CSRF token for writes. */
final class SessionRoutes {

    private static final String SESSION_COOKIE_NAME = Authenticator.SESSION_COOKIE;

    /** The login form. */
    record LoginBody(String username, String password) {}

    /** Who is logged in; {@code csrfToken} only for a session, never for a bearer token. */
    record SessionView(String user, String role, String kind, String csrfToken) {}

    private final AccessService access;
    private final Sessions sessions;
    private final AuditLog audit;
    private final InstantSource clock;
    private final Json json;
    private final boolean secureCookies;
    private final TrustedProxies proxies;

    SessionRoutes(ApiServices services, Json json) {
        this.access = services.access();
        this.sessions = services.sessions();
        this.audit = services.audit();
        this.clock = services.clock();
        this.json = json;
        this.secureCookies = services.secureCookies();
        this.proxies = services.proxies();
    }

    void login(Context ctx) {
        LoginBody body = json.read(ctx, LoginBody.class);
        if (body.username() == null || body.username().isBlank()) {
            throw Json.invalid("username", "field 'username' is required");
        }
        if (body.password() == null || body.password().isEmpty()) {
            throw Json.invalid("password", "field 'password' is required");
        }
        String client = proxies.clientAddress(ctx);
        char[] password = body.password().toCharArray();
        LoginResult result;
        try {
            result = access.login(body.username(), password, client);
        } finally {
            Arrays.fill(password, '\0');
        }
        switch (result) {
            case LoginResult.LoggedIn loggedIn -> {
                Session session = sessions.create(loggedIn.principal(), client);
                Cookie cookie = new Cookie(SESSION_COOKIE_NAME, session.id());
                cookie.setPath("/");
                cookie.setHttpOnly(true);
                cookie.setSecure(secureCookies || proxies.isSecure(ctx));
                cookie.setSameSite(SameSite.STRICT);
                ctx.cookie(cookie);
                json.write(ctx, 200, view(loggedIn.principal(), Optional.of(session)));
            }
            case LoginResult.Refused refused ->
                throw ProblemType.INVALID_CREDENTIALS.problem("wrong user name or password");
            case LoginResult.Throttled throttled -> {
                long seconds = Math.max(1, ceilSeconds(throttled.retryAfter()));
                throw ProblemType.LOGIN_THROTTLED
                        .problem(
                                "too many failed logins; try again in " + seconds + " s",
                                Map.of("retryAfterSeconds", seconds))
                        .withHeader("Retry-After", Long.toString(seconds));
            }
            case LoginResult.Busy busy ->
                throw ProblemType.LOGIN_BUSY
                        .problem(
                                "the server is checking as many passwords as it can at once; try again in 1 s",
                                Map.of("retryAfterSeconds", 1))
                        .withHeader("Retry-After", "1");
        }
    }

    void logout(Context ctx) {
        Authenticator.session(ctx).ifPresent(session -> {
            sessions.invalidate(session.id());
            ctx.removeCookie(SESSION_COOKIE_NAME, "/");
            audit.record(
                    clock.instant(),
                    session.principal().auditName(),
                    AuditEvent.Type.LOGOUT,
                    "session ended from " + proxies.clientAddress(ctx));
        });
        ctx.status(204);
    }

    void whoAmI(Context ctx) {
        json.write(ctx, 200, view(Authenticator.principal(ctx), Authenticator.session(ctx)));
    }

    private static SessionView view(Principal principal, Optional<Session> session) {
        return new SessionView(
                principal.name(),
                principal.role().name(),
                principal.kind().name(),
                session.map(Session::csrfToken).orElse(null));
    }

    private static long ceilSeconds(Duration duration) {
        return duration.plusMillis(999).toSeconds();
    }
}
