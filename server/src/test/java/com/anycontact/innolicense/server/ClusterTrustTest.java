package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditQuery;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node on development trust in a cluster of nodes on production trust: the customer who wants more seats than
 * they paid for starts one node that trusts a key pair of their own, applies a key of many seats through it, and
 * sends the ACD there. That node has its development-trust banner; the point here is that every other node says so
 * too (the warning {@code DEVELOPMENT_TRUST_IN_CLUSTER} in its license status, which AC Admin and the dashboard show
 * in the state banner, and the node's trust in the node list), and that the key it accepted is ignored by them.
 */
class ClusterTrustTest {

    /** How long to wait for a live event: generous, since a test is no place to measure speed. */
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final ClusterFixture cluster = new ClusterFixture();

    @Test
    void aNodeOnDevelopmentTrust_isNamedByEveryNodeOnProductionTrust_whichIgnoresTheKeyItAccepted() {
        LicenseServer development = cluster.startNode(node -> node.developmentTrust(List.of(TestVendor.publicKey())));
        Api.Reply applied = Api.of(development)
                .postText(
                        "/api/v1/license",
                        RunningServer.ADMIN_TOKEN,
                        TestVendor.key(development.installationId(), 1, 500, RunningServer.LICENSE_START));
        assertThat(applied.status())
                .as("the node on development trust takes a key of the operator's own key pair")
                .isEqualTo(200);
        // Started after the key was applied, so that it reads it at its start rather than through the bus.
        LicenseServer production = cluster.startNode(node -> node.developmentTrust(List.of()));
        cluster.tickAll();

        JsonNode onProduction = license(production);
        assertThat(onProduction.path("trust").path("mode").asText()).isEqualTo("PRODUCTION");
        assertThat(onProduction.path("capacity").asInt())
                .as("the key signed with a key pair of the operator's own gives no seats here")
                .isEqualTo(2);
        assertThat(onProduction.path("ignoredLicenses").get(0).path("serial").asLong())
                .isEqualTo(1);
        assertThat(warning(onProduction, "DEVELOPMENT_TRUST_IN_CLUSTER"))
                .as("the production node names the other node")
                .hasValueSatisfying(message -> assertThat(message)
                        .startsWith("Node " + development.url() + " of this cluster runs on development trust")
                        .contains("without --development-trust"));

        assertThat(production.audit().find(AuditQuery.newest(50).withType(AuditEvent.Type.DEVELOPMENT_TRUST)))
                .as("the start on development trust is in the cluster's one chained audit log")
                .hasSize(1);

        JsonNode onDevelopment = license(development);
        assertThat(onDevelopment.path("trust").path("mode").asText()).isEqualTo("DEVELOPMENT");
        assertThat(onDevelopment.path("capacity").asInt()).isEqualTo(500);
        assertThat(warning(onDevelopment, "DEVELOPMENT_TRUST_IN_CLUSTER"))
                .as("the node on development trust has its own banner; no other node is on it")
                .isEmpty();

        JsonNode nodes = Api.of(production)
                .get("/api/v1/cluster", RunningServer.ADMIN_TOKEN)
                .json()
                .path("nodes");
        assertThat(StreamSupport.stream(nodes.spliterator(), false)
                        .map(node -> node.path("address").asText() + " "
                                + node.path("trust").asText()))
                .containsExactlyInAnyOrder(production.url() + " PRODUCTION", development.url() + " DEVELOPMENT");

        cluster.stop(development);
        production.tick();
        assertThat(warning(license(production), "DEVELOPMENT_TRUST_IN_CLUSTER"))
                .as("a node that left the cluster is no longer named")
                .isEmpty();
    }

    @Test
    void theDashboardsOfAProductionNode_areToldAtOnce_whenANodeOnDevelopmentTrustJoinsAndLeaves() throws Exception {
        LicenseServer production = cluster.startNode(node -> node.developmentTrust(List.of()));
        cluster.tickAll();
        try (EventStream stream = new EventStream(Api.port(production), RunningServer.ADMIN_TOKEN)) {
            assertThat(stream.status).isEqualTo(200);

            LicenseServer development =
                    cluster.startNode(node -> node.developmentTrust(List.of(TestVendor.publicKey())));
            cluster.tickAll();
            assertThat(stream.next(EventStream.named("state"), WAIT).name())
                    .as("a state event, upon which the dashboard reads the license status again")
                    .isEqualTo("state");
            assertThat(warning(license(production), "DEVELOPMENT_TRUST_IN_CLUSTER"))
                    .isPresent();

            cluster.stop(development);
            cluster.tickAll();
            assertThat(stream.next(EventStream.named("state"), WAIT).name()).isEqualTo("state");
            assertThat(warning(license(production), "DEVELOPMENT_TRUST_IN_CLUSTER"))
                    .isEmpty();
        }
    }

    private static JsonNode license(LicenseServer node) {
        Api.Reply reply = Api.of(node).get("/api/v1/license", RunningServer.ADMIN_TOKEN);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private static Optional<String> warning(JsonNode status, String code) {
        return StreamSupport.stream(status.path("warnings").spliterator(), false)
                .filter(warning -> warning.path("code").asText().equals(code))
                .map(warning -> warning.path("message").asText())
                .findFirst();
    }
}
