package com.anycontact.innolicense.license;

import java.util.Objects;

/**
 * A license status as the audit log records its transitions: the state, the capacity and the license in force.
 *
 * @param state the lifecycle state
 * @param capacity the seats it allows
 * @param license the license in force, {@code "<license ID> (serial <n>)"}, or {@code "none"}
 */
public record AuditedStatus(LicenseState state, int capacity, String license) {

    /** Requires every component, a capacity not below zero. */
    public AuditedStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(license, "license");
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, was " + capacity);
        }
    }

    /** The audited part of {@code status}. */
    public static AuditedStatus of(LicenseStatus status) {
        return new AuditedStatus(
                status.state(),
                status.capacity(),
                status.current()
                        .map(license -> license.licenseId() + " (serial " + license.serial() + ")")
                        .orElse("none"));
    }
}
