package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reaping node renews the planner's statistics of the lease table when the table has outgrown the ones the
 * claims' plans were made on ({@link PostgresSeatStore#statisticsOutgrown}), so that a login storm into a table
 * that was empty does not run on plans made for an empty table until autovacuum gets to it. Autovacuum is off for
 * the test's lease table, so that what the statistics say is only what the store did.
 */
class LeaseStatisticsTest {

    private static final Instant NOW = Instant.parse("2027-01-15T10:00:00Z");

    private PostgresSchema schema;
    private PostgresSeatStore store;

    @BeforeEach
    void create() throws SQLException {
        schema = PostgresSchema.create(getClass());
        store = new PostgresSeatStore(schema.open());
        schema.execute("ALTER TABLE lease SET (autovacuum_enabled = false)");
        schema.execute("VACUUM ANALYZE lease");
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void theRule_aTableOfAFewHundredLeasesThatMoreThanDoubled() {
        assertThat(PostgresSeatStore.statisticsOutgrown(-1, 199))
                .as("never analyzed, 199 leases")
                .isFalse();
        assertThat(PostgresSeatStore.statisticsOutgrown(-1, 200))
                .as("never analyzed, 200 leases")
                .isTrue();
        assertThat(PostgresSeatStore.statisticsOutgrown(0, 200))
                .as("analyzed empty, 200 leases")
                .isTrue();
        assertThat(PostgresSeatStore.statisticsOutgrown(150, 300))
                .as("150 then 300")
                .isFalse();
        assertThat(PostgresSeatStore.statisticsOutgrown(150, 301))
                .as("150 then 301")
                .isTrue();
        assertThat(PostgresSeatStore.statisticsOutgrown(10_000, 20_000)).isFalse();
        assertThat(PostgresSeatStore.statisticsOutgrown(10_000, 20_001)).isTrue();
        assertThat(PostgresSeatStore.statisticsOutgrown(10_000, 0)).as("shrunk").isFalse();
    }

    @Test
    void aTableThatWasEmptyAndFilled_isAnalyzedByTheNextReap() throws Exception {
        assertThat(analyzedLeases()).as("the empty table, vacuumed").isZero();
        insertLeases(0, 1_000);
        awaitCountedLeases(1_000);

        assertThat(store.reap(NOW)).isEmpty();

        assertThat(analyzedLeases())
                .as("the leases the planner's statistics know of after the reap")
                .isEqualTo(1_000);
    }

    @Test
    void aFewLeases_orATableThatDidNotDouble_areLeftToAutovacuum() throws Exception {
        insertLeases(0, 150);
        awaitCountedLeases(150);
        store.reap(NOW);
        assertThat(analyzedLeases())
                .as("150 leases, below the 200 worth analyzing")
                .isZero();

        insertLeases(150, 500);
        awaitCountedLeases(500);
        store.reap(NOW);
        assertThat(analyzedLeases()).as("500 leases").isEqualTo(500);

        insertLeases(500, 1_000);
        awaitCountedLeases(1_000);
        store.reap(NOW);
        assertThat(analyzedLeases()).as("1,000 leases: twice 500, not more").isEqualTo(500);

        insertLeases(1_000, 1_001);
        awaitCountedLeases(1_001);
        store.reap(NOW);
        assertThat(analyzedLeases()).as("1,001 leases").isEqualTo(1_001);
    }

    /** Leases {@code from} to {@code to - 1}, live for an hour, written on a connection that is then closed. */
    private void insertLeases(int from, int to) throws SQLException {
        long at = NOW.toEpochMilli();
        schema.execute("INSERT INTO lease (agent_id, claimed_at, renewed_at, expires_at, claim_seq)"
                + " SELECT 'agent-' || g, " + at + ", " + at + ", " + (at + 3_600_000) + ", g"
                + " FROM generate_series(" + from + ", " + (to - 1) + ") g");
    }

    /** Waits until the statistics system counts the leases (a backend reports its changes within a second). */
    private void awaitCountedLeases(long leases) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (countedLeases() != leases) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the statistics system counts " + countedLeases() + " leases, not " + leases);
            }
            Thread.sleep(50);
        }
    }

    private long countedLeases() throws SQLException {
        return schema.queryLong("SELECT pg_stat_get_live_tuples('lease'::regclass)");
    }

    private long analyzedLeases() throws SQLException {
        return schema.queryLong("SELECT reltuples::bigint FROM pg_class WHERE oid = 'lease'::regclass");
    }
}
