package com.anycontact.innolicense.http;

import com.anycontact.innolicense.cluster.ClockSkewedException;
import com.anycontact.innolicense.store.DatabaseUnreachableException;
import com.anycontact.innolicense.store.StoreUnavailableException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.http.NotFoundResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become HTTP answers: every failure, whether a {@link ProblemException} thrown by a
 * handler, an error Javalin raises (unknown route, body too large) or a bug, is written as
 * {@code application/problem+json} with a stable {@code type}. A bug is logged with its trace and answered
 * without internals.
 */
final class Problems {

    /** The media type of every error answer. */
    static final String MEDIA_TYPE = "application/problem+json";

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private final ObjectMapper mapper;

    Problems(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void register(RoutesConfig routes) {
        routes.exception(ProblemException.class, (e, ctx) -> write(ctx, e));
        routes.exception(HttpResponseException.class, (e, ctx) -> write(ctx, translate(e, ctx)));
        routes.exception(StoreUnavailableException.class, (e, ctx) -> write(ctx, storeUnavailable(e)));
        routes.exception(DatabaseUnreachableException.class, (e, ctx) -> write(ctx, databaseUnavailable(e)));
        routes.exception(ClockSkewedException.class, (e, ctx) -> write(ctx, clockSkewed(e)));
        routes.exception(Exception.class, this::internalError);
    }

    /**
     * The answer to any other exception: 500, logged. It never throws: Javalin hands an exception thrown by an
     * exception handler back to the handlers, so a handler that throws what it handles loops without end (Javalin
     * issue 2422). That happened when a request's future completed after Jetty had recycled its response: reading
     * the path threw, and the loop logged tens of warnings a millisecond. Such a request has no one to answer.
     */
    void internalError(Exception e, Context ctx) {
        String request;
        try {
            request = ctx.method() + " " + ctx.path();
        } catch (RuntimeException gone) {
            LOG.warn("a request failed after its response was gone; nothing to answer", e);
            return;
        }
        LOG.warn("{} failed", request, e);
        try {
            write(ctx, ProblemType.INTERNAL_ERROR.problem("the server failed to answer; its log has the details"));
        } catch (RuntimeException unanswerable) {
            LOG.warn("{}: the error could not be answered either: {}", request, unanswerable.toString());
        }
    }

    /**
     * The answer to a seat call the seat store refused because it cannot write: 503 with {@code Retry-After}, on the
     * route and the fast path alike. The embedded store refuses claims and releases and still answers renewals of
     * seats already held; the cluster database refuses whatever call it cannot write (a full disk: new leases
     * first, then renewals). Not logged here: the store logs the outage once when it starts and once when it ends,
     * not per request.
     */
    static ProblemException storeUnavailable(StoreUnavailableException refusal) {
        long seconds = Math.max(1, refusal.retryAfter().toSeconds());
        return ProblemType.STORE_UNAVAILABLE
                .problem(
                        "the server cannot record changes right now, so this call was refused and nothing"
                                + " of it happened. Retry after " + seconds + " s; the server's log says why",
                        Map.of("retryAfterSeconds", seconds))
                .withHeader("Retry-After", Long.toString(seconds));
    }

    /**
     * The answer to any call that needs the cluster database while it cannot be reached: 503 with {@code
     * Retry-After}, at once, on the route and the fast path alike. Not logged here: the database logs the outage
     * once when it starts and once when it ends.
     */
    static ProblemException databaseUnavailable(DatabaseUnreachableException refusal) {
        long seconds = Math.max(1, refusal.retryAfter().toSeconds());
        return ProblemType.DATABASE_UNAVAILABLE
                .problem(
                        "the server cannot reach its database right now, so it cannot answer this; nothing was"
                                + " changed. Retry after " + seconds + " s; the server's log says why",
                        Map.of("retryAfterSeconds", seconds))
                .withHeader("Retry-After", Long.toString(seconds));
    }

    /**
     * The answer to a seat call on a cluster node whose clock is not known to agree with the database's: 503 with
     * {@code Retry-After}, on the route and the fast path alike, saying the offset and the bound. Not logged per
     * request: the node logs when it stops and starts serving.
     */
    static ProblemException clockSkewed(ClockSkewedException refusal) {
        long seconds = Math.max(1, refusal.retryAfter().toSeconds());
        Map<String, Object> members = new java.util.LinkedHashMap<>();
        members.put(
                "clockOffsetMillis",
                refusal.offset().map(java.time.Duration::toMillis).orElse(null));
        members.put("maxClockOffsetMillis", refusal.bound().toMillis());
        members.put("retryAfterSeconds", seconds);
        return ProblemType.CLOCK_SKEWED
                .problem(refusal.getMessage() + ". Retry after " + seconds + " s, here or on another node", members)
                .withHeader("Retry-After", Long.toString(seconds));
    }

    private static ProblemException translate(HttpResponseException e, Context ctx) {
        if (e instanceof NotFoundResponse) {
            return ProblemType.NOT_FOUND.problem("no resource at " + ctx.method() + " " + ctx.path());
        }
        if (e instanceof MethodNotAllowedResponse) {
            return ProblemType.METHOD_NOT_ALLOWED.problem(ctx.method() + " is not allowed on " + ctx.path());
        }
        if (e.getStatus() == HttpStatus.CONTENT_TOO_LARGE.getCode()) {
            return ProblemType.REQUEST_TOO_LARGE.problem("the request body is too large");
        }
        return new ProblemException(ProblemType.HTTP_ERROR, e.getStatus(), String.valueOf(e.getMessage()), Map.of());
    }

    void write(Context ctx, ProblemException problem) {
        Rendered rendered = render(problem);
        rendered.headers().forEach(ctx::header);
        ctx.status(rendered.status()).contentType(MEDIA_TYPE).result(rendered.body());
    }

    /** A problem as it is answered: the status, the extra headers and the {@link #MEDIA_TYPE} body. */
    record Rendered(int status, Map<String, String> headers, byte[] body) {}

    /** Renders the problem, for answers written outside Javalin ({@link SeatFastPath}). */
    Rendered render(ProblemException problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type().uri().toString());
        body.put("title", problem.type().title());
        body.put("status", problem.httpStatus());
        body.put("detail", problem.detail());
        problem.members().forEach(body::putIfAbsent);
        try {
            return new Rendered(problem.httpStatus(), problem.headers(), mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a problem as JSON", e);
        }
    }
}
