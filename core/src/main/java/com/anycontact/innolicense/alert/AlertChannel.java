package com.anycontact.innolicense.alert;

import java.util.Optional;

/** One way of delivering alerts (webhook, e-mail); the server provides one per {@link Subscription.Channel}. */
public interface AlertChannel {

    /**
     * Sends one delivery once, without retrying; never throws for a receiver's failure.
     *
     * @param delivery what to send where
     * @param timestamp the attempt's time in seconds since the epoch (a webhook's {@code webhook-timestamp})
     */
    Outcome send(Delivery delivery, long timestamp);

    /**
     * How a send ended.
     *
     * @param delivered whether the receiver took it
     * @param statusCode the HTTP status or SMTP reply code, when one came
     * @param error what went wrong, for people, never holding a secret; empty when delivered
     */
    record Outcome(boolean delivered, Optional<Integer> statusCode, Optional<String> error) {

        /** Delivered, with the receiver's code. */
        public static Outcome deliveredWith(int statusCode) {
            return new Outcome(true, Optional.of(statusCode), Optional.empty());
        }

        /** Delivered; the channel has no code to tell. */
        public static Outcome deliveredWithoutCode() {
            return new Outcome(true, Optional.empty(), Optional.empty());
        }

        /** Failed, with the receiver's code when one came. */
        public static Outcome failed(Optional<Integer> statusCode, String error) {
            return new Outcome(false, statusCode, Optional.of(error));
        }
    }
}
