package com.anycontact.innolicense.http;

import com.anycontact.innolicense.access.AccessService;
import com.anycontact.innolicense.access.LoginResult;
import com.anycontact.innolicense.access.Principal;
import com.anycontact.innolicense.access.Session;
import com.anycontact.innolicense.access.Sessions;
import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.text.SafeText;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Browser login: a session cookie ({@link SessionCookie}) and a CSRF token for writes. A login from a page of
 * another site is refused (login CSRF: it would sign the victim's browser into the attacker's account): a browser
 * that says where the request comes from ({@code Sec-Fetch-Site}) must say {@code same-origin} or {@code none};
 * else an {@code Origin}, when sent, must name this server's host. Clients that are not browsers send neither.
 */
final class SessionRoutes {

    /** The login form. */
    record LoginBody(String username, String password) {}

    /**
     * Who is logged in; {@code csrfToken} only for a session, never for a bearer token;
     * {@code passwordChangeRequired} when the user must first replace the generated password.
     */
    record SessionView(String user, String role, String kind, String csrfToken, boolean passwordChangeRequired) {}

    private final AccessService access;
    private final Sessions sessions;
    private final AuditLog audit;
    private final InstantSource clock;
    private final Json json;
    private final SessionCookie cookie;
    private final TrustedProxies proxies;

    SessionRoutes(ApiServices services, Json json, SessionCookie cookie) {
        this.access = services.access();
        this.sessions = services.sessions();
        this.audit = services.audit();
        this.clock = services.clock();
        this.json = json;
        this.cookie = cookie;
        this.proxies = services.proxies();
    }

    void login(Context ctx) {
        refuseCrossSite(ctx);
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
                cookie.set(ctx, session.id());
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
            cookie.clear(ctx);
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

    private static void refuseCrossSite(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null) {
            if (!site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
                throw ProblemType.CROSS_SITE_REQUEST.problem("a login must come from this server's own login page;"
                        + " this one came from a page of another site (Sec-Fetch-Site: " + SafeText.escape(site) + ")");
            }
            return;
        }
        String origin = ctx.header("Origin");
        if (origin != null && !isThisHost(origin, ctx.header("Host"))) {
            throw ProblemType.CROSS_SITE_REQUEST.problem("a login must come from this server's own login page;"
                    + " this one came from the page at " + SafeText.escape(origin));
        }
    }

    /** Whether an {@code Origin} names the host and port of the {@code Host} header. */
    private static boolean isThisHost(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI uri = new URI(origin);
            if (uri.getHost() == null) {
                return false;
            }
            String authority = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            return authority.equalsIgnoreCase(host.strip());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private SessionView view(Principal principal, Optional<Session> session) {
        return new SessionView(
                principal.name(),
                principal.role().name(),
                principal.kind().name(),
                session.map(Session::csrfToken).orElse(null),
                principal.kind() == Principal.Kind.USER && access.passwordChangeRequired(principal.name()));
    }

    private static long ceilSeconds(Duration duration) {
        return duration.plusMillis(999).toSeconds();
    }
}
