package com.anycontact.innolicense.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness and readiness for load balancers and orchestrators, open to anyone. They tell nothing beyond up
 * or down per check. Readiness runs every check; liveness only those marked {@link HealthCheck#liveness()},
 * which fail only when a restart is the cure. A change of either is logged once, with the failure, not at every
 * probe.
 */
final class HealthRoutes {

    /** Up or down. */
    enum Status {
        UP,
        DOWN
    }

    /**
     * A healthy answer: the overall status and each check's, and on the cluster database the cluster as this node
     * sees it (null, and left out, when embedded).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HealthView(Status status, Map<String, Status> checks, ClusterRoutes.ClusterView cluster) {}

    private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);

    private final List<HealthCheck> readiness;
    private final Json json;
    private final AtomicReference<Boolean> wasReady = new AtomicReference<>();
    private final AtomicReference<Boolean> wasLive = new AtomicReference<>();

    private final Supplier<ClusterRoutes.ClusterView> cluster;

    HealthRoutes(List<HealthCheck> readiness, Json json) {
        this(readiness, json, () -> null);
    }

    /** With the cluster's view shown in the readiness answer, up or down; {@code cluster} gives null when embedded. */
    HealthRoutes(List<HealthCheck> readiness, Json json, Supplier<ClusterRoutes.ClusterView> cluster) {
        this.readiness = List.copyOf(readiness);
        this.json = json;
        this.cluster = cluster;
    }

    void live(Context ctx) {
        answer(ctx, readiness.stream().filter(HealthCheck::liveness).toList(), wasLive, "live", null);
    }

    void ready(Context ctx) {
        answer(ctx, readiness, wasReady, "ready", clusterView());
    }

    private ClusterRoutes.ClusterView clusterView() {
        try {
            return cluster.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void answer(
            Context ctx,
            List<HealthCheck> run,
            AtomicReference<Boolean> was,
            String what,
            ClusterRoutes.ClusterView clusterView) {
        Map<String, Status> checks = new LinkedHashMap<>();
        RuntimeException failure = null;
        for (HealthCheck check : run) {
            Status status;
            try {
                status = check.check().getAsBoolean() ? Status.UP : Status.DOWN;
            } catch (RuntimeException e) {
                status = Status.DOWN;
                failure = failure == null ? e : failure;
            }
            checks.put(check.name(), status);
        }
        boolean up = !checks.containsValue(Status.DOWN);
        Boolean before = was.getAndSet(up);
        if (before != null && before != up) {
            if (up) {
                LOG.info("{} again: {}", what, checks);
            } else {
                LOG.warn("not {}: {}", what, checks, failure);
            }
        }
        if (!up) {
            Map<String, Object> members = new LinkedHashMap<>();
            members.put("checks", checks);
            if (clusterView != null) {
                members.put("cluster", clusterView);
            }
            throw ProblemType.NOT_READY.problem(
                    "not " + what + ": "
                            + String.join(
                                    ", ",
                                    checks.entrySet().stream()
                                            .filter(e -> e.getValue() == Status.DOWN)
                                            .map(Map.Entry::getKey)
                                            .toList())
                            + " down"
                            + (clusterView != null && clusterView.reason() != null ? ": " + clusterView.reason() : ""),
                    members);
        }
        json.write(ctx, 200, new HealthView(Status.UP, checks, clusterView));
    }
}
