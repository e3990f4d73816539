package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API token expiry and the binding of an ACD token to a node, against the real server on a real port. */
class TokenExpiryAndNodeApiTest {

    @TempDir
    Path data;

    private RunningServer running;
    private Api api;

    @BeforeEach
    void start() {
        running = RunningServer.start(data);
        api = running.api;
        running.apply(1, 10);
    }

    @AfterEach
    void stop() {
        running.close();
    }

    private Api.Reply create(String body) {
        return api.postJson("/api/v1/tokens", RunningServer.ADMIN_TOKEN, body);
    }

    @Test
    void anExpiredToken_isRefusedWithAClearReason_byTheFastPathToo() {
        String expiry = RunningServer.START.plus(Duration.ofDays(90)).toString();
        Api.Reply created = create("{\"name\": \"acd-node-1\", \"role\": \"ACD\", \"expiresAt\": \"" + expiry + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("expiresAt").asText()).isEqualTo(expiry);
        String token = created.json().path("token").asText();
        assertThat(api.claim(token, "agent-1").status()).isEqualTo(201);
        assertThat(api.claim(token, "agent-1").status())
                .as("renewed on the fast path's cached token")
                .isEqualTo(200);

        running.clock.advance(Duration.ofDays(90));
        Api.Reply refused = api.claim(token, "agent-1");

        assertThat(refused.status()).as(refused.body()).isEqualTo(401);
        assertThat(refused.problemType()).isEqualTo("token-expired");
        assertThat(refused.json().path("detail").asText()).contains("expired at " + expiry);
        Api.Reply listed = api.get("/api/v1/tokens", RunningServer.ADMIN_TOKEN);
        assertThat(listed.json().path("tokens").findValuesAsText("expiresAt")).contains(expiry);
    }

    @Test
    void aBoundAcdToken_claimsForItsNode_refusesAnother_andIsCounted() {
        Api.Reply created = create("{\"name\": \"acd-node-1\", \"role\": \"ACD\", \"node\": \"acd-1\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String token = created.json().path("token").asText();

        Api.Reply unnamed = api.claim(token, "agent-1");
        Api.Reply same = api.putJson("/api/v1/seats/agent-2", token, "{\"node\": \"acd-1\", \"station\": \"s-2\"}");
        Api.Reply other = api.putJson("/api/v1/seats/agent-3", token, "{\"node\": \"acd-2\"}");

        assertThat(unnamed.status()).as(unnamed.body()).isEqualTo(201);
        assertThat(unnamed.json().path("node").asText()).isEqualTo("acd-1");
        assertThat(same.status()).isEqualTo(201);
        assertThat(other.status()).as(other.body()).isEqualTo(403);
        assertThat(other.problemType()).isEqualTo("node-mismatch");
        assertThat(create("{\"name\": \"s\", \"role\": \"SUPERVISOR\", \"node\": \"acd-1\"}")
                        .json()
                        .path("field")
                        .asText())
                .isEqualTo("node");
        var tokens = api.get("/api/v1/tokens", RunningServer.ADMIN_TOKEN).json().path("tokens");
        for (var token1 : tokens) {
            if (token1.path("name").asText().equals("acd-node-1")) {
                assertThat(token1.path("node").asText()).isEqualTo("acd-1");
                assertThat(token1.path("claims").asLong()).isEqualTo(2);
            }
        }
    }
}
