package com.anycontact.innolicense.http;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * One check that {@code GET /health/ready} runs, e.g. that the database answers a trivial read.
 *
 * @param name how the answer names it, e.g. {@code database}
 * @param check {@code true} when up; {@code false} or an exception when down
 */
public record HealthCheck(String name, BooleanSupplier check) {

    /** Requires both components. */
    public HealthCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
    }
}
