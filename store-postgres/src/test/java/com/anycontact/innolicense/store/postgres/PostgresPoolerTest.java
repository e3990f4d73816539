package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.cluster.NodeHeartbeat;
import com.anycontact.innolicense.license.TrustMode;
import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.store.StoreException;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A node's database behind a real PgBouncer (Debian's 1.18): in transaction or statement mode, which share
 * PostgreSQL sessions between connections, the node refuses to open it, before anything is written, with a
 * message that says what to change ({@link OpeningChecks}); in session mode it works as on PostgreSQL itself.
 */
class PostgresPoolerTest {

    private static final Instant NOW = Instant.parse("2027-01-15T10:00:00Z");

    @Test
    void transactionPooling_isRefusedBeforeAnythingIsWritten() throws Exception {
        try (OwnPgBouncer pooler = OwnPgBouncer.start("transaction")) {
            assertThatThrownBy(() -> PostgresDatabase.open(pooler.url()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("two connections were served by the same PostgreSQL session")
                    .hasMessageContaining("two nodes could both lead")
                    .hasMessageContaining("pool_mode = session")
                    .hasMessageContaining("nothing was written");
            assertThat(pooler.hasTable("flyway_schema_history"))
                    .as("refused before the migrations")
                    .isFalse();
        }
    }

    /**
     * With round-robin assignment and server connections idle besides the one just used, a session may be handed
     * elsewhere than to the next transaction: the check still catches the sharing in its rounds.
     */
    @Test
    void transactionPoolingWithRoundRobinAndIdleServerConnections_isRefused() throws Exception {
        try (OwnPgBouncer pooler = OwnPgBouncer.start("transaction", "server_round_robin = 1")) {
            warmUp(pooler, 6);
            for (int attempt = 0; attempt < 5; attempt++) {
                assertThatThrownBy(() -> PostgresDatabase.open(pooler.url()))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("shares PostgreSQL sessions between connections");
            }
            assertThat(pooler.hasTable("flyway_schema_history")).isFalse();
        }
    }

    @Test
    void statementPooling_isRefusedBeforeAnythingIsWritten() throws Exception {
        try (OwnPgBouncer pooler = OwnPgBouncer.start("statement")) {
            assertThatThrownBy(() -> PostgresDatabase.open(pooler.url()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("closed a connection that began a transaction")
                    .hasMessageContaining("statement pooling mode")
                    .hasMessageContaining("pool_mode = session");
            assertThat(pooler.hasTable("flyway_schema_history")).isFalse();
        }
    }

    /**
     * Session mode: two nodes open the database, one of them leads until its node is missing (its session, named
     * after it, ended through the pooler), and seat calls run past the driver's threshold for preparing statements
     * on the server (five executions), which transaction mode breaks.
     */
    @Test
    void sessionPooling_works_oneNodeLeads_andPreparedStatementsLast() throws Exception {
        try (OwnPgBouncer pooler = OwnPgBouncer.start("session");
                PostgresDatabase first = PostgresDatabase.open(pooler.url(), 4);
                PostgresDatabase second = PostgresDatabase.open(pooler.url(), 4)) {
            PostgresLeaderLock firstLock = new PostgresLeaderLock(first);
            PostgresLeaderLock secondLock = new PostgresLeaderLock(second);
            try {
                assertThat(firstLock.tryAcquire("node-1")).isTrue();
                new PostgresNodeRegistry(first)
                        .heartbeat(new NodeHeartbeat(
                                "node-1",
                                "http://a:1",
                                "0.1.0",
                                NOW,
                                true,
                                Optional.empty(),
                                Duration.ofSeconds(2),
                                true,
                                TrustMode.PRODUCTION));
                for (int i = 0; i < 10; i++) {
                    assertThat(secondLock.tryAcquire("node-2")).isFalse();
                    assertThat(firstLock.stillHeld()).isTrue();
                }
                // A leader that stopped answering is found by its session's name through the pooler, and ended.
                Thread.sleep(50);
                assertThat(secondLock.endMissingHolder(Duration.ofMillis(10))).isTrue();
                assertThat(secondLock.tryAcquire("node-2")).isTrue();
                assertThat(firstLock.stillHeld()).isFalse();
            } finally {
                firstLock.close();
                secondLock.close();
            }
            PostgresSeatStore seats = new PostgresSeatStore(second);
            for (int i = 0; i < 10; i++) {
                AgentId agent = new AgentId("agent-" + i);
                assertThat(seats.claim(ClaimRequest.of(agent), 2, NOW.plusSeconds(i), Duration.ofMinutes(1)))
                        .isInstanceOf(ClaimResult.Claimed.class);
                assertThat(seats.release(agent, NOW.plusSeconds(i))).isTrue();
            }
        }
    }

    /**
     * A pooler switched to transaction mode under running nodes (the opening check has passed): with one server
     * connection in the pool, both nodes' leadership connections run in the one PostgreSQL session, where the
     * advisory lock is re-entrant. The second node must never lead beside the first. (The first may lose the lock
     * now and then: the driver's named prepared statements collide in the shared session, and a failed check
     * counts as not held. Nobody leading is the safe failure; both leading is not.)
     */
    @Test
    void transactionPoolingUnderRunningNodes_neverMakesTwoLeaders() throws Exception {
        try (OwnPgBouncer pooler = OwnPgBouncer.start("transaction", "default_pool_size = 1")) {
            PostgresLeaderLock first =
                    new PostgresLeaderLock(name -> PostgresDatabase.connect(pooler.url(), name, 5, 5));
            PostgresLeaderLock second =
                    new PostgresLeaderLock(name -> PostgresDatabase.connect(pooler.url(), name, 5, 5));
            try {
                assertThat(first.tryAcquire("node-1")).isTrue();
                int firstLed = 0;
                for (int round = 0; round < 20; round++) {
                    assertThat(second.tryAcquire("node-2"))
                            .as("round %d: node-2 leads in the session that holds the lock for node-1", round)
                            .isFalse();
                    if (first.tryAcquire("node-1")) {
                        firstLed++;
                    }
                }
                assertThat(firstLed).as("rounds node-1 led in").isPositive();
            } finally {
                first.close();
                second.close();
            }
        }
    }

    /** Makes the pooler open {@code count} server connections, by holding that many transactions at once. */
    private static void warmUp(OwnPgBouncer pooler, int count) throws Exception {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Connection connection = PostgresDatabase.connect(pooler.url(), "warm-up", 5, 5);
                held.add(connection);
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
            }
        } finally {
            for (Connection connection : held) {
                connection.rollback();
                connection.close();
            }
        }
    }
}
