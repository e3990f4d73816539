package com.anycontact.innolicense.store.postgres;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * By when a batch of seat calls must take effect, on the database's clock, or not at all (migration V19). A
 * node cut off from the database by a network partition has sent statements that the network holds and delivers
 * when it heals; without a deadline they would then run with their old instants, long after the node, and the
 * agent's SDK, gave up on them and went on through another node.
 */
@FunctionalInterface
public interface SeatCallDeadline {

    /** No deadline: a batch takes effect whenever it reaches the database. */
    SeatCallDeadline NONE = oldestCallMillis -> OptionalLong.empty();

    /**
     * The latest instant of the database's clock, in epoch milliseconds, at which a batch may still commit.
     *
     * @param oldestCallMillis the instant of the batch's oldest call, on this node's clock
     * @return the deadline, or empty for none
     */
    OptionalLong notAfter(long oldestCallMillis);

    /**
     * A batch takes effect within {@code maxAge} of its oldest call's instant, both on the database's clock: the
     * call's instant (this node's clock) less the node's offset to the database's clock (node minus database, as
     * the node measures it every second; give it the least offset the measurement allows, so that an error of the
     * measurement puts the deadline back rather than forward), plus {@code maxAge}. While the offset is unknown there is no deadline;
     * a node then serves no seat calls anyway (it cannot tell that its clock agrees, docs/cluster.md).
     */
    static SeatCallDeadline within(Duration maxAge, Supplier<Optional<Duration>> offsetToDatabase) {
        long maxAgeMillis = maxAge.toMillis();
        Objects.requireNonNull(offsetToDatabase, "offsetToDatabase");
        return oldestCallMillis -> offsetToDatabase
                .get()
                .map(offset -> OptionalLong.of(oldestCallMillis - offset.toMillis() + maxAgeMillis))
                .orElseGet(OptionalLong::empty);
    }
}
