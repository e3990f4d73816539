package com.anycontact.innolicense.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.Lease;
import com.anycontact.innolicense.store.StoreUnavailableException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journaled store when the database cannot be written, with real SQLite causes: a full database ({@code
 * PRAGMA max_page_count}), another connection holding SQLite's write lock, a write refused inside the
 * transaction. In each: the decisions made before stay pending and are acked once written, never before;
 * meanwhile claims and releases are refused with {@link StoreUnavailableException} and renewals of seats already
 * held are answered; when the cause goes away the store serves again without a restart, and a crash after it
 * loses nothing acked.
 */
class JournaledSeatStoreOutageTest {

    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(60);
    private static final Duration NEVER = Duration.ofDays(1);
    private static final String STATION = "desk " + "x".repeat(120);

    @TempDir
    Path dataDirectory;

    private SqliteDatabase database;
    private JournaledSeatStore store;

    @BeforeEach
    void open() {
        database = SqliteDatabase.open(dataDirectory);
        store = JournaledSeatStore.open(database, T0, TTL, NEVER);
    }

    @AfterEach
    void close() {
        try {
            store.halt();
        } finally {
            database.close();
        }
    }

    @Test
    void databaseFull_refusesClaimsAnswersRenewals_andRecoversWhenThereIsRoomAgain() throws Exception {
        Lease alice = claimed(store.claim(request("alice"), 1_000, T0, TTL));
        long pages = database.write(sql -> {
            try (var rows = sql.prepare("PRAGMA page_count").executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
        setMaxPageCount(pages);

        List<CompletableFuture<ClaimResult>> pending = new ArrayList<>();
        for (int i = 0; store.unavailableFor().isZero() && i < 10_000; i++) {
            try {
                pending.add(store.claimAsync(request("agent-" + i), 1_000, T0, TTL));
            } catch (StoreUnavailableException e) {
                break;
            }
            pending.removeIf(CompletableFuture::isDone);
            if (!pending.isEmpty()) {
                awaitTrue(() ->
                        !store.unavailableFor().isZero() || pending.stream().allMatch(CompletableFuture::isDone));
            }
        }
        assertThat(store.unavailableFor())
                .as("the store noticed the full database")
                .isPositive();
        assertThat(store.unavailableBecause()).get().asString().containsIgnoringCase("full");

        assertUnavailableButRenewing(alice, pending);

        setMaxPageCount(1_000_000);
        awaitTrue(() -> store.unavailableFor().isZero());
        for (CompletableFuture<ClaimResult> claim : pending) {
            claimed(claim.get(30, TimeUnit.SECONDS));
        }
        assertServesAgainAndLosesNothingInACrash();
    }

    @Test
    void writeLockHeldByAnotherConnection_refusesClaims_andRecoversWhenItIsFreed() throws Exception {
        Lease alice = claimed(store.claim(request("alice"), 10, T0, TTL));
        List<CompletableFuture<ClaimResult>> pending = new ArrayList<>();
        try (Connection other = connect();
                Statement statement = other.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            pending.add(store.claimAsync(request("bob"), 10, T0, TTL));
            awaitTrue(() -> !store.unavailableFor().isZero());
            assertThat(store.unavailableBecause()).get().asString().containsIgnoringCase("locked");

            assertUnavailableButRenewing(alice, pending);

            statement.execute("ROLLBACK");
        }
        awaitTrue(() -> store.unavailableFor().isZero());
        claimed(pending.getFirst().get(30, TimeUnit.SECONDS));
        assertServesAgainAndLosesNothingInACrash();
    }

    @Test
    void writeRefusedInsideTheTransaction_refusesClaims_andRecoversWhenTheCauseIsGone() throws Exception {
        Lease alice = claimed(store.claim(request("alice"), 10, T0, TTL));
        List<CompletableFuture<ClaimResult>> pending = new ArrayList<>();
        try (Connection other = connect();
                Statement statement = other.createStatement()) {
            statement.execute("CREATE TRIGGER seat_journal_refused BEFORE INSERT ON seat_journal"
                    + " BEGIN SELECT RAISE(ABORT, 'refused by a test'); END");
            CompletableFuture<Boolean> release;
            try (HeldWriter writer = HeldWriter.hold(database)) {
                pending.add(store.claimAsync(request("bob"), 10, T0, TTL));
                release = store.releaseAsync(agent("alice"), T0.plusSeconds(1));
                writer.release();
            }
            awaitTrue(() -> !store.unavailableFor().isZero());

            assertThat(release)
                    .as("a release decided before the failure waits for its commit")
                    .isNotDone();
            Thread.sleep(200);
            assertThat(pending.getFirst()).isNotDone();
            assertThatThrownBy(() -> store.claim(request("carol"), 10, T0, TTL))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("refused by a test");

            statement.execute("DROP TRIGGER seat_journal_refused");
            assertThat(release.get(30, TimeUnit.SECONDS)).isTrue();
        }
        awaitTrue(() -> store.unavailableFor().isZero());
        claimed(pending.getFirst().get(30, TimeUnit.SECONDS));
        assertThat(store.leases(T0.plusSeconds(1))).extracting(Lease::agent).doesNotContain(alice.agent());
        assertServesAgainAndLosesNothingInACrash();
    }

    /** While the store cannot write: claims, releases and renewals of undurable leases are refused, renewals answered. */
    private void assertUnavailableButRenewing(Lease alice, List<CompletableFuture<ClaimResult>> pending)
            throws InterruptedException {
        StoreUnavailableException refused =
                (StoreUnavailableException) catchThrowable(() -> store.claim(request("carol"), 1_000, T0, TTL));
        assertThat(refused.retryAfter()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(store.claimAsync(request("carol"), 1_000, T0, TTL))
                .failsWithin(Duration.ofSeconds(30))
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> store.release(agent("alice"), T0)).isInstanceOf(StoreUnavailableException.class);
        assertThat(store.reap(T0.plus(TTL).plus(TTL))).as("reaping waits").isEmpty();

        ClaimResult renewal = store.claim(request("alice"), 1_000, T0.plusSeconds(20), TTL);
        assertThat(renewal).isInstanceOf(ClaimResult.Renewed.class);
        assertThat(((ClaimResult.Renewed) renewal).lease().expiresAt())
                .isEqualTo(T0.plusSeconds(20).plus(TTL));
        assertThat(((ClaimResult.Renewed) renewal).lease().claimSequence()).isEqualTo(alice.claimSequence());

        Thread.sleep(200);
        assertThat(pending)
                .as("decisions made before the failure are acked only after their commit")
                .noneMatch(CompletableFuture::isDone);
        assertThat(pending.isEmpty()).isFalse();
    }

    private void assertServesAgainAndLosesNothingInACrash() {
        Instant later = T0.plusSeconds(30);
        claimed(store.claim(request("dave"), 10_000, later, TTL));
        assertThat(store.release(agent("dave"), later)).isTrue();
        List<AgentId> before = store.leases(later).stream().map(Lease::agent).toList();
        store.halt();
        database.close();

        database = SqliteDatabase.open(dataDirectory);
        store = JournaledSeatStore.open(database, later, TTL, NEVER);

        assertThat(store.leases(later)).extracting(Lease::agent).containsExactlyElementsOf(before);
    }

    private void setMaxPageCount(long pages) {
        database.write(sql -> sql.prepare("PRAGMA max_page_count = " + pages).execute());
    }

    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database.file());
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 10000");
        }
        return connection;
    }

    private static Throwable catchThrowable(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a refusal");
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(10);
        }
    }

    private static Lease claimed(ClaimResult result) {
        assertThat(result).isInstanceOf(ClaimResult.Claimed.class);
        return ((ClaimResult.Claimed) result).lease();
    }

    private static ClaimRequest request(String agent) {
        return new ClaimRequest(new AgentId(agent), "acd-1", STATION);
    }

    private static AgentId agent(String agent) {
        return new AgentId(agent);
    }
}
