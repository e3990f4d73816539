package com.anycontact.innolicense.http;

import java.net.URI;
import java.util.Map;

/**
 * Every kind of error the HTTP API answers, each with a stable {@code type} URI (RFC 9457), its status
 * and a title. Clients branch on the type, never on the title or detail text.
 */
public enum ProblemType {
    /** The request body is not valid JSON, has an unknown field or a field of the wrong type or value. */
    INVALID_BODY("invalid-body", 400, "The request body is invalid"),
    /** A path parameter is not an agent ID. */
    INVALID_AGENT_ID("invalid-agent-id", 400, "Not an agent ID"),
    /** A query parameter is unknown, repeated, or has a value the route does not accept; {@code parameter} names it. */
    INVALID_PARAMETER("invalid-parameter", 400, "A query parameter is invalid"),
    /** The request carries no credentials but the route needs them. */
    AUTHENTICATION_REQUIRED("authentication-required", 401, "Authentication required"),
    /** The bearer token is unknown or revoked, or the session cookie names no live session. */
    INVALID_CREDENTIALS("invalid-credentials", 401, "Invalid credentials"),
    /** The bearer token has expired; create a new one. */
    TOKEN_EXPIRED("token-expired", 401, "Token expired"),
    /** A claim through an ACD token bound to a node names another node. */
    NODE_MISMATCH("node-mismatch", 403, "Node not allowed for this token"),
    /** The caller is authenticated but its role may not use this route. */
    ROLE_NOT_ALLOWED("role-not-allowed", 403, "Role not allowed"),
    /** A write with a session cookie lacks the {@code X-CSRF-Token} header of its session. */
    CSRF_TOKEN_MISSING("csrf-token-missing", 403, "CSRF token missing or wrong"),
    /**
     * A browser session of a user whose password the server generated may only read the session, change its
     * own password and log out.
     */
    PASSWORD_CHANGE_REQUIRED("password-change-required", 403, "Password change required"),
    /** A login from a page of another site ({@code Origin} or {@code Sec-Fetch-Site}): login CSRF. */
    CROSS_SITE_REQUEST("cross-site-request", 403, "Cross-site request refused"),
    /** No route has this path. */
    NOT_FOUND("not-found", 404, "Not found"),
    /** The agent holds no live lease. */
    LEASE_NOT_HELD("lease-not-held", 404, "Lease not held"),
    /** No API token has this ID. */
    TOKEN_NOT_FOUND("token-not-found", 404, "Token not found"),
    /** No user has this username. */
    USER_NOT_FOUND("user-not-found", 404, "User not found"),
    /** No alert rule has this name. */
    ALERT_RULE_NOT_FOUND("alert-rule-not-found", 404, "Alert rule not found"),
    /** No alert subscription has this ID. */
    SUBSCRIPTION_NOT_FOUND("subscription-not-found", 404, "Subscription not found"),
    /** The route exists but not with this method. */
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    /** The route answers only a media type the request does not accept, e.g. an event stream. */
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
    /** No seat is free: a denial. */
    SEAT_LIMIT_REACHED("seat-limit-reached", 409, "Seat limit reached"),
    /** A renewal was refused because capacity dropped and the lease ranks beyond it; the lease is released. */
    CAPACITY_REDUCED("capacity-reduced", 409, "Capacity reduced"),
    /**
     * A claim or renewal of an agent whose seat an administrator released: told once, at the next call after the
     * release; {@code reason}, {@code releasedBy}, {@code releasedAt} and {@code blockedUntil} say more.
     */
    RELEASED_BY_ADMINISTRATOR("released-by-administrator", 409, "Released by an administrator"),
    /** A claim of an agent whose claims an administrator blocked; {@code blockedUntil} says until when. */
    AGENT_BLOCKED("agent-blocked", 409, "Agent blocked"),
    /** An unblock of an agent whose claims are not blocked. */
    BLOCK_NOT_FOUND("block-not-found", 404, "No block in force"),
    /** A user with this username exists already (usernames are compared ignoring ASCII case). */
    USERNAME_TAKEN("username-taken", 409, "Username taken"),
    /** The user is the last administrator, kept so that someone can still administer. */
    LAST_ADMIN("last-admin", 409, "Last administrator"),
    /** The request body is larger than the route accepts. */
    REQUEST_TOO_LARGE("request-too-large", 413, "Request too large"),
    /** The request body has a media type the route does not read: a JSON route reads only JSON. */
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    /** The license key was rejected; the {@code reason} member says why. */
    LICENSE_KEY_REJECTED("license-key-rejected", 422, "License key rejected"),
    /** Too many failed logins; retry after the {@code Retry-After} header. */
    LOGIN_THROTTLED("login-throttled", 429, "Too many failed logins"),
    /** The caller, or the whole server, has as many live-event streams open as allowed; close one first. */
    STREAM_LIMIT_REACHED("stream-limit-reached", 429, "Too many event streams"),
    /** Any other error with a status Javalin or Jetty chose. */
    HTTP_ERROR("http-error", 400, "Request failed"),
    /** A fault in the server; the detail has no internals and the log has the trace. */
    INTERNAL_ERROR("internal-error", 500, "Internal server error"),
    /**
     * The seat store cannot write its database right now (disk full, its write lock held, a failed commit): a
     * claim or release is refused, not made; retry after the {@code Retry-After} header. Renewals of seats
     * already held are still answered.
     */
    STORE_UNAVAILABLE("store-unavailable", 503, "Seat store unavailable"),
    /**
     * The cluster database (PostgreSQL) cannot be reached right now: the call was refused at once, nothing was
     * changed; retry after the {@code Retry-After} header.
     */
    DATABASE_UNAVAILABLE("database-unavailable", 503, "Database unavailable"),
    /**
     * This cluster node's clock is not known to agree with the cluster database's within its bound ({@code
     * --max-clock-offset}): it refuses claims, renewals and releases; {@code clockOffsetMillis} and {@code
     * maxClockOffsetMillis} say by how much, and another node (or this one after {@code Retry-After}) serves them.
     */
    CLOCK_SKEWED("clock-skewed", 503, "Node clock skewed"),
    /** A readiness check failed, or the server has not finished starting or is stopping; {@code checks} says which. */
    NOT_READY("not-ready", 503, "Not ready"),
    /** As many requests as the server runs at once are running; retry after {@code Retry-After}. */
    SERVER_BUSY("server-busy", 503, "Server busy"),
    /** As many passwords as the server checks at once are being checked; retry after {@code Retry-After}. */
    LOGIN_BUSY("login-busy", 503, "Too many logins at once");

    /** The base of every problem type URI. */
    public static final String BASE = "https://innoacd.anycontact.com/problems/";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    /** The stable URI, e.g. {@code https://innoacd.anycontact.com/problems/seat-limit-reached}. */
    public URI uri() {
        return URI.create(BASE + slug);
    }

    /** The last segment of the URI, e.g. {@code seat-limit-reached}. */
    public String slug() {
        return slug;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** A short summary that does not change from occurrence to occurrence. */
    public String title() {
        return title;
    }

    /** A problem of this type. */
    public ProblemException problem(String detail) {
        return new ProblemException(this, status, detail, Map.of());
    }

    /** A problem of this type with extension members, e.g. {@code capacity} and {@code inUse}. */
    public ProblemException problem(String detail, Map<String, Object> members) {
        return new ProblemException(this, status, detail, members);
    }
}
