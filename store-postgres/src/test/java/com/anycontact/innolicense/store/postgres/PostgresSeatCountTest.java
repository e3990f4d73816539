package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A customer who can write the cluster database tries for more seats than the license gives by changing the count
 * claims rely on ({@code lease_tally}), not the signed license: first showing that it works, then that {@link
 * PostgresSeatStore#repairSeatCount} finds it, says what it found, and puts the cap back.
 */
class PostgresSeatCountTest {

    private static final Instant NOW = Instant.parse("2027-01-15T10:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(1);
    private static final int CAPACITY = 3;

    private PostgresSchema schema;
    private PostgresDatabase database;
    private PostgresSeatStore seats;

    @BeforeEach
    void open() {
        schema = PostgresSchema.create(getClass());
        database = schema.open();
        seats = new PostgresSeatStore(database);
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void aCountUntouched_isFoundRight_afterClaimsReleasesAndReaps() {
        for (int i = 0; i < 6; i++) {
            claim("agent-" + i, NOW.plusSeconds(i));
        }
        seats.release(new AgentId("agent-0"), NOW.plusSeconds(10));
        seats.reap(NOW.plus(TTL).plusSeconds(1));
        claim("agent-9", NOW.plus(TTL).plusSeconds(2));

        assertThat(seats.repairSeatCount()).isEmpty();
    }

    @Test
    void aLoweredTally_grantsBeyondTheLicense_untilRepaired_thenTheCapHoldsAgain() throws Exception {
        for (int i = 0; i < CAPACITY; i++) {
            assertThat(claim("agent-" + i, NOW)).isInstanceOf(ClaimResult.Claimed.class);
        }
        assertThat(claim("agent-3", NOW)).isInstanceOf(ClaimResult.Denied.class);
        sql("UPDATE lease_tally SET unfreed = unfreed - 2 WHERE backend = 0");
        assertThat(claim("agent-3", NOW)).as("the attack works").isInstanceOf(ClaimResult.Claimed.class);
        assertThat(claim("agent-4", NOW)).isInstanceOf(ClaimResult.Claimed.class);

        assertThat(seats.repairSeatCount())
                .hasValueSatisfying(finding -> assertThat(finding)
                        .contains("the count of seats held was 3 where 5 leases are held (2 too few")
                        .contains("changed outside innolicense; set to 5"));

        assertThat(claim("agent-5", NOW)).isInstanceOf(ClaimResult.Denied.class);
        seats.release(new AgentId("agent-0"), NOW);
        seats.release(new AgentId("agent-1"), NOW);
        assertThat(claim("agent-5", NOW))
                .as("5 leases less 2 released is still 3, the cap")
                .isInstanceOf(ClaimResult.Denied.class);
        seats.release(new AgentId("agent-2"), NOW);
        assertThat(claim("agent-5", NOW)).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(seats.repairSeatCount()).isEmpty();
    }

    @Test
    void disabledTriggers_areEnabledAgain_andTheLeasesTheyMissedCounted() throws Exception {
        sql("ALTER TABLE lease DISABLE TRIGGER lease_tally_inserted");
        for (int i = 0; i < CAPACITY + 2; i++) {
            assertThat(claim("agent-" + i, NOW)).as("agent-" + i).isInstanceOf(ClaimResult.Claimed.class);
        }

        assertThat(seats.repairSeatCount())
                .hasValueSatisfying(finding -> assertThat(finding)
                        .contains("were disabled (lease_tally_inserted); enabled again")
                        .contains("was 0 where 5 leases are held"));

        assertThat(claim("agent-9", NOW)).isInstanceOf(ClaimResult.Denied.class);
        try (Connection connection = schema.connect();
                Statement statement = connection.createStatement();
                ResultSet disabled = statement.executeQuery("SELECT count(*) FROM pg_trigger"
                        + " WHERE tgrelid = 'lease'::regclass AND tgname LIKE 'lease_tally%' AND tgenabled = 'D'")) {
            disabled.next();
            assertThat(disabled.getInt(1)).isZero();
        }
        assertThat(seats.repairSeatCount()).isEmpty();
    }

    @Test
    void aDroppedTrigger_isReported_andTheCountStillRepaired() throws Exception {
        sql("DROP TRIGGER lease_tally_inserted ON lease");
        for (int i = 0; i < CAPACITY + 1; i++) {
            claim("agent-" + i, NOW);
        }

        assertThat(seats.repairSeatCount())
                .hasValueSatisfying(finding -> assertThat(finding)
                        .contains("are missing (lease_tally_inserted)")
                        .contains("restore it from a backup")
                        .contains("set to 4"));
        assertThat(claim("agent-9", NOW)).isInstanceOf(ClaimResult.Denied.class);
    }

    private ClaimResult claim(String agent, Instant at) {
        return seats.claim(ClaimRequest.of(new AgentId(agent)), CAPACITY, at, TTL);
    }

    private void sql(String statement) throws Exception {
        try (Connection connection = schema.connect();
                Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }
}
