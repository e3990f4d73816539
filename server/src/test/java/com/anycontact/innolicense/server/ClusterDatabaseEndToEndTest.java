package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditQuery;
import com.anycontact.innolicense.client.LicenseClient;
import com.anycontact.innolicense.client.SeatDeniedException;
import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server on a real port with {@code --database}, driven by the Java SDK: everything is kept in the
 * PostgreSQL database (nothing in the data directory), survives a restart, and two server nodes on one
 * database hold one seat cap between them.
 */
class ClusterDatabaseEndToEndTest {

    @TempDir
    Path data;

    private final FakeTime clock = new FakeTime(RunningServer.START);
    private final List<LicenseServer> servers = new ArrayList<>();
    private final List<LicenseClient> clients = new ArrayList<>();
    private TestPostgres database;

    @BeforeEach
    void createDatabase() {
        database = TestPostgres.create(getClass());
    }

    @AfterEach
    void stopEverything() {
        clients.forEach(LicenseClient::close);
        servers.forEach(LicenseServer::close);
        if (database != null) {
            database.close();
        }
    }

    @Test
    void claimsCapAndKey_areKeptInTheDatabaseAndSurviveARestart() throws Exception {
        LicenseServer first = startNode();
        InstallationId installation = first.installationId();
        Api api = Api.of(first);
        LicenseClient client = client(first);

        client.claim("agent-1");
        client.claim("agent-2");
        SeatDeniedException denied = catchThrowableOfType(SeatDeniedException.class, () -> client.claim("agent-3"));
        assertThat(denied.capacity()).isEqualTo(2);
        api.applyKey(installation, 1, 3);
        client.claim("agent-3");
        assertThat(catchThrowableOfType(SeatDeniedException.class, () -> client.claim("agent-4")))
                .isNotNull();
        stop(first);

        LicenseServer restarted = startNode();
        Api after = Api.of(restarted);

        assertThat(restarted.installationId()).isEqualTo(installation);
        JsonNode status =
                after.get("/api/v1/license", RunningServer.ADMIN_TOKEN).json();
        assertThat(status.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(status.path("capacity").asInt()).isEqualTo(3);
        assertThat(after.leasedAgents()).containsExactly("agent-1", "agent-2", "agent-3");
        assertThat(restarted.audit().find(AuditQuery.newest(100).withType(AuditEvent.Type.CLAIM_DENIED)))
                .hasSize(2);
        assertThat(restarted.audit().find(AuditQuery.newest(100).withType(AuditEvent.Type.KEY_APPLIED)))
                .hasSize(1);
        assertThat(catchThrowableOfType(
                        SeatDeniedException.class, () -> client(restarted).claim("agent-5")))
                .isNotNull();
        assertThat(Files.exists(data.resolve(SqliteDatabase.FILE_NAME)))
                .as("no SQLite file in the data directory")
                .isFalse();
    }

    /**
     * 40 agents claim at once, 20 through each of two nodes' HTTP APIs, for 10 licensed seats: exactly 10 are
     * granted, and both nodes list the same 10 leases.
     */
    @Test
    void twoNodesOnOneDatabase_holdTheCapBetweenThemInAStartGatedRace() throws Exception {
        LicenseServer nodeA = startNode();
        Api.of(nodeA).applyKey(nodeA.installationId(), 1, 10);
        LicenseServer nodeB = startNode();
        List<LicenseClient> nodeClients = List.of(client(nodeA), client(nodeB));
        int agents = 40;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(agents);
        try {
            List<Future<?>> claims = new ArrayList<>();
            for (int i = 0; i < agents; i++) {
                LicenseClient client = nodeClients.get(i % 2);
                String agent = "agent-" + i;
                claims.add(pool.submit(() -> {
                    start.await();
                    try {
                        client.claim(agent);
                        granted.incrementAndGet();
                    } catch (SeatDeniedException e) {
                        refused.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> claim : claims) {
                claim.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(granted.get()).isEqualTo(10);
        assertThat(refused.get()).isEqualTo(30);
        List<String> seenByA = Api.of(nodeA).leasedAgents();
        assertThat(seenByA).hasSize(10);
        assertThat(Api.of(nodeB).leasedAgents()).isEqualTo(seenByA);
    }

    /**
     * A force-release with a block made through one node is honoured by the other once it has refreshed (each
     * node does every second), and the audit chain both nodes appended to verifies.
     */
    @Test
    void aForceReleaseThroughOneNode_isHonouredByTheOther_andTheSharedAuditChainVerifies() {
        LicenseServer nodeA = startNode();
        LicenseServer nodeB = startNode();
        Api apiA = Api.of(nodeA);
        Api apiB = Api.of(nodeB);
        Api.Reply created =
                apiB.postJson("/api/v1/tokens", RunningServer.ADMIN_TOKEN, "{\"name\": \"acd\", \"role\": \"ACD\"}");
        String acd = created.json().path("token").asText();
        assertThat(apiB.claim(acd, "agent-1").status()).isEqualTo(201);

        Api.Reply released = apiA.postJson(
                "/api/v1/seats/agent-1/release",
                RunningServer.ADMIN_TOKEN,
                "{\"reason\": \"hung\", \"blockSeconds\": 300}");
        nodeB.tick();

        assertThat(released.status()).as(released.body()).isEqualTo(200);
        assertThat(apiB.claim(acd, "agent-1").problemType()).isEqualTo("released-by-administrator");
        nodeA.tick();
        assertThat(apiA.claim(acd, "agent-1").problemType())
                .as("the notice given on node B is not given again on node A")
                .isEqualTo("agent-blocked");
        assertThat(apiB.get("/api/v1/seat-blocks", RunningServer.ADMIN_TOKEN)
                        .json()
                        .path("blocks"))
                .hasSize(1);
        JsonNode chain =
                apiB.get("/api/v1/audit/verify", RunningServer.ADMIN_TOKEN).json();
        assertThat(chain.path("intact").asBoolean()).as(chain.toString()).isTrue();
    }

    /**
     * A customer who can write the cluster database lowers the count of seats held that claims rely on, and is
     * granted seats beyond the license; within a minute the leading node repairs the count (claims are denied
     * again at the cap) and audits what it found.
     */
    @Test
    void aSeatCountLoweredInTheDatabase_isRepairedByTheLeaderWithinAMinute_andAudited() throws Exception {
        LicenseServer node = startNode();
        Api api = Api.of(node);
        String acd = api.postJson("/api/v1/tokens", RunningServer.ADMIN_TOKEN, "{\"name\": \"acd\", \"role\": \"ACD\"}")
                .json()
                .path("token")
                .asText();
        node.tick(); // leads, and checks the untouched count: nothing to audit
        assertThat(api.claim(acd, "agent-1").status()).isEqualTo(201);
        assertThat(api.claim(acd, "agent-2").status()).isEqualTo(201);
        assertThat(api.claim(acd, "agent-3").status()).as("unlicensed: 2 seats").isEqualTo(409);

        try (java.sql.Connection sql = java.sql.DriverManager.getConnection(database.jdbcUrl());
                java.sql.Statement statement = sql.createStatement()) {
            statement.execute("UPDATE lease_tally SET unfreed = unfreed - 2 WHERE backend = 0");
        }
        assertThat(api.claim(acd, "agent-3").status()).as("the attack works").isEqualTo(201);
        assertThat(api.claim(acd, "agent-4").status()).isEqualTo(201);

        for (int i = 0; i < 3; i++) { // a minute on, the agents renewing
            clock.advance(java.time.Duration.ofSeconds(21));
            for (String agent : List.of("agent-1", "agent-2", "agent-3", "agent-4")) {
                assertThat(api.claim(acd, agent).status()).as(agent).isEqualTo(200);
            }
            node.tick();
        }

        assertThat(api.claim(acd, "agent-5").status()).as("the cap again").isEqualTo(409);
        JsonNode found = api.get("/api/v1/audit?type=SEAT_COUNT_REPAIRED", RunningServer.ADMIN_TOKEN)
                .json()
                .path("events");
        assertThat(found).hasSize(1);
        assertThat(found.get(0).path("actor").asText()).isEqualTo("system");
        assertThat(found.get(0).path("detail").asText())
                .contains("the count of seats held was 2 where 4 leases are held (2 too few");
    }

    private LicenseServer startNode() {
        LicenseServer server = database.startNode(data, clock);
        servers.add(server);
        return server;
    }

    /** Stops the node before its clients, so that they cannot release their seats: the leases stay. */
    private void stop(LicenseServer server) {
        servers.remove(server);
        server.close();
        clients.forEach(LicenseClient::close);
        clients.clear();
    }

    private LicenseClient client(LicenseServer server) {
        Api api = Api.of(server);
        Api.Reply created =
                api.postJson("/api/v1/tokens", RunningServer.ADMIN_TOKEN, "{\"name\": \"acd\", \"role\": \"ACD\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        LicenseClient client = LicenseClient.builder()
                .server(URI.create(server.url()))
                .token(created.json().path("token").asText())
                .node("acd-node")
                .clock(new FakeTime(RunningServer.START))
                .build();
        clients.add(client);
        return client;
    }
}
