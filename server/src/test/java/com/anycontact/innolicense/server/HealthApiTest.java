package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /health/live} and {@code /health/ready} of a started server, open to anyone. */
class HealthApiTest {

    @TempDir
    Path data;

    private RunningServer running;

    @BeforeEach
    void start() {
        running = RunningServer.start(data);
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void live_isUp_withoutCredentials() {
        Api.Reply reply = running.api.get("/health/live", null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(reply.json().path("status").asText()).isEqualTo("UP");
        assertThat(reply.json().path("checks").isObject()).isTrue();
    }

    @Test
    void ready_onceStarted_isUp_withTheDatabaseAndStartedChecks() {
        Api.Reply reply = running.api.get("/health/ready", null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("status").asText()).isEqualTo("UP");
        assertThat(reply.json().path("checks").path("database").asText()).isEqualTo("UP");
        assertThat(reply.json().path("checks").path("started").asText()).isEqualTo("UP");
    }
}
