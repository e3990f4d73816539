package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.Lease;
import com.anycontact.innolicense.store.StoreException;
import com.anycontact.innolicense.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seat calls of a node in batches (migration V16): one batch decides its calls in their order, as the same
 * calls one after another would; a batch PostgreSQL aborts to break a deadlock is run again; a batch that fails
 * fails each of its calls and the next batch is sent all the same. The cap across batches of several nodes at
 * once is {@link PostgresSeatStoreTest}'s race and {@link PostgresSeatStoreClusterModelTest}'s rush, which go
 * through the batches too.
 */
class PostgresSeatStoreBatchTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final long TTL = 60_000;

    private PostgresSchema schema;
    private PostgresSeatStore store;

    @BeforeEach
    void open() {
        schema = PostgresSchema.create(getClass());
        store = new PostgresSeatStore(schema.open());
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void aBatch_decidesItsCallsInTheirOrder_eachSeeingTheOnesBeforeIt() {
        List<Object> answers = store.decide(List.of(
                        claim("alice", 1, NOW),
                        claim("alice", 1, NOW + 1),
                        release("alice", NOW + 2),
                        release("alice", NOW + 3),
                        claim("bob", 1, NOW + 4),
                        claim("carol", 1, NOW + 5),
                        release("bob", NOW + 6),
                        claim("carol", 1, NOW + 7)))
                .answers();

        assertThat(answers).hasSize(8);
        Lease first = ((ClaimResult.Claimed) answers.get(0)).lease();
        assertThat(((ClaimResult.Claimed) answers.get(0)).inUse()).isEqualTo(1);
        assertThat(answers.get(1)).as("the batch's own grant, renewed").isInstanceOf(ClaimResult.Renewed.class);
        assertThat(((ClaimResult.Renewed) answers.get(1)).lease().claimSequence())
                .isEqualTo(first.claimSequence());
        assertThat(answers.subList(2, 4))
                .as("a release answers the seats in use once its batch is done (carol's)")
                .containsExactly(OptionalInt.of(1), OptionalInt.empty());
        Lease bob = ((ClaimResult.Claimed) answers.get(4)).lease();
        assertThat(bob.claimSequence()).isGreaterThan(first.claimSequence());
        assertThat(answers.get(5)).as("bob holds the one seat").isEqualTo(new ClaimResult.Denied(1, 1));
        assertThat(answers.get(6)).isEqualTo(OptionalInt.of(1));
        assertThat(answers.get(7)).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(((ClaimResult.Claimed) answers.get(7)).inUse()).isEqualTo(1);
        assertThat(store.leases(Instant.ofEpochMilli(NOW + 8)))
                .extracting(lease -> lease.agent().value())
                .containsExactly("carol");
        assertThat(store.denials()).isEqualTo(1);
    }

    @Test
    void callsMadeAtOnce_areAnsweredEach_whateverBatchTheyShare() throws Exception {
        int agents = 3 * PostgresSeatStore.MAX_BATCH;
        List<CompletableFuture<ClaimResult>> claims = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            claims.add(store.claimAsync(
                    ClaimRequest.of(new AgentId("agent-" + i)),
                    100,
                    Instant.ofEpochMilli(NOW),
                    Duration.ofMillis(TTL)));
        }
        long claimed = 0;
        long denied = 0;
        for (CompletableFuture<ClaimResult> claim : claims) {
            ClaimResult result = claim.get(60, TimeUnit.SECONDS);
            if (result instanceof ClaimResult.Claimed) {
                claimed++;
            } else if (result instanceof ClaimResult.Denied) {
                denied++;
            }
        }

        assertThat(claimed).isEqualTo(100);
        assertThat(denied).isEqualTo(agents - 100);
        assertThat(store.inUse(Instant.ofEpochMilli(NOW))).isEqualTo(100);
    }

    /**
     * The deadlock the migration describes, made on purpose: another transaction holds a lease row that the
     * batch's claim must lock (it sees the lease expired) and then asks for the claim lock the batch holds.
     * PostgreSQL aborts the batch (the other transaction waits longer before it looks for deadlocks), and the
     * store runs the batch again once the other transaction is done.
     */
    @Test
    void aBatchAbortedToBreakADeadlock_isRunAgain() throws Exception {
        for (int attempt = 1; ; attempt++) {
            String holder = "holder-" + attempt;
            String claimer = "claimer-" + attempt;
            long now = NOW + attempt * 10 * TTL;
            assertThat(store.claim(
                            ClaimRequest.of(new AgentId(holder)), 5, Instant.ofEpochMilli(now), Duration.ofMillis(TTL)))
                    .isInstanceOf(ClaimResult.Claimed.class);
            long deadlocksBefore = deadlocks();
            long later = now + TTL + 1;
            CompletableFuture<ClaimResult> claim = null;
            try (Connection other = schema.connect()) {
                other.setAutoCommit(false);
                try (Statement statement = other.createStatement()) {
                    statement.execute("SET LOCAL deadlock_timeout = '20s'");
                    statement.execute("UPDATE lease SET station = 'held' WHERE agent_id = '" + holder + "'");
                    claim = store.claimAsync(
                            ClaimRequest.of(new AgentId(claimer)),
                            5,
                            Instant.ofEpochMilli(later),
                            Duration.ofMillis(TTL));
                    schema.awaitLockWait("seat_calls");
                    // waits for the claim lock until PostgreSQL aborts the batch, once the batch has waited its
                    // deadlock_timeout (1 s)
                    statement.execute("SELECT 1 FROM seat_counter WHERE id = 1 FOR UPDATE");
                } catch (SQLException e) {
                    // PostgreSQL looks for a deadlock once per wait, after deadlock_timeout: when this request came
                    // more than 1 s after the batch began to wait (a crowded machine), this transaction is the
                    // one aborted, 20 s on, and the batch's retry was not what made it through: try again
                    assertThat(e.getSQLState()).isEqualTo("40P01");
                    other.rollback();
                    assertThat(claim.get(30, TimeUnit.SECONDS)).isInstanceOf(ClaimResult.Claimed.class);
                    assertThat(attempt)
                            .as("the batch was never the transaction aborted")
                            .isLessThan(3);
                    continue;
                }
                assertThat(claim)
                        .as("the batch, run again, waits for the claim lock")
                        .isNotDone();
                other.commit();
            }

            assertThat(claim.get(30, TimeUnit.SECONDS)).isInstanceOf(ClaimResult.Claimed.class);
            assertThat(store.leases(Instant.ofEpochMilli(later)))
                    .extracting(lease -> lease.agent().value())
                    .containsExactly(claimer);
            awaitMoreDeadlocksThan(deadlocksBefore);
            return;
        }
    }

    @Test
    void aBatchThatFails_failsEachOfItsCalls_andTheNextBatchIsSent() throws Exception {
        schema.execute(
                "ALTER FUNCTION seat_calls(TEXT[], TEXT[], TEXT[], TEXT[], BIGINT[], BIGINT[], INTEGER[], BIGINT)"
                        + " RENAME TO seat_calls_away");
        assertThatThrownBy(() -> store.claim(
                        ClaimRequest.of(new AgentId("alice")), 5, Instant.ofEpochMilli(NOW), Duration.ofMillis(TTL)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("seat_calls");
        assertThatThrownBy(() -> store.release(new AgentId("alice"), Instant.ofEpochMilli(NOW)))
                .isInstanceOf(StoreException.class);

        schema.execute(
                "ALTER FUNCTION seat_calls_away(TEXT[], TEXT[], TEXT[], TEXT[], BIGINT[], BIGINT[], INTEGER[], BIGINT)"
                        + " RENAME TO seat_calls");

        assertThat(store.claim(
                        ClaimRequest.of(new AgentId("alice")), 5, Instant.ofEpochMilli(NOW), Duration.ofMillis(TTL)))
                .isInstanceOf(ClaimResult.Claimed.class);
        assertThat(store.release(new AgentId("alice"), Instant.ofEpochMilli(NOW + 1)))
                .isTrue();
    }

    /**
     * A full database disk refuses the writes that need more room (a new lease row) and takes the ones that need none
     * (a release, a renewal in place). PostgreSQL refuses a batch that holds both as a whole; the store then decides
     * its calls again one by one, in their order, so that the release and the renewal beside the refused claim take
     * effect, and the refused claim is answered {@link StoreUnavailableException} (503, try again), not a {@link
     * StoreException} (500). Here a trigger refuses the new lease of one agent with SQLSTATE 53100, as a full disk
     * does; {@code PostgresOutageTest} (server) fills a real one.
     */
    @Test
    void aBatchRefusedForWantOfDisk_isDecidedCallByCall_soTheCallsThatNeedNoRoomTakeEffect() throws Exception {
        assertThat(store.claim(
                        ClaimRequest.of(new AgentId("alice")), 5, Instant.ofEpochMilli(NOW), Duration.ofMillis(TTL)))
                .isInstanceOf(ClaimResult.Claimed.class);
        assertThat(store.claim(
                        ClaimRequest.of(new AgentId("bob")), 5, Instant.ofEpochMilli(NOW), Duration.ofMillis(TTL)))
                .isInstanceOf(ClaimResult.Claimed.class);
        schema.execute("""
                CREATE FUNCTION refuse_newcomer() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.agent_id = 'newcomer' THEN
                        RAISE EXCEPTION 'could not extend file "base/1/2": No space left on device'
                            USING ERRCODE = '53100';
                    END IF;
                    RETURN NEW;
                END $$""");
        schema.execute("CREATE TRIGGER refuse_newcomer BEFORE INSERT ON lease"
                + " FOR EACH ROW EXECUTE FUNCTION refuse_newcomer()");
        SeatCall.Claim renewal = (SeatCall.Claim) claim("alice", 5, NOW + 1);
        SeatCall.Claim newcomer = (SeatCall.Claim) claim("newcomer", 5, NOW + 2);
        SeatCall.Release release = (SeatCall.Release) release("bob", NOW + 3);

        store.send(List.of(renewal, newcomer, release));

        assertThat(renewal.answer().get(30, TimeUnit.SECONDS)).isInstanceOf(ClaimResult.Renewed.class);
        assertThatThrownBy(() -> newcomer.answer().get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("No space left on device")
                .hasMessageContaining("53100");
        assertThat(release.answer().get(30, TimeUnit.SECONDS))
                .as("alice's lease left")
                .isEqualTo(OptionalInt.of(1));
        assertThat(store.leases(Instant.ofEpochMilli(NOW + 4)))
                .extracting(lease -> lease.agent().value())
                .containsExactly("alice");

        schema.execute("DROP TRIGGER refuse_newcomer ON lease");
        assertThat(store.claim(
                        ClaimRequest.of(new AgentId("newcomer")),
                        5,
                        Instant.ofEpochMilli(NOW + 5),
                        Duration.ofMillis(TTL)))
                .isInstanceOf(ClaimResult.Claimed.class);
    }

    /**
     * A release held up in a partition and delivered after the agent logged in again through another node must not
     * take the new lease (V19): past its deadline on the database's clock a batch changes nothing.
     */
    @Test
    void aBatchPastItsDeadline_changesNothing_andEachOfItsCallsIsRefusedForRetry() throws Exception {
        List<Long> asked = new ArrayList<>();
        PostgresSeatStore late = new PostgresSeatStore(schema.open(), oldest -> {
            asked.add(oldest);
            return OptionalLong.of(0); // 1970 by the database's clock: long past
        });
        assertThat(store.claim(
                        ClaimRequest.of(new AgentId("alice")), 1, Instant.ofEpochMilli(NOW), Duration.ofMillis(TTL)))
                .isInstanceOf(ClaimResult.Claimed.class);
        String before = leaseTable();
        long denialsBefore = store.denials();

        List<CompletableFuture<?>> calls = List.of(
                late.releaseAsync(new AgentId("alice"), Instant.ofEpochMilli(NOW + 7)),
                late.claimAsync(
                        ClaimRequest.of(new AgentId("bob")), 1, Instant.ofEpochMilli(NOW + 5), Duration.ofMillis(TTL)),
                late.claimAsync(
                        ClaimRequest.of(new AgentId("alice")),
                        1,
                        Instant.ofEpochMilli(NOW + 9),
                        Duration.ofMillis(TTL)));

        for (CompletableFuture<?> call : calls) {
            assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("too late");
        }
        assertThat(leaseTable()).as("alice's lease, untouched").isEqualTo(before);
        assertThat(store.denials()).isEqualTo(denialsBefore);
        // the three calls went in one, two or three batches, in their order (7, 5, 9): each asked for its oldest
        assertThat(asked)
                .as("the deadline is asked for each batch's oldest call")
                .isIn(
                        List.of(NOW + 5),
                        List.of(NOW + 5, NOW + 9),
                        List.of(NOW + 7, NOW + 5),
                        List.of(NOW + 7, NOW + 5, NOW + 9));
    }

    @Test
    void aBatchWithinItsDeadline_takesEffect_andTheCallWithoutOne_ofTheVersionBefore_stillWorks() throws Exception {
        PostgresSeatStore inTime = new PostgresSeatStore(schema.open(), oldest -> OptionalLong.of(Long.MAX_VALUE));
        assertThat(inTime.claim(
                        ClaimRequest.of(new AgentId("alice")), 1, Instant.ofEpochMilli(NOW), Duration.ofMillis(TTL)))
                .isInstanceOf(ClaimResult.Claimed.class);

        // a node of the previous version, during a rolling upgrade, calls seat_calls with seven parameters
        try (Connection connection = schema.connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT o_outcome FROM seat_calls(ARRAY['release'],"
                        + " ARRAY['alice'], ARRAY[NULL::TEXT], ARRAY[NULL::TEXT], ARRAY[" + (NOW + 1) + "::BIGINT],"
                        + " ARRAY[0::BIGINT], ARRAY[0])")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("RELEASED");
        }
        assertThat(inTime.leases(Instant.ofEpochMilli(NOW + 2))).isEmpty();
    }

    private String leaseTable() throws SQLException {
        try (Connection connection = schema.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT agent_id, claimed_at, expires_at, claim_seq, freed_at FROM lease ORDER BY agent_id")) {
            StringBuilder table = new StringBuilder();
            while (rows.next()) {
                for (int column = 1; column <= 5; column++) {
                    table.append(rows.getString(column)).append(column < 5 ? " " : "\n");
                }
            }
            return table.toString();
        }
    }

    private static SeatCall claim(String agent, int capacity, long now) {
        return new SeatCall.Claim(ClaimRequest.of(new AgentId(agent)), capacity, now, TTL);
    }

    private static SeatCall release(String agent, long now) {
        return new SeatCall.Release(new AgentId(agent), now);
    }

    /** Waits until PostgreSQL's statistics count a deadlock more (a backend reports them within a second or so). */
    private void awaitMoreDeadlocksThan(long before) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (deadlocks() <= before) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("PostgreSQL counted no deadlock");
            }
            Thread.sleep(100);
        }
    }

    private long deadlocks() throws SQLException {
        try (Connection connection = schema.connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")) {
            row.next();
            return row.getLong(1);
        }
    }
}
