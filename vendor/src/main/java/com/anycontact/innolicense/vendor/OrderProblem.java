package com.anycontact.innolicense.vendor;

import java.util.Objects;

/**
 * One thing wrong with an order, for the person who wrote it.
 *
 * @param field the JSON path of the field, e.g. {@code seats}, {@code customer.name} or {@code features[2]};
 *     {@code order} for the document as a whole
 * @param message what is wrong and what to do, e.g. {@code must be a whole number from 1 to 100000, was 0}
 */
public record OrderProblem(String field, String message) {

    /** Requires both parts. */
    public OrderProblem {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    /** The problem as one line: {@code field: message}. */
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
