package com.anycontact.innolicense.server;

import static com.anycontact.innolicense.server.RunningServer.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.alert.AlertDispatcher;
import com.anycontact.innolicense.alert.WebhookSignature;
import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts on a cluster, end to end: real server nodes in this JVM on one real PostgreSQL database, a real local
 * webhook receiver, one {@link FakeTime} for every node. An alert raised on one node is delivered exactly once,
 * signed per Standard Webhooks, whichever nodes deliver at the same time; a delivery that a node was sending when
 * it stopped is sent once more by another node, under the same {@code webhook-id} (by which a receiver drops the
 * repeat); and the leader raises "cluster node missing" once per outage across a change of leader, and "node
 * back" once.
 *
 * <p>The nodes' own schedulers run too, in real time (ticks every second, deliveries every five): the tests
 * drive the same work by hand after moving the clock and assert what must hold whoever does it. A node's
 * heartbeat counts as missing by the database's clock ({@code NodeRegistry.MISSING_AFTER}, 5 s), so the
 * node-missing tests wait those seconds in real time; everything the alert rules measure runs on the fake clock.
 */
class ClusterAlertsEndToEndTest {

    /** Longest real wait for what the nodes' schedulers or the database's clock bring about. */
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path data;

    private final FakeTime clock = new FakeTime(RunningServer.START);
    private final List<LicenseServer> servers = new ArrayList<>();
    private final WebhookReceiver receiver = new WebhookReceiver();
    private TestPostgres database;

    @BeforeEach
    void createDatabase() {
        database = TestPostgres.create(getClass());
    }

    @AfterEach
    void stopEverything() {
        receiver.release();
        servers.forEach(LicenseServer::close);
        receiver.close();
        if (database != null) {
            database.close();
        }
    }

    @Test
    void anAlertRaisedOnOneNode_isDeliveredExactlyOnce_signed_whileBothNodesDeliverAtOnce() throws Exception {
        LicenseServer a = startNode();
        LicenseServer b = startNode();
        tickAll();
        JsonNode created = subscribe(b);
        String secret = created.path("secret").asText();

        Api.Reply applied = api(a).postText(
                        "/api/v1/license",
                        ADMIN_TOKEN,
                        TestVendor.key(a.installationId(), 1, 10, RunningServer.LICENSE_START));
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        deliverOnAllAtOnce();
        awaitTrue(() -> !receiver.received().isEmpty(), "a node delivers the alert");
        deliverOnAllAtOnce();
        clock.advance(AlertDispatcher.HOLD.plusMinutes(1));
        deliverOnAllAtOnce();
        String subscription = created.path("id").asText();
        awaitTrue(() -> !outcomes(a, subscription).isEmpty(), "the attempt is logged");

        List<WebhookReceiver.Received> received = receiver.received();
        assertThat(received).hasSize(1);
        WebhookReceiver.Received request = received.getFirst();
        assertThat(new ObjectMapper().readTree(request.body()).path("type").asText())
                .isEqualTo("license.key_applied");
        assertSigned(request, secret);
        assertThat(outcomes(a, subscription)).containsExactly("DELIVERED");
        assertThat(alerts(b, "KEY_APPLIED")).hasSize(1);
    }

    @Test
    void denialsOnBothNodes_raiseOneDenialAlert_deliveredOnce() throws Exception {
        LicenseServer a = startNode();
        LicenseServer b = startNode();
        tickAll();
        String secret = subscribe(a).path("secret").asText();
        api(a).postText(
                        "/api/v1/license",
                        ADMIN_TOKEN,
                        TestVendor.key(a.installationId(), 1, 1, RunningServer.LICENSE_START));
        tickAll();
        // the key reaches node B over the cluster bus, asynchronously: until then B still has the 2 seats of no key
        awaitTrue(
                () -> api(b).get("/api/v1/license", ADMIN_TOKEN)
                                .json()
                                .path("capacity")
                                .asInt()
                        == 1,
                "node B has the key of 1 seat");
        assertThat(a.ledger().claim(claim("agent-1"))).isInstanceOf(ClaimResult.Claimed.class);

        assertThat(a.ledger().claim(claim("agent-2"))).isInstanceOf(ClaimResult.Denied.class);
        assertThat(b.ledger().claim(claim("agent-3"))).isInstanceOf(ClaimResult.Denied.class);
        tickAll();
        deliverOnAllAtOnce();
        awaitTrue(() -> !denials().isEmpty(), "a node delivers the denial alert");
        clock.advance(AlertDispatcher.HOLD.plusMinutes(1));
        tickAll();
        deliverOnAllAtOnce();

        List<WebhookReceiver.Received> denials = denials();
        assertThat(denials).hasSize(1);
        assertSigned(denials.getFirst(), secret);
        assertThat(alerts(a, "DENIAL")).hasSize(1);
    }

