package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.store.StoreUnavailableException;
import com.anycontact.innolicense.store.postgres.PostgresDatabase;
import com.anycontact.innolicense.store.postgres.PostgresSeatStore;
import com.anycontact.innolicense.store.postgres.PostgresUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A seat call in the cluster that changed a lease is acknowledged only once it is durable: flushed, and on the
 * synchronous standby when one is configured. Batches commit without waiting for the disk (migrations V14 and V20)
 * and are acknowledged after a barrier, a synchronous commit of its own. On a PostgreSQL server of the test's own, a
 * synchronous standby is named that never connects, so every synchronous commit waits until the test lets it go:
 * the answers of grants, renewals and releases must wait too, and a denial, which need not be durable, must not.
 *
 * <p>What each case caught: before 2026-12-03 the barrier was {@code SELECT txid_current()}, which writes no log
 * record and so waited for nothing, and the grant case failed (the cluster fault run's failover round had lost a
 * grant acknowledged 2 ms before the primary died). Renewals and releases commit lazily since V20, so the second
 * case fails if they are not made to wait for the barrier. The denial case fails while the barrier is waited for on
 * the batch sender's thread (as before V20), since the node sends one batch at a time. The cancelled barrier case
 * fails if the barrier's warning is ignored: PostgreSQL answers a synchronous commit whose wait for the standby was
 * cancelled as if it had been replicated.
 */
class DurableSeatCallsTest {

    private static final Duration TTL = Duration.ofMinutes(1);
    private static final Instant NOW = Instant.parse("2027-01-15T09:00:00Z");
    private static final int CAPACITY = 3;

    private OwnPostgres postgres;
    private PostgresDatabase database;
    private PostgresSeatStore store;

    @BeforeEach
    void startPostgres() throws Exception {
        postgres = OwnPostgres.start();
        database = PostgresDatabase.open(postgres.url());
        store = new PostgresSeatStore(database);
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (postgres != null) {
            synchronousStandby("''");
        }
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aGrant_isAnsweredOnlyOnceTheSynchronousStandbyHasIt() throws Exception {
        assertThat(claim("alice", NOW)).isInstanceOf(ClaimResult.Claimed.class);

        synchronousStandby("'never_connects'");
        CompletableFuture<ClaimResult> bob = store.claimAsync(request("bob"), CAPACITY, NOW.plusSeconds(1), TTL);
        CompletableFuture<ClaimResult> carol = store.claimAsync(request("carol"), CAPACITY, NOW.plusSeconds(1), TTL);

        Thread.sleep(2_000);
        assertThat(bob).as("bob's grant, answered before the standby has it").isNotDone();
        assertThat(carol)
                .as("carol's grant, answered before the standby has it")
                .isNotDone();

        synchronousStandby("''");
        assertThat(bob.get(30, TimeUnit.SECONDS)).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(carol.get(30, TimeUnit.SECONDS)).isInstanceOf(ClaimResult.Claimed.class);
    }

    @Test
    void renewalsAndReleases_areAnsweredOnlyOnceTheSynchronousStandbyHasThem() throws Exception {
        assertThat(claim("alice", NOW)).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(claim("bob", NOW)).isInstanceOf(ClaimResult.Claimed.class);

        synchronousStandby("'never_connects'");
        CompletableFuture<ClaimResult> renewal = store.claimAsync(request("alice"), CAPACITY, NOW.plusSeconds(10), TTL);
        CompletableFuture<OptionalInt> release = store.releaseCountedAsync(new AgentId("bob"), NOW.plusSeconds(10));

        Thread.sleep(2_000);
        assertThat(renewal)
                .as("alice's renewal, answered before the standby has it")
                .isNotDone();
        assertThat(release)
                .as("bob's release, answered before the standby has it")
                .isNotDone();

        synchronousStandby("''");
        assertThat(renewal.get(30, TimeUnit.SECONDS)).isInstanceOf(ClaimResult.Renewed.class);
        assertThat(release.get(30, TimeUnit.SECONDS)).hasValue(1);
    }

    @Test
    void aDenial_isAnsweredAtOnce_whileTheGrantsBeforeItWaitForTheStandby() throws Exception {
        assertThat(claim("alice", NOW)).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(claim("bob", NOW)).isInstanceOf(ClaimResult.Claimed.class);

        synchronousStandby("'never_connects'");
        CompletableFuture<ClaimResult> carol = store.claimAsync(request("carol"), CAPACITY, NOW.plusSeconds(1), TTL);
        awaitBarrierWaiting();
        CompletableFuture<ClaimResult> dave = store.claimAsync(request("dave"), CAPACITY, NOW.plusSeconds(2), TTL);

        assertThat(dave.get(10, TimeUnit.SECONDS))
                .as("dave's denial, decided on carol's grant, which waits for the standby")
                .isEqualTo(new ClaimResult.Denied(CAPACITY, CAPACITY));
        assertThat(carol)
                .as("carol's grant, answered before the standby has it")
                .isNotDone();

        synchronousStandby("''");
        assertThat(carol.get(30, TimeUnit.SECONDS)).isInstanceOf(ClaimResult.Claimed.class);
    }

    @Test
    void aBarrierWhoseWaitForTheStandbyIsCancelled_acknowledgesNothing_andTheCallSentAgainFindsItsLease()
            throws Exception {
        synchronousStandby("'never_connects'");
        CompletableFuture<ClaimResult> alice = store.claimAsync(request("alice"), CAPACITY, NOW, TTL);
        awaitBarrierWaiting();

        execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE wait_event = 'SyncRep'");

        assertThat(alice)
                .as("alice's grant, acknowledged though the standby never had it")
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(StoreUnavailableException.class)
                .withMessageContaining("did not confirm");

        synchronousStandby("''");
        assertThat(claim("alice", NOW.plusSeconds(1)))
                .as("alice's claim sent again: her lease, committed but never acknowledged")
                .isInstanceOf(ClaimResult.Renewed.class);
    }

    private ClaimResult claim(String agent, Instant now) {
        return store.claim(request(agent), CAPACITY, now, TTL);
    }

    private static ClaimRequest request(String agent) {
        return ClaimRequest.of(new AgentId(agent));
    }

    /** Waits until a backend waits for the synchronous standby: the barrier of a batch that must be durable. */
    private void awaitBarrierWaiting() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Connection connection = connect();
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery(
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'")) {
                row.next();
                if (row.getInt(1) > 0) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no backend began to wait for the synchronous standby within 30 s");
    }

    /**
     * Names the synchronous standby ({@code ''}: none) and has the server reload its configuration, then gives
     * its processes a second to read it (they do so between commands, within milliseconds).
     */
    private void synchronousStandby(String names) throws SQLException, InterruptedException {
        execute("ALTER SYSTEM SET synchronous_standby_names = " + names);
        execute("SELECT pg_reload_conf()");
        Thread.sleep(1_000);
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private Connection connect() throws SQLException {
        PostgresUrl url = postgres.url();
        return DriverManager.getConnection(
                url.jdbcUrl(), url.user().orElse("postgres"), url.password().orElse(null));
    }
}
