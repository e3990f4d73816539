package com.anycontact.innolicense.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every request as {@code http.server.requests} (Prometheus: {@code http_server_requests_seconds}),
 * tagged with the method, the route's path template (never the raw path, so that agent IDs do not become
 * labels; {@code NOT_FOUND} when no route matched) and the status.
 */
final class RequestTimer {

    private static final String STARTED = "innolicense.requestStarted";
    private static final String UNMATCHED = "NOT_FOUND";

    private final MeterRegistry registry;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    RequestTimer(MeterRegistry registry) {
        this.registry = registry;
    }

    void register(RoutesConfig routes) {
        routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        routes.after(this::record);
    }

    private void record(Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started == null) {
            return;
        }
        record(ctx.method().name(), template(ctx), ctx.statusCode(), System.nanoTime() - started);
    }

    /** Records one request answered, for answers written outside Javalin ({@link SeatFastPath}). */
    void record(String method, String uri, int status, long nanos) {
        timers.computeIfAbsent(new Key(method, uri, status), this::timer).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The tags of one timer; routes are templates, so there are few. */
    private record Key(String method, String uri, int status) {}

    private Timer timer(Key key) {
        return Timer.builder("http.server.requests")
                .description("HTTP requests answered, by method, route and status")
                .tag("method", key.method())
                .tag("uri", key.uri())
                .tag("status", Integer.toString(key.status()))
                .register(registry);
    }

    private static String template(Context ctx) {
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        return endpoint == null ? UNMATCHED : endpoint.path;
    }
}
