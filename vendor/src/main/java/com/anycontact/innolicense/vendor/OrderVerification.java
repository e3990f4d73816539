package com.anycontact.innolicense.vendor;

import java.util.List;

/** The outcome of verifying an order: the order, or every problem found in it. */
public sealed interface OrderVerification {

    /**
     * The order is complete and every field is valid.
     *
     * @param order the verified order, with defaults filled in
     */
    record Verified(Order order) implements OrderVerification {}

    /**
     * The order cannot be issued as it is.
     *
     * @param problems every problem found, in the order of the fields; never empty
     */
    record Refused(List<OrderProblem> problems) implements OrderVerification {

        /** Copies the list. */
        public Refused {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("a refused order has at least one problem");
            }
        }
    }
}
