package com.anycontact.innolicense.simulator;

import java.time.Instant;

/**
 * What a simulated agent needs from the license server: claim a seat, and then release or abandon it. The
 * simulation plays over the Java SDK ({@link SdkSeatDesk}); tests use a fake.
 */
interface SeatDesk {

    /**
     * Claims a seat for an agent; waits for the answer.
     *
     * @param lost run, on any thread, if the seat is lost without being released or abandoned (it expired,
     *     capacity dropped, an administrator released it)
     */
    Claim claim(String agentId, String station, Runnable lost);

    /** Releases every seat still held (not those abandoned) and lets go of the connection. */
    void close();

    /** The answer to a claim. */
    sealed interface Claim {

        /** A seat was granted. */
        record Granted(HeldSeat seat) implements Claim {}

        /**
         * No seat was free: a denial.
         *
         * @param capacity the seats usable, or -1 when the server did not say
         */
        record Denied(int capacity) implements Claim {}

        /**
         * The claim failed: the server could not be reached or refused the request.
         *
         * @param detail what went wrong, for people
         * @param fatal whether trying again cannot help (the token refused, the URL wrong)
         */
        record Failed(String detail, boolean fatal) implements Claim {}
    }

    /** A seat an agent holds, renewed in the background until it is released or abandoned. */
    interface HeldSeat {

        /** The expiry of the latest claim or renewal; each renewal moves it on. */
        Instant expiresAt();

        /** Releases the seat: the agent logs out. */
        void release();

        /** Stops renewing without releasing: the agent crashed, and the server reaps the seat at its expiry. */
        void abandon();
    }
}
