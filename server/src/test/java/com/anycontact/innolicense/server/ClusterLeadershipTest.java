package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditQuery;
import com.anycontact.innolicense.license.LicenseState;
import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three server nodes on one PostgreSQL database: exactly one leads, the singleton work (reaping, the lifecycle's
 * audit entries) happens once, the node registry lists every node, and when the leader goes (closed, or its lock
 * connection killed) another takes over.
 */
class ClusterLeadershipTest {

    /**
     * How long these tests wait for a takeover. A follower tries the lock every second, so on an idle machine one
     * takes over within about a second (docs/cluster.md); the wait is generous because on a build machine shared by
     * many jobs a tick can be late by seconds, and a test is no place to measure speed. That a closed leader hands
     * its lock back at once, rather than being replaced as a missing node 5 s later, is checked in the database.
     */
    private static final Duration TAKEOVER = Duration.ofSeconds(20);

    @RegisterExtension
    final ClusterFixture cluster = new ClusterFixture();

    private final FakeTime clock = cluster.clock;

    @Test
    void threeNodes_exactlyOneLeads_andEveryNodeListsAllThree() {
        List<LicenseServer> nodes = List.of(startNode(), startNode(), startNode());
        tickAll();

        assertThat(nodes.stream().filter(node -> node.cluster().leads())).hasSize(1);
        LicenseServer leader = leader();
        for (LicenseServer node : nodes) {
            JsonNode view = Api.of(node)
                    .get("/api/v1/cluster", RunningServer.ADMIN_TOKEN)
                    .json();
            assertThat(view.path("mode").asText()).isEqualTo("cluster");
            assertThat(view.path("leader").asBoolean()).isEqualTo(node == leader);
            assertThat(addresses(view.path("nodes")))
                    .containsExactlyInAnyOrder(node(nodes, 0), node(nodes, 1), node(nodes, 2));
            assertThat(StreamSupport.stream(view.path("nodes").spliterator(), false)
                            .filter(n -> n.path("leader").asBoolean())
                            .map(n -> n.path("address").asText()))
                    .containsExactly(leader.url());
            assertThat(view.path("nodes").get(0).path("version").asText()).isEqualTo(LicenseServer.VERSION);
            Api.Reply ready = Api.of(node).get("/health/ready", null);
            assertThat(ready.status()).as(ready.body()).isEqualTo(200);
            assertThat(ready.json().path("checks").path("clock").asText()).isEqualTo("UP");
            assertThat(ready.json().path("cluster").path("nodes")).hasSize(3);
        }
    }

    @Test
    void expiredLeases_areReapedOnce_andALifecycleTransitionIsAuditedOnce() {
        LicenseServer first = startNode();
        Api.of(first)
                .postText(
                        "/api/v1/license",
                        RunningServer.ADMIN_TOKEN,
                        TestVendor.key(first.installationId(), 1, 10, RunningServer.LICENSE_START));
        List<LicenseServer> nodes = List.of(first, startNode(), startNode());
        tickAll();
        for (int i = 0; i < nodes.size(); i++) {
            ClaimResult result = nodes.get(i).ledger().claim(new ClaimRequest(agent("agent-" + i), null, null));
            assertThat(result).isInstanceOf(ClaimResult.Claimed.class);
        }

        clock.advance(ServerConfig.DEFAULT_LEASE_TTL.plusSeconds(1));
        tickAll();
        tickAll();

        List<AuditEvent> reaped = first.audit().find(AuditQuery.newest(100).withType(AuditEvent.Type.LEASES_REAPED));
        assertThat(reaped).hasSize(1);
        assertThat(reaped.getFirst().detail()).startsWith("3 expired");
        assertThat(first.ledger().leases()).isEmpty();

        clock.set(Instant.parse("2027-12-03T00:00:00Z"));
        tickAll();
        tickAll();

        for (LicenseServer node : nodes) {
            assertThat(Api.of(node)
                            .get("/api/v1/license", RunningServer.ADMIN_TOKEN)
                            .json()
                            .path("state")
                            .asText())
                    .isEqualTo(LicenseState.GRACE.name());
        }
        assertThat(first.audit().find(AuditQuery.newest(100).withType(AuditEvent.Type.STATE_CHANGED)))
                .filteredOn(event -> event.detail().startsWith("ACTIVE -> GRACE"))
                .hasSize(1);
    }

