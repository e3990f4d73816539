package com.anycontact.innolicense.license;

import java.util.Objects;

/** The outcome of verifying a license key: genuine with its license, or rejected with a reason. */
public sealed interface KeyVerification {

    /**
     * The key is genuine: signed by a trusted vendor key and, where asked, bound to this installation.
     *
     * @param license the verified terms
     */
    record Genuine(License license) implements KeyVerification {
        /** Requires the license. */
        public Genuine {
            Objects.requireNonNull(license, "license");
        }
    }

    /**
     * The key was rejected.
     *
     * @param reason the stable reason code
     * @param message what exactly was wrong, for people
     */
    record Rejected(RejectionReason reason, String message) implements KeyVerification {
        /** Requires both fields. */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }
}
