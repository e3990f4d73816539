package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server whose seat store cannot write because another connection holds SQLite's write lock on its
 * database: claims and releases are answered 503 {@code store-unavailable} with {@code Retry-After}, the same on
 * the fast path and on the route; renewals of seats already held are answered; {@code /health/ready} is down
 * while it lasts and {@code /health/live} once it has lasted two lease TTLs; when the lock is freed the claim
 * made before is answered and service returns without a restart.
 */
class SeatStoreOutageApiTest {

    @TempDir
    Path dataDirectory;

    private RunningServer running;

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void whileTheDatabaseWriteLockIsHeldElsewhere_claimsAre503OnBothPaths_renewalsAnswered_andServiceReturns()
            throws Exception {
        running = RunningServer.start(dataDirectory);
        running.apply(1, 5);
        String acd = running.token("ACD");
        Api api = running.api;
        assertThat(api.claim(acd, "alice").status()).isEqualTo(201);

        CompletableFuture<Api.Reply> bob;
        try (Connection other = connect();
                Statement statement = other.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            bob = CompletableFuture.supplyAsync(() -> api.claim(acd, "bob"));
            awaitTrue(() -> api.get("/health/ready", null).status() == 503);

            Api.Reply ready = api.get("/health/ready", null);
            assertThat(ready.json().path("checks").path("seat-writes").asText()).isEqualTo("DOWN");
            assertThat(api.get("/health/live", null).status())
                    .as("live within the bound")
                    .isEqualTo(200);

            Api.Reply fast = api.claim(acd, "carol");
            Api.Reply route = api.putJson("/api/v1/seats/carol", acd, "{\"node\":\"acd-1\"" + " ".repeat(5_000) + "}");
            for (Api.Reply refused : new Api.Reply[] {fast, route}) {
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.problemType()).isEqualTo("store-unavailable");
                assertThat(refused.header("Retry-After"))
                        .get()
                        .satisfies(
                                seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 5L));
                assertThat(refused.json().path("detail").asText()).doesNotContain("SQLITE");
            }
            assertThat(fast.json().path("title").asText())
                    .isEqualTo(route.json().path("title").asText());
            assertThat(api.delete("/api/v1/seats/alice", acd).status()).isEqualTo(503);

            assertThat(api.claim(acd, "alice").status())
                    .as("a renewal of a seat held")
                    .isEqualTo(200);
            assertThat(bob)
                    .as("the claim made before the outage waits for its commit")
                    .isNotDone();

            statement.execute("ROLLBACK");
        }
        assertThat(bob.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        awaitTrue(() -> api.get("/health/ready", null).status() == 200);
        assertThat(api.claim(acd, "carol").status()).isEqualTo(201);
        assertThat(api.delete("/api/v1/seats/carol", acd).status()).isEqualTo(204);
    }

    @Test
    void whenTheStoreCannotWriteForTwoLeaseTtls_healthLiveGoesDown_soASupervisorRestartsTheServer() throws Exception {
        running = RunningServer.start(
                dataDirectory,
                new FakeTime(RunningServer.START),
                RunningServer.config(dataDirectory).toBuilder()
                        .leaseTtl(Duration.ofSeconds(1))
                        .build());
        running.apply(1, 5);
        String acd = running.token("ACD");
        Api api = running.api;
        try (Connection other = connect();
                Statement statement = other.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            CompletableFuture<Api.Reply> bob = CompletableFuture.supplyAsync(() -> api.claim(acd, "bob"));
            awaitTrue(() -> api.get("/health/ready", null).status() == 503);

            awaitTrue(() -> api.get("/health/live", null).status() == 503);
            Api.Reply live = api.get("/health/live", null);
            assertThat(live.json()
                            .path("checks")
                            .path("seat-writes-within-bound")
                            .asText())
                    .isEqualTo("DOWN");

            statement.execute("ROLLBACK");
            assertThat(bob.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        }
        awaitTrue(() -> api.get("/health/live", null).status() == 200);
    }

    private Connection connect() throws SQLException {
        Connection connection =
                DriverManager.getConnection("jdbc:sqlite:" + dataDirectory.resolve(SqliteDatabase.FILE_NAME));
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 10000");
        }
        return connection;
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(50);
        }
    }
}