    @Test
    void aTransitionWhileNoNodeLeads_isAuditedOnceByTheNewLeader() throws Exception {
        LicenseServer first = startNode();
        Api.of(first)
                .postText(
                        "/api/v1/license",
                        RunningServer.ADMIN_TOKEN,
                        TestVendor.key(first.installationId(), 1, 10, RunningServer.LICENSE_START));
        LicenseServer second = startNode();
        tickAll();
        tickAll();
        assertThat(first.cluster().leads()).isTrue();
        assertThat(second.cluster().leads()).isFalse();

        synchronized (first.cluster()) {
            // the leader stops ticking; the license passes its end, which the follower sees as a follower
            clock.set(Instant.parse("2027-12-03T00:00:00Z"));
            second.tick();
            assertThat(second.cluster().leads()).isFalse();
            // then the leader dies (its lock session ends) before it ever saw the transition
            terminateLockHolder();
            long deadline = System.nanoTime() + TAKEOVER.toNanos();
            do {
                second.tick();
            } while (!second.cluster().leads() && System.nanoTime() < deadline);
            assertThat(second.cluster().leads()).as("the follower took over").isTrue();
        }
        tickAll();
        tickAll();

        assertThat(first.audit().find(AuditQuery.newest(100).withType(AuditEvent.Type.STATE_CHANGED)))
                .extracting(AuditEvent::detail)
                .filteredOn(detail -> detail.startsWith("ACTIVE -> GRACE"))
                .as("audited once, by the new leader, although it saw the transition as a follower")
                .hasSize(1);
    }

    @Test
    void closingTheLeader_letsItsLockGoAtOnce_anotherNodeTakesOver_andTheRegistryDropsIt() throws Exception {
        startNode();
        startNode();
        startNode();
        tickAll();
        LicenseServer leader = leader();
        String leaderAddress = leader.url();
        int leaderSession = lockHolder().orElseThrow();

        cluster.stop(leader);

        assertThat(lockHolder())
                .as("the closed leader let its lock go before close returned")
                .isNotEqualTo(Optional.of(leaderSession));
        LicenseServer successor = awaitLeader();
        assertThat(successor).isNotSameAs(leader);
        assertThat(cluster.nodes().stream().filter(node -> node.cluster().leads()))
                .hasSize(1);
        JsonNode view = Api.of(successor)
                .get("/api/v1/cluster", RunningServer.ADMIN_TOKEN)
                .json();
        assertThat(addresses(view.path("nodes"))).hasSize(2).doesNotContain(leaderAddress);
    }

    @Test
    void aLeaderWhoseLockConnectionDies_stopsLeading_andOneNodeLeadsAgainWithinSeconds() throws Exception {
        startNode();
        startNode();
        tickAll();
        LicenseServer leader = leader();

        long killed = System.nanoTime();
        terminateLockHolder();
        boolean noticed = false;
        while (System.nanoTime() - killed < TAKEOVER.toNanos() && !noticed) {
            noticed = !leader.cluster().leads();
            Thread.sleep(5);
        }
        LicenseServer successor = awaitLeader();

        assertThat(noticed).as("the leader noticed that it lost its lock").isTrue();
        assertThat(cluster.nodes().stream().filter(node -> node.cluster().leads()))
                .containsExactly(successor);
    }

    /** Kills the database session that holds this schema's leadership lock, as a network failure would. */
    private void terminateLockHolder() throws Exception {
        try (Connection connection =
                        DriverManager.getConnection(cluster.database().jdbcUrl());
                PreparedStatement statement = connection.prepareStatement("""
                        SELECT pg_terminate_backend(pid) FROM pg_locks
                        WHERE locktype = 'advisory' AND granted AND classid = ?::integer::oid
                          AND objid = hashtext(current_schema())::oid AND objsubid = 2""")) {
            statement.setInt(1, 0x696c_0001);
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).as("a session holds the lock").isTrue();
                assertThat(rows.getBoolean(1)).isTrue();
            }
        }
    }

    /** The database session that holds this schema's leadership lock, if one does. */
    private Optional<Integer> lockHolder() throws Exception {
        try (Connection connection =
                        DriverManager.getConnection(cluster.database().jdbcUrl());
                PreparedStatement statement = connection.prepareStatement("""
                        SELECT pid FROM pg_locks
                        WHERE locktype = 'advisory' AND granted AND classid = ?::integer::oid
                          AND objid = hashtext(current_schema())::oid AND objsubid = 2""")) {
            statement.setInt(1, 0x696c_0001);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getInt(1)) : Optional.empty();
            }
        }
    }

    private LicenseServer awaitLeader() throws InterruptedException {
        long deadline = System.nanoTime() + TAKEOVER.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<LicenseServer> leader = cluster.nodes().stream()
                    .filter(node -> node.cluster().leads())
                    .findFirst();
            if (leader.isPresent()) {
                return leader.get();
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no node took over the leadership within " + TAKEOVER);
    }

    private LicenseServer leader() {
        List<LicenseServer> leaders =
                cluster.nodes().stream().filter(node -> node.cluster().leads()).toList();
        assertThat(leaders).as("nodes leading").hasSize(1);
        return leaders.getFirst();
    }

    private void tickAll() {
        cluster.tickAll();
    }

    private LicenseServer startNode() {
        return cluster.startNode();
    }

    private static String node(List<LicenseServer> nodes, int index) {
        return nodes.get(index).url();
    }

    private static List<String> addresses(JsonNode nodes) {
        return StreamSupport.stream(nodes.spliterator(), false)
                .map(node -> node.path("address").asText())
                .toList();
    }

    private static AgentId agent(String id) {
        return AgentId.parse(id).orElseThrow();
    }
}
