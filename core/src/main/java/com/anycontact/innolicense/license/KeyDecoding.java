package com.anycontact.innolicense.license;

import java.util.Objects;

/** The outcome of decoding a license key without checking its signature. */
public sealed interface KeyDecoding {

    /**
     * The key decoded; its content is unverified until {@link LicenseVerifier} checked it.
     *
     * @param license the terms the key claims
     * @param formatVersion the key format version
     */
    record Decoded(License license, int formatVersion) implements KeyDecoding {
        /** Requires the license. */
        public Decoded {
            Objects.requireNonNull(license, "license");
        }
    }

    /**
     * The text could not be decoded.
     *
     * @param reason {@link RejectionReason#MALFORMED}, {@link RejectionReason#UNSUPPORTED_VERSION} or
     *     {@link RejectionReason#TOO_LARGE}
     * @param message what exactly was wrong, for people
     */
    record Undecodable(RejectionReason reason, String message) implements KeyDecoding {
        /** Requires both fields. */
        public Undecodable {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }
}
