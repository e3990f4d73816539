package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The argument of {@link PostgresSeatStore} (and docs/cluster.md), shown with two connections in a fixed
 * interleaving instead of a race: a guarded insert alone grants beyond capacity under READ COMMITTED, and
 * {@code claim_seat} makes the second claim wait for the first and then count its lease.
 */
class ClaimLockTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final long TTL = 60_000;

    private static final String GUARDED_INSERT = """
            INSERT INTO lease (agent_id, claimed_at, renewed_at, expires_at, claim_seq)
            SELECT ?, ?, ?, ?, ? WHERE (SELECT count(*) FROM lease WHERE expires_at > ?) < ?""";

    private PostgresSchema schema;

    @BeforeEach
    void migrate() {
        schema = PostgresSchema.create(getClass());
        schema.open();
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void aGuardedInsertAlone_grantsBeyondCapacityWhenTwoTransactionsOverlap() throws SQLException {
        try (Connection first = schema.connect();
                Connection second = schema.connect()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);

            assertThat(guardedInsert(first, "alice", 1, 1)).isEqualTo(1);
            assertThat(guardedInsert(second, "bob", 2, 1))
                    .as("the second insert counts in a snapshot without the first, uncommitted, lease")
                    .isEqualTo(1);
            first.commit();
            second.commit();
        }

        assertThat(liveLeases()).as("two leases for one seat").isEqualTo(2);
    }

    @Test
    void claimSeat_makesTheSecondClaimWaitForTheFirstAndCountItsLease() throws Exception {
        try (Connection first = schema.connect();
                Connection second = schema.connect()) {
            first.setAutoCommit(false);
            assertThat(claimSeat(first, "alice", 1)).isEqualTo("CLAIMED");

            CompletableFuture<String> secondClaim = CompletableFuture.supplyAsync(() -> {
                try {
                    return claimSeat(second, "bob", 1);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            schema.awaitLockWait("claim_seat");
            assertThat(secondClaim).as("waiting for the claim lock").isNotDone();
            first.commit();

            assertThat(secondClaim.get(30, TimeUnit.SECONDS)).isEqualTo("DENIED");
        }

        assertThat(liveLeases()).isEqualTo(1);
    }

    private static int guardedInsert(Connection connection, String agent, long claimSeq, int capacity)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(GUARDED_INSERT)) {
            insert.setString(1, agent);
            insert.setLong(2, NOW);
            insert.setLong(3, NOW);
            insert.setLong(4, NOW + TTL);
            insert.setLong(5, claimSeq);
            insert.setLong(6, NOW);
            insert.setInt(7, capacity);
            return insert.executeUpdate();
        }
    }

    private static String claimSeat(Connection connection, String agent, int capacity) throws SQLException {
        try (PreparedStatement claim =
                connection.prepareStatement("SELECT o_outcome FROM claim_seat(?, NULL, NULL, ?, ?, ?)")) {
            claim.setString(1, agent);
            claim.setLong(2, NOW);
            claim.setLong(3, TTL);
            claim.setInt(4, capacity);
            try (ResultSet row = claim.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    private long liveLeases() throws SQLException {
        try (Connection connection = schema.connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM lease WHERE expires_at > " + NOW)) {
            row.next();
            return row.getLong(1);
        }
    }
}
