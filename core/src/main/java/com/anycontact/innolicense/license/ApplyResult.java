package com.anycontact.innolicense.license;

import java.util.Objects;

/** The outcome of applying a license key, or of previewing what applying it would do. */
public sealed interface ApplyResult {

    /**
     * The key was applied (or, for a preview, would be).
     *
     * @param license the terms of the key
     * @param status the status with the key applied, at the instant of applying; a future-dated key shows as
     *     {@link LicenseStatus#pending()} while the state stays what it was
     */
    record Applied(License license, LicenseStatus status) implements ApplyResult {
        /** Requires both fields. */
        public Applied {
            Objects.requireNonNull(license, "license");
            Objects.requireNonNull(status, "status");
        }
    }

    /**
     * The key was refused; nothing changed.
     *
     * @param reason the stable reason code
     * @param message what exactly was wrong, for people
     */
    record Refused(RejectionReason reason, String message) implements ApplyResult {
        /** Requires both fields. */
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }
}
