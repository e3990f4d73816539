package com.anycontact.innolicense.license;

import java.util.Objects;

/**
 * Something an administrator should act on, shown wherever the license status is shown.
 *
 * @param code what kind of warning this is, stable for programs
 * @param message the warning for people; every instant in it is written with its zone
 */
public record LicenseWarning(Code code, String message) {

    /** Kinds of warning; of the {@code EXPIRES_WITHIN_*} codes at most one applies, the tightest. */
    public enum Code {
        /** The term of the license in force ends within 30 days. */
        EXPIRES_WITHIN_30_DAYS,
        /** The term of the license in force ends within 14 days. */
        EXPIRES_WITHIN_14_DAYS,
        /** The term of the license in force ends within 7 days. */
        EXPIRES_WITHIN_7_DAYS,
        /** The term of the license in force ends within 1 day. */
        EXPIRES_WITHIN_1_DAY,
        /** The term has ended and the grace period is running. */
        IN_GRACE,
        /** The license in force has lapsed; only the demo capacity remains. */
        DEMO_MODE,
        /** No license has been applied. */
        UNLICENSED,
        /** The applied licenses have not started yet. */
        PENDING,
        /**
         * The system clock stepped away from trusted time beyond the tolerance and has not come back. Not a
         * state of the license: the lifecycle never gives it; the server adds it where it shows the status
         * beside a reading of the {@link TrustedClock}.
         */
        CLOCK_JUMPED,
        /**
         * Another node of the cluster runs on development trust: it accepts license keys that this node ignores.
         * Not a state of the license either; the server adds it from the node registry.
         */
        DEVELOPMENT_TRUST_IN_CLUSTER
    }

    /** Requires both fields. */
    public LicenseWarning {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
