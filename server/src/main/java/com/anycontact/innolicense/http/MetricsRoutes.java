package com.anycontact.innolicense.http;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** {@code GET /metrics}: every meter in the Prometheus text format, version 0.0.4. */
final class MetricsRoutes {

    /** The media type of the Prometheus text format. */
    static final String MEDIA_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    MetricsRoutes(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    void scrape(Context ctx) {
        ctx.status(200).contentType(MEDIA_TYPE).result(registry.scrape());
    }
}
