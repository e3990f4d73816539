package com.anycontact.innolicense.client;

import java.util.Objects;

/**
 * Why a lease was lost, told to {@link LeaseListener}s once per lease.
 *
 * @param reason what happened, for the ACD to decide what to do
 * @param detail a sentence for logs and operators, from the server when it gave one
 */
public record LeaseLoss(Reason reason, String detail) {

    /** Checks that both parts are present. */
    public LeaseLoss {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    /** What ended a lease. In every case the agent no longer holds a seat. */
    public enum Reason {
        /**
         * The server let the lease expire: it answered a renewal saying the lease had lapsed and no seat was
         * free to claim it again, or kept giving answers this client could not use until the lease ran out.
         */
        EXPIRED,
        /**
         * The licensed capacity dropped (a grace period ended, or a key with fewer seats was applied) and this
         * lease was among the last claimed, so the server refused to renew it and released it.
         */
        CAPACITY_REDUCED,
        /** The server no longer knows the lease (404 at a renewal). */
        RELEASED,
        /**
         * An administrator released the agent's seat (force-release in AC Agent Dashboard, the API or the CLI);
         * the detail carries who, when and the reason given, and when the agent's claims are refused until, if
         * they are. Log the agent out and tell them; do not claim again at once.
         */
        RELEASED_BY_ADMINISTRATOR,
        /** No renewal reached the server (network failures, 5xx, 429) until the lease had expired. */
        SERVER_UNREACHABLE,
        /** The server refused the ACD token (401 or 403): it was revoked or lost its role. */
        UNAUTHORIZED
    }
}