    @Test
    void aDeliveryANodeWasSendingWhenItStopped_isSentOnceMoreByAnother_underTheSameId() throws Exception {
        LicenseServer a = startNode();
        tickAll();
        JsonNode created = subscribe(a);
        receiver.stallNext();
        api(a).postText(
                        "/api/v1/license",
                        ADMIN_TOKEN,
                        TestVendor.key(a.installationId(), 1, 10, RunningServer.LICENSE_START));
        awaitTrue(() -> receiver.received().size() == 1, "node A's dispatcher sends the alert (and hangs)");

        servers.remove(a);
        a.close();
        receiver.release();
        LicenseServer b = startNode();
        LicenseServer restarted = startNode();
        tickAll();
        deliverOnAllAtOnce();
        assertThat(receiver.received())
                .as("not sent again before its next attempt (30 s) or the hold (5 min)")
                .hasSize(1);

        clock.advance(AlertDispatcher.HOLD);
        deliverOnAllAtOnce();
        awaitTrue(() -> receiver.received().size() >= 2, "another node sends it after the hold");
        deliverOnAllAtOnce();
        awaitTrue(() -> !outcomes(b, created.path("id").asText()).isEmpty(), "the attempt is logged");

        List<WebhookReceiver.Received> received = receiver.received();
        assertThat(received).hasSize(2);
        assertThat(received.get(1).headers().get("webhook-id"))
                .isEqualTo(received.get(0).headers().get("webhook-id"));
        assertSigned(received.get(1), created.path("secret").asText());
        List<String> log = outcomes(restarted, created.path("id").asText());
        assertThat(log.getFirst()).isEqualTo("DELIVERED");
        assertThat(log).containsOnlyOnce("DELIVERED");
    }

    @Test
    void aNodeThatStopsHeartbeating_raisesOneMissingAlert_acrossAChangeOfLeader_andOneBackAlert() throws Exception {
        startNode();
        startNode();
        tickAll();
        LicenseServer silent = unstartedNode("http://node-c.invalid:8080");
        silent.tick();
        String silentId = silent.cluster().status().nodeId();
        subscribe(leader());

        awaitTrue(() -> missing(leader(), silentId), "the registry shows node C missing");
        leader().tick();
        clock.advance(Duration.ofSeconds(59));
        leader().tick();
        assertThat(alerts(leader(), "NODE_MISSING"))
                .as("not yet: the rule's bound is a minute")
                .isEmpty();

        clock.advance(Duration.ofSeconds(1));
        leader().tick();
        List<JsonNode> missing = alerts(leader(), "NODE_MISSING");
        assertThat(missing).hasSize(1);
        assertThat(missing.getFirst().path("facts").path("nodeId").asText()).isEqualTo(silentId);
        assertThat(missing.getFirst().path("facts").path("address").asText()).isEqualTo("http://node-c.invalid:8080");

        LicenseServer former = leader();
        servers.remove(former);
        former.close();
        LicenseServer successor = awaitLeader();
        clock.advance(Duration.ofMinutes(5));
        successor.tick();
        successor.tick();
        assertThat(alerts(successor, "NODE_MISSING"))
                .as("one alert per outage, whoever leads")
                .hasSize(1);

        silent.tick();
        successor.tick();
        successor.tick();
        List<JsonNode> back = alerts(successor, "NODE_BACK");
        assertThat(back).hasSize(1);
        assertThat(back.getFirst().path("summary").asText()).contains("heartbeating again");
        successor.deliverAlerts();
        awaitTrue(
                () -> receiver.received().stream()
                        .anyMatch(request -> request.body().contains("cluster.node_back")),
                "the alerts are delivered");
        assertThat(receiver.received().stream().map(WebhookReceiver.Received::body))
                .filteredOn(body -> body.contains("\"cluster.node_missing\""))
                .hasSize(1);
    }

    @Test
    void aMissingNodeRestartedAtItsAddress_isReportedBack_andAShortOutageRaisesNothing() throws Exception {
        startNode();
        tickAll();
        LicenseServer silent = unstartedNode("http://node-d.invalid:8080");
        silent.tick();
        String silentId = silent.cluster().status().nodeId();

        awaitTrue(() -> missing(leader(), silentId), "the registry shows node D missing");
        leader().tick();
        clock.advance(Duration.ofMinutes(2));
        leader().tick();
        assertThat(alerts(leader(), "NODE_MISSING")).hasSize(1);

        LicenseServer replacement = unstartedNode("http://node-d.invalid:8080");
        replacement.tick();
        leader().tick();

        List<JsonNode> back = alerts(leader(), "NODE_BACK");
        assertThat(back).hasSize(1);
        assertThat(back.getFirst().path("summary").asText())
                .contains("restarted as node " + replacement.cluster().status().nodeId());

        awaitTrue(
                () -> missing(leader(), replacement.cluster().status().nodeId()),
                "the registry shows the replacement missing");
        leader().tick();
        replacement.tick();
        leader().tick();
        assertThat(alerts(leader(), "NODE_MISSING"))
                .as("missing for less than the bound: no alert")
                .hasSize(1);
        assertThat(alerts(leader(), "NODE_BACK")).hasSize(1);
    }

