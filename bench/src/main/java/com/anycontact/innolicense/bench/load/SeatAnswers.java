package com.anycontact.innolicense.bench.load;

import java.io.IOException;

/**
 * What the server's status codes for seat calls mean to an arbiter that sends raw HTTP ({@link RawHttpArbiter},
 * {@link ClusterArbiter}): docs/http-api.md. Anything else is an error of the run.
 */
final class SeatAnswers {

    private SeatAnswers() {}

    /** A claim: 201 granted, 200 renewed (both hold a seat), 409 denied. */
    static boolean claimed(String agent, int status) throws IOException {
        return switch (status) {
            case 201, 200 -> true;
            case 409 -> false;
            default -> throw new IOException("claim of " + agent + " answered " + status);
        };
    }

    /** A renewal: 200 renewed; 201 (the lease had gone and was claimed anew) and 409 count as lost. */
    static boolean renewed(String agent, int status) throws IOException {
        return switch (status) {
            case 200 -> true;
            case 201, 409 -> false;
            default -> throw new IOException("renewal of " + agent + " answered " + status);
        };
    }

    /** A release: 204 released, 404 held nothing. */
    static void released(String agent, int status) throws IOException {
        if (status != 204 && status != 404) {
            throw new IOException("release of " + agent + " answered " + status);
        }
    }
}
