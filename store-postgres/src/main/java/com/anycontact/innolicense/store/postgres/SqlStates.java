package com.anycontact.innolicense.store.postgres;

import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Predicate;

/** Finds what PostgreSQL said (its SQLSTATE) in a failure, wherever the driver or the pool wrapped it. */
final class SqlStates {

    /** How deep a chain of causes is followed: a cycle the driver or the pool made must not loop for ever. */
    private static final int DEPTH = 16;

    private SqlStates() {}

    /**
     * The first SQLSTATE that {@code wanted} accepts in {@code failure}, its causes, or the chain of next exceptions
     * of any {@link SQLException} among them; empty when there is none.
     */
    static Optional<String> find(Throwable failure, Predicate<String> wanted) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < DEPTH; depth++) {
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && wanted.test(state)) {
                    return Optional.of(state);
                }
                SQLException next = sql.getNextException();
                if (next != null && next != cause) {
                    Optional<String> found = find(next, wanted);
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        return Optional.empty();
    }
}
