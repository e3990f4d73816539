package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tally of the leases not freed (migration V17), from which the store counts the live leases without reading
 * them: every writer of {@code lease} keeps it (the triggers), the rows of backends that are gone are folded into
 * one without changing the sum, a {@code TRUNCATE} resets it, and the migration starts it from the leases that
 * were there. {@link PostgresSeatStoreClusterModelTest} checks the sum against the leases after every step of its
 * histories.
 */
class LeaseTallyTest {

    private static final Instant NOW = Instant.parse("2027-01-15T10:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(60);

    private PostgresSchema schema;

    @BeforeEach
    void create() {
        schema = PostgresSchema.create(getClass());
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void theRowsOfBackendsThatAreGone_areFoldedIntoOne_andTheSumStays() throws Exception {
        PostgresSeatStore first = new PostgresSeatStore(schema.open());
        for (String agent : new String[] {"alice", "bob", "carol"}) {
            assertThat(first.claim(request(agent), 10, NOW, TTL)).isInstanceOf(ClaimResult.Claimed.class);
        }
        first.release(new AgentId("bob"), NOW);
        assertThat(tallyRows()).as("rows of the first node's backends").isGreaterThan(1);

        PostgresSeatStore second = new PostgresSeatStore(schema.reopen());
        assertThat(second.claim(request("dave"), 10, NOW, TTL)).isInstanceOf(ClaimResult.Claimed.class);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (backendsOfGoneRows() > 0 && System.nanoTime() < deadline) {
            second.reap(NOW);
            Thread.sleep(50);
        }
        assertThat(backendsOfGoneRows())
                .as("tally rows of backends no longer connected")
                .isZero();
        assertThat(tallySum()).isEqualTo(3);
        assertThat(second.inUse(NOW)).isEqualTo(3);
        assertThat(second.claim(request("erin"), 4, NOW, TTL)).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(second.claim(request("frank"), 4, NOW, TTL))
                .as("four seats, four held")
                .isEqualTo(new ClaimResult.Denied(4, 4));
    }

    @Test
    void leasesWrittenByHand_areTalliedToo() throws Exception {
        PostgresSeatStore store = new PostgresSeatStore(schema.open());
        long at = NOW.toEpochMilli();
        schema.execute("INSERT INTO lease (agent_id, claimed_at, renewed_at, expires_at, claim_seq) VALUES"
                + " ('x', " + at + ", " + at + ", " + (at + 60_000) + ", 100),"
                + " ('y', " + at + ", " + at + ", " + (at + 60_000) + ", 101),"
                + " ('z', " + at + ", " + at + ", " + (at + 1_000) + ", 102)");
        assertThat(store.inUse(NOW)).isEqualTo(3);
        assertThat(store.inUse(NOW.plusSeconds(2))).as("z has expired").isEqualTo(2);

        schema.execute("UPDATE lease SET freed_at = " + at + " WHERE agent_id = 'x'");
        assertThat(store.inUse(NOW)).as("x freed").isEqualTo(2);
        schema.execute("UPDATE lease SET freed_at = NULL WHERE agent_id = 'x'");
        assertThat(store.inUse(NOW)).as("x no longer freed").isEqualTo(3);
        schema.execute("DELETE FROM lease WHERE agent_id = 'y'");
        assertThat(store.inUse(NOW)).isEqualTo(2);

        schema.execute("TRUNCATE lease");
        assertThat(store.inUse(NOW)).isZero();
        assertThat(tallySum()).isZero();
        assertThat(store.claim(request("w"), 1, NOW, TTL)).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(store.inUse(NOW)).isEqualTo(1);
    }

    @Test
    void theMigration_startsTheTallyFromTheLeasesThere() throws Exception {
        Flyway.configure(PostgresDatabase.class.getClassLoader())
                .dataSource(schema.url().jdbcUrl(), null, null)
                .locations(PostgresDatabase.MIGRATIONS)
                .target("16")
                .load()
                .migrate();
        long at = NOW.toEpochMilli();
        schema.execute("INSERT INTO lease (agent_id, claimed_at, renewed_at, expires_at, claim_seq, freed_at) VALUES"
                + " ('live-1', " + at + ", " + at + ", " + (at + 60_000) + ", 1, NULL),"
                + " ('live-2', " + at + ", " + at + ", " + (at + 60_000) + ", 2, NULL),"
                + " ('freed', " + at + ", " + at + ", " + (at + 60_000) + ", 3, " + at + ")");
        schema.execute("UPDATE seat_counter SET last_claim_seq = 3");

        PostgresSeatStore store = new PostgresSeatStore(schema.open());

        assertThat(tallySum()).isEqualTo(2);
        assertThat(store.inUse(NOW)).isEqualTo(2);
        assertThat(store.claim(request("third"), 3, NOW, TTL)).isEqualTo(claimedWith(store, "third", 3));
        assertThat(store.claim(request("fourth"), 3, NOW, TTL)).isEqualTo(new ClaimResult.Denied(3, 3));
    }

    private static ClaimResult claimedWith(PostgresSeatStore store, String agent, int inUse) {
        return store.leases(NOW).stream()
                .filter(lease -> lease.agent().value().equals(agent))
                .findFirst()
                .<ClaimResult>map(lease -> new ClaimResult.Claimed(lease, inUse))
                .orElseThrow();
    }

    private static ClaimRequest request(String agent) {
        return new ClaimRequest(new AgentId(agent), "node-1", null);
    }

    private long tallySum() throws SQLException {
        return schema.queryLong("SELECT coalesce(sum(unfreed), 0) FROM lease_tally");
    }

    private long tallyRows() throws SQLException {
        return schema.queryLong("SELECT count(*) FROM lease_tally");
    }

    private long backendsOfGoneRows() throws SQLException {
        return schema.queryLong("SELECT count(*) FROM lease_tally t WHERE t.backend <> 0"
                + " AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = t.backend)");
    }
}
