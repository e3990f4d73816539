package com.anycontact.innolicense.http;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness and readiness for load balancers and orchestrators, open to anyone. They tell nothing beyond up
 * or down per check. A change of readiness is logged once, with the failure, not at every probe.
 */
final class HealthRoutes {

    /** Up or down. */
    enum Status {
        UP,
        DOWN
    }

    /** A healthy answer: the overall status and each check's. */
    record HealthView(Status status, Map<String, Status> checks) {}

    private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);

    private final List<HealthCheck> readiness;
    private final Json json;
    private final AtomicReference<Boolean> wasReady = new AtomicReference<>();

    HealthRoutes(List<HealthCheck> readiness, Json json) {
        this.readiness = List.copyOf(readiness);
        this.json = json;
    }

    void live(Context ctx) {
        json.write(ctx, 200, new HealthView(Status.UP, Map.of()));
    }

    void ready(Context ctx) {
        Map<String, Status> checks = new LinkedHashMap<>();
        RuntimeException failure = null;
        for (HealthCheck check : readiness) {
            Status status;
            try {
                status = check.check().getAsBoolean() ? Status.UP : Status.DOWN;
            } catch (RuntimeException e) {
                status = Status.DOWN;
                failure = failure == null ? e : failure;
            }
            checks.put(check.name(), status);
        }
        boolean ready = !checks.containsValue(Status.DOWN);
        Boolean before = wasReady.getAndSet(ready);
        if (before != null && before != ready) {
            if (ready) {
                LOG.info("ready again: {}", checks);
            } else {
                LOG.warn("not ready: {}", checks, failure);
            }
        }
        if (!ready) {
            throw ProblemType.NOT_READY.problem(
                    "not ready: "
                            + String.join(
                                    ", ",
                                    checks.entrySet().stream()
                                            .filter(e -> e.getValue() == Status.DOWN)
                                            .map(Map.Entry::getKey)
                                            .toList())
                            + " down",
                    Map.of("checks", checks));
        }
        json.write(ctx, 200, new HealthView(Status.UP, checks));
    }
}
