package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.cluster.ClockSkewedException;
import com.anycontact.innolicense.cluster.Cluster;
import com.anycontact.innolicense.cluster.ClusterStatus;
import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.SeatStore;
import com.anycontact.innolicense.store.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deadline by which a node's batch of seat calls must take effect in a real PostgreSQL, as the cluster stores
 * wire it: put on the database's clock with the least offset the node's clock reading allows. The node here agrees
 * with the database (both read this machine's clock), but its latest reading took 3 s because its thread was not
 * run after the answer came (so the middle of the round trip puts it 1.5 s ahead, give or take 1.5 s); a claim it
 * had queued for a second meanwhile still takes effect. Taken at the middle, the deadline came 1.5 s early and
 * refused the claim as too late.
 */
class SeatCallDeadlineOnANodeTest {

    private TestPostgres database;
    private PostgresStores stores;

    @BeforeEach
    void open() {
        database = TestPostgres.create(getClass());
        stores = PostgresStores.open(database.url());
    }

    @AfterEach
    void close() {
        if (stores != null) {
            stores.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aCallQueuedWhileTheClockReadingTookLong_isNotRefusedAsLate() {
        SeatStore seats =
                stores.openSeats(Instant.now(), Duration.ofMinutes(1), new Measured(Duration.ofMillis(1_500)));
        Instant queuedASecondAgo = Instant.now().minusSeconds(1);

        ClaimResult result = seats.claim(
                new ClaimRequest(new AgentId("agent-1"), "acd-1", null), 5, queuedASecondAgo, Duration.ofMinutes(1));

        assertThat(result).isInstanceOf(ClaimResult.Claimed.class);
    }

    @Test
    void aCallHeldLongerThanTheDeadlineAllows_isStillRefused() {
        SeatStore seats =
                stores.openSeats(Instant.now(), Duration.ofMinutes(1), new Measured(Duration.ofMillis(1_500)));
        Instant heldFiveSecondsAgo = Instant.now().minusSeconds(5);

        assertThatThrownBy(() -> seats.claim(
                        new ClaimRequest(new AgentId("agent-1"), "acd-1", null),
                        5,
                        heldFiveSecondsAgo,
                        Duration.ofMinutes(1)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("too late");
    }

    /** A serving node whose latest reading put it {@code offset} ahead of the database, give or take as much. */
    private record Measured(Duration offset) implements Cluster {

        @Override
        public void tick() {}

        @Override
        public boolean leads() {
            return true;
        }

        @Override
        public Optional<ClockSkewedException> seatRefusal() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> clockOffset() {
            return Optional.of(offset);
        }

        @Override
        public Optional<Duration> clockOffsetAtLeast() {
            return Optional.of(Duration.ZERO);
        }

        @Override
        public ClusterStatus status() {
            throw new UnsupportedOperationException("not asked");
        }

        @Override
        public void close() {}
    }
}
