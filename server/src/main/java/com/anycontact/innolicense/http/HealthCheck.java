package com.anycontact.innolicense.http;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * One check that {@code GET /health/ready} runs, e.g. that the database answers a trivial read; a liveness check
 * is run by {@code GET /health/live} too, and should fail only when restarting the process is the cure.
 *
 * @param name how the answer names it, e.g. {@code database}
 * @param check {@code true} when up; {@code false} or an exception when down
 * @param liveness whether {@code GET /health/live} runs it as well
 */
public record HealthCheck(String name, BooleanSupplier check, boolean liveness) {

    /** Requires both components. */
    public HealthCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
    }

    /** A readiness check. */
    public HealthCheck(String name, BooleanSupplier check) {
        this(name, check, false);
    }

    /** A check that both {@code /health/live} and {@code /health/ready} run. */
    public static HealthCheck liveness(String name, BooleanSupplier check) {
        return new HealthCheck(name, check, true);
    }
}
