package com.anycontact.innolicense.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One reading of the database's clock, between two readings of the node's own.
 *
 * @param sent the node's clock just before the query was sent
 * @param database the database's clock while it answered
 * @param received the node's clock just after the answer arrived
 */
public record ClockReading(Instant sent, Instant database, Instant received) {

    /** Requires every component, {@code received} not before {@code sent}. */
    public ClockReading {
        Objects.requireNonNull(sent, "sent");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(received, "received");
        if (received.isBefore(sent)) {
            throw new IllegalArgumentException("received " + received + " before sent " + sent);
        }
    }

    /**
     * The node's clock minus the database's: the database read its clock at some moment between {@code sent} and
     * {@code received}, taken as the middle.
     */
    public Duration offset() {
        Duration halfTrip = roundTrip().dividedBy(2);
        return Duration.between(database, sent.plus(halfTrip));
    }

    /** How far {@link #offset()} may be wrong: half the round trip. */
    public Duration uncertainty() {
        return roundTrip().dividedBy(2);
    }

    /** The round trip as the node's clock measured it. */
    public Duration roundTrip() {
        return Duration.between(sent, received);
    }

    /**
     * Whether the offset is within the bound for certain: its size plus its {@link #uncertainty()} is no larger
     * than {@code bound}.
     */
    public boolean within(Duration bound) {
        return offset().abs().plus(uncertainty()).compareTo(bound) <= 0;
    }

    /**
     * Whether the offset is beyond the bound for certain: its size less its {@link #uncertainty()} is larger than
     * {@code bound}. A reading neither {@link #within} nor beyond the bound cannot tell (its round trip was too
     * slow for how close the offset is to the bound).
     */
    public boolean beyond(Duration bound) {
        return offset().abs().minus(uncertainty()).compareTo(bound) > 0;
    }
}
