package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.store.postgres.PostgresDatabase;
import com.anycontact.innolicense.store.postgres.PostgresSeatStore;
import com.anycontact.innolicense.store.postgres.PostgresUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A grant in the cluster is acknowledged only once it is durable: flushed, and on the synchronous standby when
 * one is configured (migration V14's barrier). On a PostgreSQL server of the test's own, a synchronous standby is
 * named that never connects, so every commit that waits for it waits until the test lets it go: a grant's
 * answer must wait too. Before 2026-12-03 the barrier was {@code SELECT txid_current()}, which writes no log
 * record and so waited for nothing, and this test failed: the claim was answered at once (the cluster fault run's
 * failover round had lost a grant acknowledged 2 ms before the primary died).
 */
class DurableGrantTest {

    private static final Duration TTL = Duration.ofMinutes(1);
    private static final Instant NOW = Instant.parse("2027-01-15T09:00:00Z");

    private OwnPostgres postgres;
    private PostgresDatabase database;

    @AfterEach
    void stopEverything() throws Exception {
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aGrant_isAnsweredOnlyOnceTheSynchronousStandbyHasIt() throws Exception {
        postgres = OwnPostgres.start();
        database = PostgresDatabase.open(postgres.url());
        PostgresSeatStore store = new PostgresSeatStore(database);
        assertThat(store.claim(ClaimRequest.of(new AgentId("alice")), 5, NOW, TTL))
                .isInstanceOf(ClaimResult.Claimed.class);

        synchronousStandby("'never_connects'");
        try {
            CompletableFuture<ClaimResult> bob =
                    store.claimAsync(ClaimRequest.of(new AgentId("bob")), 5, NOW.plusSeconds(1), TTL);
            CompletableFuture<ClaimResult> carol =
                    store.claimAsync(ClaimRequest.of(new AgentId("carol")), 5, NOW.plusSeconds(1), TTL);

            Thread.sleep(2_000);
            assertThat(bob)
                    .as("bob's grant, answered before the standby has it")
                    .isNotDone();
            assertThat(carol)
                    .as("carol's grant, answered before the standby has it")
                    .isNotDone();

            synchronousStandby("''");
            assertThat(bob.get(30, TimeUnit.SECONDS)).isInstanceOf(ClaimResult.Claimed.class);
            assertThat(carol.get(30, TimeUnit.SECONDS)).isInstanceOf(ClaimResult.Claimed.class);
        } finally {
            synchronousStandby("''");
        }
    }

    /**
     * Names the synchronous standby ({@code ''}: none) and has the server reload its configuration, then gives
     * its processes a second to read it (they do so between commands, within milliseconds).
     */
    private void synchronousStandby(String names) throws SQLException, InterruptedException {
        PostgresUrl url = postgres.url();
        try (Connection connection = DriverManager.getConnection(
                        url.jdbcUrl(),
                        url.user().orElse("postgres"),
                        url.password().orElse(null));
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER SYSTEM SET synchronous_standby_names = " + names);
            statement.execute("SELECT pg_reload_conf()");
        }
        Thread.sleep(1_000);
    }
}