    private JsonNode subscribe(LicenseServer node) {
        Api.Reply reply = api(node)
                .postJson(
                        "/api/v1/alerts/subscriptions",
                        ADMIN_TOKEN,
                        "{\"name\": \"ops hook\", \"channel\": \"WEBHOOK\", \"target\": \"" + receiver.url() + "\"}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json();
    }

    /** Every node sends what is due at the same moment, from threads released by one gate. */
    private void deliverOnAllAtOnce() throws Exception {
        List<LicenseServer> nodes = List.copyOf(servers);
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(nodes.size());
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            for (LicenseServer node : nodes) {
                sent.add(threads.submit(() -> {
                    gate.await();
                    return node.deliverAlerts();
                }));
            }
            gate.countDown();
            for (Future<Integer> attempts : sent) {
                attempts.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private List<WebhookReceiver.Received> denials() {
        return receiver.received().stream()
                .filter(request -> request.body().contains("\"seats.denied\""))
                .toList();
    }

    private static void assertSigned(WebhookReceiver.Received request, String secret) {
        assertThat(WebhookSignature.verify(
                        secret,
                        request.headers().get("webhook-id"),
                        Long.parseLong(request.headers().get("webhook-timestamp")),
                        request.body(),
                        request.headers().get("webhook-signature")))
                .as("Standard Webhooks signature")
                .isTrue();
    }

    private List<String> outcomes(LicenseServer node, String subscriptionId) {
        Api.Reply reply = api(node).get("/api/v1/alerts/subscriptions/" + subscriptionId + "/deliveries", ADMIN_TOKEN);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return StreamSupport.stream(reply.json().path("attempts").spliterator(), false)
                .map(attempt -> attempt.path("outcome").asText())
                .toList();
    }

    private List<JsonNode> alerts(LicenseServer node, String rule) {
        Api.Reply reply = api(node).get("/api/v1/alerts", ADMIN_TOKEN);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return StreamSupport.stream(reply.json().path("alerts").spliterator(), false)
                .filter(alert -> alert.path("rule").asText().equals(rule))
                .toList();
    }

    private boolean missing(LicenseServer node, String nodeId) {
        JsonNode nodes = api(node).get("/api/v1/cluster", ADMIN_TOKEN).json().path("nodes");
        return StreamSupport.stream(nodes.spliterator(), false)
                .anyMatch(listed -> listed.path("id").asText().equals(nodeId)
                        && listed.path("missing").asBoolean());
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(100);
        }
    }

    private LicenseServer awaitLeader() throws InterruptedException {
        awaitTrue(() -> servers.stream().anyMatch(node -> node.cluster().leads()), "a node leads");
        return leader();
    }

    /**
     * The node leading now. A node leads only while its lock was confirmed within the last 2 s of its ticker, so
     * right after the test moves the clock no node may say it leads until the next tick of a node's scheduler.
     */
    private LicenseServer leader() {
        try {
            awaitTrue(() -> servers.stream().anyMatch(node -> node.cluster().leads()), "a node leads");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a leader", e);
        }
        List<LicenseServer> leaders =
                servers.stream().filter(node -> node.cluster().leads()).toList();
        assertThat(leaders).as("nodes leading").hasSize(1);
        return leaders.getFirst();
    }

    private void tickAll() {
        servers.forEach(LicenseServer::tick);
    }

    private LicenseServer startNode() {
        LicenseServer server = open(TestPostgres.FAKE_CLOCK);
        server.start();
        return server;
    }

    /**
     * A node that is opened but not started: no scheduler, no listener; it heartbeats only when the test calls
     * its {@code tick()}, so it goes missing when the test stops calling it, as a hung node does.
     */
    private LicenseServer unstartedNode(String address) {
        return open(new ServerConfig.ClusterSettings(
                Optional.of(URI.create(address)), TestPostgres.FAKE_CLOCK.maxClockOffset()));
    }

    private LicenseServer open(ServerConfig.ClusterSettings cluster) {
        ServerConfig config = ServerConfig.of("127.0.0.1", 0, data, List.of(TestVendor.publicKey())).toBuilder()
                .adminPassword(Optional.of(RunningServer.ADMIN_PASSWORD))
                .bootstrapToken(Optional.of(ADMIN_TOKEN))
                .database(Optional.of(database.url()))
                .cluster(cluster)
                .build();
        LicenseServer server = LicenseServer.open(
                config,
                clock,
                clock.ticker(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        servers.add(server);
        return server;
    }

    private static ClaimRequest claim(String agent) {
        return new ClaimRequest(AgentId.parse(agent).orElseThrow(), null, null);
    }

    private static Api api(LicenseServer node) {
        String url = node.url();
        return new Api(Integer.parseInt(url.substring(url.lastIndexOf(':') + 1)));
    }
}
