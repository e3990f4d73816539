package com.anycontact.innolicense.store.postgres;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/** A seat call waiting in {@link PostgresSeatStore} for its batch, with the future its answer completes. */
sealed interface SeatCall {

    /** Completes the call's answer with what its batch decided (of the type the call answers). */
    void complete(Object answer);

    /** Completes the call's answer with the failure of its batch. */
    void fail(Throwable failure);

    /** The call's instant, on the node's clock, in epoch milliseconds. */
    long nowMillis();

    /** A claim, or the renewal of the agent's lease. */
    record Claim(
            ClaimRequest request, int capacity, long nowMillis, long ttlMillis, CompletableFuture<ClaimResult> answer)
            implements SeatCall {

        Claim(ClaimRequest request, int capacity, long nowMillis, long ttlMillis) {
            this(request, capacity, nowMillis, ttlMillis, new CompletableFuture<>());
        }

        @Override
        public void complete(Object answer) {
            this.answer.complete((ClaimResult) answer);
        }

        @Override
        public void fail(Throwable failure) {
            answer.completeExceptionally(failure);
        }
    }

    /**
     * The release of the agent's live lease; answers the live leases after it when there was one, empty when
     * there was none.
     */
    record Release(AgentId agent, long nowMillis, CompletableFuture<OptionalInt> answer) implements SeatCall {

        Release(AgentId agent, long nowMillis) {
            this(agent, nowMillis, new CompletableFuture<>());
        }

        @Override
        public void complete(Object answer) {
            this.answer.complete((OptionalInt) answer);
        }

        @Override
        public void fail(Throwable failure) {
            answer.completeExceptionally(failure);
        }
    }
}
