package com.anycontact.innolicense.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.anycontact.innolicense.cluster.ClockReading;
import com.anycontact.innolicense.cluster.ClusterNode;
import com.anycontact.innolicense.cluster.NodeHeartbeat;
import com.anycontact.innolicense.license.TrustMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leadership lock, the node registry and the database's clock on a real PostgreSQL schema with the real
 * migrations (V8): one lock holder per schema, let go with its connection; heartbeats listed, missing nodes
 * shown and dropped by the database's clock.
 */
class PostgresClusterTest {

    private static final Instant T0 = Instant.parse("2027-01-15T09:00:00Z");

    private PostgresSchema schema;
    private PostgresSchema otherSchema;
    private PostgresDatabase database;

    @BeforeEach
    void open() {
        schema = PostgresSchema.create(getClass());
        database = schema.open();
    }

    @AfterEach
    void close() {
        if (schema != null) {
            schema.close();
        }
        if (otherSchema != null) {
            otherSchema.close();
        }
    }

    @Test
    void oneNodeHoldsTheLock_untilItLetsGoOrItsConnectionCloses() {
        PostgresLeaderLock first = new PostgresLeaderLock(database);
        PostgresLeaderLock second = new PostgresLeaderLock(database);
        try {
            assertThat(first.tryAcquire("node-1")).isTrue();
            assertThat(second.tryAcquire("node-2")).isFalse();
            assertThat(first.stillHeld()).isTrue();
            assertThat(second.stillHeld()).isFalse();

            first.release();
            assertThat(first.stillHeld()).isFalse();
            assertThat(second.tryAcquire("node-2")).isTrue();

            second.close();
            assertThat(first.tryAcquire("node-1"))
                    .as("closing the connection let the lock go")
                    .isTrue();
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void aHolderWhoseNodeIsMissing_hasItsSessionEnded_butARecentOneKeepsIt() throws Exception {
        PostgresNodeRegistry registry = new PostgresNodeRegistry(database);
        PostgresLeaderLock stopped = new PostgresLeaderLock(database);
        PostgresLeaderLock follower = new PostgresLeaderLock(database);
        try {
            assertThat(stopped.tryAcquire("node-1")).isTrue();
            registry.heartbeat(new NodeHeartbeat(
                    "node-1",
                    "http://a:1",
                    "0.1.0",
                    T0,
                    true,
                    Optional.empty(),
                    Duration.ofSeconds(2),
                    true,
                    TrustMode.PRODUCTION));
            assertThat(follower.tryAcquire("node-2")).isFalse();

            assertThat(follower.endMissingHolder(Duration.ofSeconds(5)))
                    .as("node-1 wrote its heartbeat just now")
                    .isFalse();
            assertThat(stopped.stillHeld()).isTrue();

            Thread.sleep(50);
            assertThat(follower.endMissingHolder(Duration.ofMillis(10)))
                    .as("node-1's heartbeat is older than 10 ms")
                    .isTrue();
            assertThat(follower.tryAcquire("node-2")).isTrue();
            assertThat(stopped.stillHeld())
                    .as("the stopped leader, on waking, finds its session ended")
                    .isFalse();
        } finally {
            stopped.close();
            follower.close();
        }
    }

    @Test
    void eachSchemaHasALockOfItsOwn() {
        otherSchema = PostgresSchema.create(getClass());
        PostgresLeaderLock here = new PostgresLeaderLock(database);
        PostgresLeaderLock there = new PostgresLeaderLock(otherSchema.open());
        try {
            assertThat(here.tryAcquire("node-1")).isTrue();
            assertThat(there.tryAcquire("node-1")).isTrue();
        } finally {
            here.close();
            there.close();
        }
    }

    @Test
    void heartbeats_areListedLeaderFirst_andAStaleNodeIsMissingThenDropped() throws Exception {
        PostgresNodeRegistry registry = new PostgresNodeRegistry(database);
        registry.heartbeat(beat("node-b", "http://b:8080", false));
        registry.heartbeat(beat("node-a", "http://a:8080", true));
        registry.heartbeat(beat("node-c", "http://c:8080", false));

        assertThat(registry.nodes()).extracting(ClusterNode::id).containsExactly("node-a", "node-b", "node-c");
        assertThat(registry.nodes()).noneMatch(ClusterNode::missing);
        assertThat(registry.nodes().getFirst().clockOffset()).contains(Duration.ofMillis(-12));

        age("node-c", Duration.ofSeconds(6));
        assertThat(registry.nodes())
                .filteredOn(ClusterNode::missing)
                .extracting(ClusterNode::id)
                .containsExactly("node-c");
        assertThat(registry.dropMissing()).as("missing, not yet for 15 minutes").isZero();

        age("node-c", Duration.ofMinutes(16));
        assertThat(registry.dropMissing()).isEqualTo(1);
        registry.leave("node-b");
        assertThat(registry.nodes()).extracting(ClusterNode::id).containsExactly("node-a");
    }

    @Test
    void eachNodesTrust_isListed_andANodeOfAnOlderReleaseSaysNone() throws Exception {
        PostgresNodeRegistry registry = new PostgresNodeRegistry(database);
        registry.heartbeat(beat("node-a", "http://a:8080", true, TrustMode.PRODUCTION));
        registry.heartbeat(beat("node-b", "http://b:8080", false, TrustMode.DEVELOPMENT));
        try (Connection connection = schema.connect();
                PreparedStatement older = connection.prepareStatement(
                        // a node of the release before V21 writes its row without the column
                        "INSERT INTO cluster_node (node_id, address, version, started_at, last_seen, leader,"
                                + " clock_offset_millis, max_offset_millis, serving)"
                                + " VALUES ('node-c', 'http://c:8080', '0.0.9', 0, 0, false, NULL, 2000, true)")) {
            older.executeUpdate();
        }

        assertThat(registry.nodes())
                .extracting(ClusterNode::id, ClusterNode::trust, ClusterNode::onDevelopmentTrust)
                .containsExactly(
                        tuple("node-a", Optional.of(TrustMode.PRODUCTION), false),
                        tuple("node-b", Optional.of(TrustMode.DEVELOPMENT), true),
                        tuple("node-c", Optional.empty(), false));

        registry.heartbeat(beat("node-b", "http://b:8080", false, TrustMode.PRODUCTION));
        assertThat(registry.nodes())
                .as("a node restarted without --development-trust says so at its next heartbeat")
                .noneMatch(ClusterNode::onDevelopmentTrust);
    }

    @Test
    void aNodeRestartedAtTheSameAddress_replacesItsMissingRow() throws Exception {
        PostgresNodeRegistry registry = new PostgresNodeRegistry(database);
        registry.heartbeat(beat("node-old", "http://a:8080", false));
        age("node-old", Duration.ofSeconds(10));

        registry.heartbeat(beat("node-new", "http://a:8080", false));

        assertThat(registry.nodes()).extracting(ClusterNode::id).containsExactly("node-new");
    }

    /**
     * The node and the database run on this machine's one clock, so the database's reading lies between the node's
     * two (to PostgreSQL's microseconds) and the offset is no larger than its uncertainty, however long the round
     * trip took on a busy machine.
     */
    @Test
    void theDatabasesClock_isReadBetweenTwoReadingsOfTheNodes() {
        PostgresNodeRegistry registry = new PostgresNodeRegistry(database);

        ClockReading reading = registry.read(InstantSource.system());

        assertThat(reading.database()).isBetween(reading.sent().truncatedTo(ChronoUnit.MICROS), reading.received());
        assertThat(reading.offset().abs())
                .isLessThanOrEqualTo(reading.uncertainty().plusNanos(1_000));
        assertThat(reading.within(reading.uncertainty().multipliedBy(2).plusNanos(1_000)))
                .isTrue();
    }

    private static NodeHeartbeat beat(String id, String address, boolean leader) {
        return beat(id, address, leader, TrustMode.PRODUCTION);
    }

    private static NodeHeartbeat beat(String id, String address, boolean leader, TrustMode trust) {
        return new NodeHeartbeat(
                id,
                address,
                "0.1.0",
                T0,
                leader,
                Optional.of(Duration.ofMillis(-12)),
                Duration.ofSeconds(2),
                true,
                trust);
    }

    /**
     * Moves a node's last heartbeat back, as if it had stopped beating that long ago: the registry judges age by
     * the database's own clock, which a test cannot move, and waiting 16 minutes is no test.
     */
    private void age(String id, Duration by) throws Exception {
        try (Connection connection = schema.connect();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE cluster_node SET last_seen = last_seen - ? WHERE node_id = ?")) {
            update.setLong(1, by.toMillis());
            update.setString(2, id);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }
}
