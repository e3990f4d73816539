package com.anycontact.innolicense.http;

import com.anycontact.innolicense.access.AccessService;
import com.anycontact.innolicense.access.Principal;
import com.anycontact.innolicense.access.Session;
import com.anycontact.innolicense.access.Sessions;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides before every matched route who is calling and whether its role may: a bearer API token
 * ({@code Authorization: Bearer …}) or the session cookie, whose writes must also carry the session's
 * {@code X-CSRF-Token}. Answers 401 without or with bad credentials, 403 for a role not allowed or a
 * missing CSRF token, and 403 to a browser session of a user who must first change the generated password
 * for all but reading and ending the session and changing that password.
 */
final class Authenticator {

    /** The header that must repeat the session's CSRF token on writes made with the session cookie. */
    static final String CSRF_HEADER = "X-CSRF-Token";

    private static final String PRINCIPAL = "innolicense.principal";
    private static final String SESSION = "innolicense.session";
    private static final Set<HandlerType> SAFE_METHODS = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);

    private final AccessService access;
    private final Sessions sessions;
    private final SessionCookie cookie;

    Authenticator(AccessService access, Sessions sessions, SessionCookie cookie) {
        this.access = access;
        this.sessions = sessions;
        this.cookie = cookie;
    }

    /** The check run before every matched route. */
    void check(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.contains(ApiRole.ANYONE)) {
            return;
        }
        Principal principal = authenticate(ctx);
        if (!roles.contains(ApiRole.AUTHENTICATED) && !roles.contains(ApiRole.of(principal.role()))) {
            throw ProblemType.ROLE_NOT_ALLOWED.problem("this route is for "
                    + roles.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "))
                    + "; you are " + principal.role());
        }
        Optional<Session> session = session(ctx);
        if (session.isPresent() && !SAFE_METHODS.contains(ctx.method())) {
            String csrf = ctx.header(CSRF_HEADER);
            if (csrf == null || !session.get().csrfMatches(csrf)) {
                throw ProblemType.CSRF_TOKEN_MISSING.problem("a write with the session cookie must send the header "
                        + CSRF_HEADER + " with the csrfToken returned at login");
            }
        }
        if (session.isPresent()
                && principal.kind() == Principal.Kind.USER
                && !allowedBeforePasswordChange(ctx, principal)
                && access.passwordChangeRequired(principal.name())) {
            throw ProblemType.PASSWORD_CHANGE_REQUIRED.problem("the password of " + principal.name()
                    + " was generated at first start; set a new one with PUT " + HttpApi.PREFIX + "/users/"
                    + principal.name() + "/password first");
        }
    }

    /** What a session whose user must change the password may still do: read or end it, change that password. */
    private static boolean allowedBeforePasswordChange(Context ctx, Principal principal) {
        String path = ctx.path();
        if (path.equals(HttpApi.PREFIX + "/session")) {
            return ctx.method() != HandlerType.POST;
        }
        String username = ctx.pathParamMap().get("username");
        return ctx.method() == HandlerType.PUT
                && username != null
                && username.equalsIgnoreCase(principal.name())
                && path.startsWith(HttpApi.PREFIX + "/users/")
                && path.endsWith("/password");
    }

    private Principal authenticate(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw ProblemType.AUTHENTICATION_REQUIRED
                        .problem("the Authorization header must be 'Bearer <token>'")
                        .withHeader("WWW-Authenticate", "Bearer");
            }
            String secret = authorization.substring(7).strip();
            Principal principal = access.authenticateToken(secret).orElseThrow(() -> refused(secret));
            ctx.attribute(PRINCIPAL, principal);
            return principal;
        }
        String sessionId = cookie.read(ctx).orElse(null);
        if (sessionId != null) {
            Session session = sessions.find(sessionId)
                    .orElseThrow(() ->
                            ProblemType.INVALID_CREDENTIALS.problem("the session has ended or expired; log in again"));
            ctx.attribute(SESSION, session);
            ctx.attribute(PRINCIPAL, session.principal());
            return session.principal();
        }
        throw ProblemType.AUTHENTICATION_REQUIRED
                .problem("send an API token as 'Authorization: Bearer <token>', or log in with POST /api/v1/session")
                .withHeader("WWW-Authenticate", "Bearer");
    }

    /** Why a token was refused: expired (and when), or unknown or revoked. */
    private ProblemException refused(String secret) {
        return access.expiredAt(secret)
                .map(at -> ProblemType.TOKEN_EXPIRED
                        .problem("the API token expired at " + at + "; create a new one (admin token create)")
                        .withHeader(
                                "WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"expired\""))
                .orElseGet(() -> ProblemType.INVALID_CREDENTIALS
                        .problem("the API token is unknown or revoked")
                        .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\""));
    }

    /** The caller, as authenticated by {@link #check}; only for routes that are not {@link ApiRole#ANYONE}. */
    static Principal principal(Context ctx) {
        Principal principal = ctx.attribute(PRINCIPAL);
        if (principal == null) {
            throw new IllegalStateException("no principal on " + ctx.method() + " " + ctx.path());
        }
        return principal;
    }

    /** The session the caller used, when it came with the session cookie. */
    static Optional<Session> session(Context ctx) {
        return Optional.ofNullable(ctx.attribute(SESSION));
    }
}
