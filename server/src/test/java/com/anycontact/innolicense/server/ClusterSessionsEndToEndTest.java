package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.http.TrustedProxies;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Any node serves any browser: two real servers on real ports with {@code --database} on one PostgreSQL schema,
 * driven over HTTP as a browser and a guesser would. A session made on one node is valid on the other and ends on
 * both when it ends on one; failed logins on both nodes count against one throttle.
 */
class ClusterSessionsEndToEndTest {

    private static final String SESSION = "/api/v1/session";

    @RegisterExtension
    final ClusterFixture cluster = new ClusterFixture();

    private final FakeTime clock = cluster.clock;
    private int portA;
    private Api nodeA;
    private Api nodeB;

    @BeforeEach
    void startTwoNodes() {
        portA = startNode();
        nodeA = new Api(portA);
        nodeB = new Api(startNode());
    }

    @Test
    void aSessionMadeOnNodeA_servesOnNodeB_andLogoutOnB_endsItOnA() {
        SignedIn browser = SignedIn.as(nodeA, "admin", RunningServer.ADMIN_PASSWORD);

        Api.Reply whoAmI = nodeB.request("GET", SESSION, null, null, browser.reading());
        assertThat(whoAmI.status()).as(whoAmI.body()).isEqualTo(200);
        assertThat(whoAmI.json().path("user").asText()).isEqualTo("admin");
        assertThat(whoAmI.json().path("csrfToken").asText()).isEqualTo(browser.csrfToken());
        Api.Reply created = nodeB.request(
                "POST",
                "/api/v1/tokens",
                "application/json",
                Api.bytes("{\"name\": \"made on B\", \"role\": \"SUPERVISOR\"}"),
                browser.writing());
        assertThat(created.status())
                .as("a write on B with the CSRF token given by A: " + created.body())
                .isEqualTo(201);
        assertThat(nodeB.request("POST", "/api/v1/tokens", "application/json", Api.bytes("{}"), browser.reading())
                        .status())
                .as("a write without the CSRF token")
                .isEqualTo(403);

        Api.Reply logout = nodeB.request("DELETE", SESSION, null, null, browser.writing());
        assertThat(logout.status()).as(logout.body()).isEqualTo(204);

        Api.Reply afterwards = nodeA.request("GET", "/api/v1/license", null, null, browser.reading());
        assertThat(afterwards.status()).as(afterwards.body()).isEqualTo(401);
        assertThat(afterwards.json().path("type").asText()).endsWith("invalid-credentials");
        assertThat(nodeB.request("GET", SESSION, null, null, browser.reading()).status())
                .isEqualTo(401);
    }

    @Test
    void logoutOnNodeB_endsTheSessionsLiveEventStreamOnNodeA_withinItsOnceASecondCheck() throws Exception {
        SignedIn browser = SignedIn.as(nodeA, "admin", RunningServer.ADMIN_PASSWORD);
        try (EventStream stream = new EventStream(portA, browser.reading())) {
            assertThat(stream.status).isEqualTo(200);
            assertThat(stream.next(event -> true, Duration.ofSeconds(10)).name())
                    .isNotEqualTo(EventStream.END);

            assertThat(nodeB.request("DELETE", SESSION, null, null, browser.writing())
                            .status())
                    .isEqualTo(204);

            assertThat(stream.next(EventStream.named(EventStream.END), Duration.ofSeconds(15))
                            .name())
                    .isEqualTo(EventStream.END);
        }
    }

    @Test
    void aUseOnEitherNode_keepsTheSessionAliveOnBoth_untilItIsIdleOnBoth() {
        SignedIn browser = SignedIn.as(nodeA, "admin", RunningServer.ADMIN_PASSWORD);
        clock.advance(Duration.ofMinutes(20));
        assertThat(nodeB.request("GET", "/api/v1/license", null, null, browser.reading())
                        .status())
                .isEqualTo(200);
        clock.advance(Duration.ofMinutes(20));
        assertThat(nodeA.request("GET", "/api/v1/license", null, null, browser.reading())
                        .status())
                .as("40 minutes after login, 20 after its use on B")
                .isEqualTo(200);

        clock.advance(Duration.ofMinutes(30));

        assertThat(nodeB.request("GET", "/api/v1/license", null, null, browser.reading())
                        .status())
                .isEqualTo(401);
        assertThat(nodeA.request("GET", "/api/v1/license", null, null, browser.reading())
                        .status())
                .isEqualTo(401);
    }

    @Test
    void failedLoginsOnBothNodes_lockThePairOnBoth_andAnUnlockOnOneNodeLiftsItOnBoth() {
        Map<String, String> attacker = Map.of("X-Forwarded-For", "198.51.100.7");
        for (int i = 0; i < 5; i++) {
            Api.Reply refused = login(i % 2 == 0 ? nodeA : nodeB, "admin", "wrong password number " + i, attacker);
            assertThat(refused.status()).as(refused.body()).isEqualTo(401);
        }

        assertThat(login(nodeA, "admin", RunningServer.ADMIN_PASSWORD, attacker).status())
                .isEqualTo(429);
        assertThat(login(nodeB, "admin", RunningServer.ADMIN_PASSWORD, attacker).status())
                .isEqualTo(429);
        assertThat(login(nodeB, "admin", RunningServer.ADMIN_PASSWORD, Map.of("X-Forwarded-For", "203.0.113.9"))
                        .status())
                .as("the admin elsewhere")
                .isEqualTo(200);

        Api.Reply unlocked =
                nodeA.send("DELETE", "/api/v1/login-throttle/admin", RunningServer.ADMIN_TOKEN, null, null);
        assertThat(unlocked.status()).as(unlocked.body()).isEqualTo(200);
        assertThat(unlocked.json().path("cleared").asInt()).isEqualTo(1);

        assertThat(login(nodeB, "admin", RunningServer.ADMIN_PASSWORD, attacker).status())
                .as("unlocked on A, so on B")
                .isEqualTo(200);
    }

    @Test
    void failedLoginsOnBothNodes_spendOneGlobalBudget() {
        int budget = 100;
        for (int i = 0; i < budget; i++) {
            Api.Reply refused = login(
                    i % 2 == 0 ? nodeA : nodeB,
                    "guess" + i,
                    "wrong password number " + i,
                    Map.of("X-Forwarded-For", "198.51." + (i / 250) + "." + (i % 250 + 1)));
            assertThat(refused.status()).as("guess %d: %s", i, refused.body()).isEqualTo(401);
        }

        Map<String, String> fresh = Map.of("X-Forwarded-For", "203.0.113.77");
        Api.Reply onA = login(nodeA, "someone", "another wrong password", fresh);
        Api.Reply onB = login(nodeB, "someone", "another wrong password", fresh);

        assertThat(onA.status()).as(onA.body()).isEqualTo(429);
        assertThat(onB.status()).as(onB.body()).isEqualTo(429);
        assertThat(onB.header("Retry-After")).contains("1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(login(nodeB, "someone", "another wrong password", fresh).status())
                .as("refilled by one a second")
                .isEqualTo(401);
    }

    private Api.Reply login(Api node, String user, String password, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        return node.request(
                "POST",
                SESSION,
                "application/json",
                Api.bytes("{\"username\": \"" + user + "\", \"password\": \"" + password + "\"}"),
                all);
    }

    private int startNode() {
        return Api.port(cluster.startNode(node -> node.trustedProxies(TrustedProxies.of(List.of("127.0.0.0/8")))));
    }
}
