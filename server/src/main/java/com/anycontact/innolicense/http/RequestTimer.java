package com.anycontact.innolicense.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
        Timer.builder("http.server.requests")
                .description("HTTP requests answered, by method, route and status")
                .tag("method", ctx.method().name())
                .tag("uri", template(ctx))
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(registry)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private static String template(Context ctx) {
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        return endpoint == null ? UNMATCHED : endpoint.path;
    }
}
