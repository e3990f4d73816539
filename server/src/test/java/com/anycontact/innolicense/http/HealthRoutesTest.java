package com.anycontact.innolicense.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Readiness with checks that fail: 503 {@code not-ready} naming them, and 200 again once they pass. */
class HealthRoutesTest {

    private final AtomicBoolean databaseAnswers = new AtomicBoolean(true);
    private final AtomicBoolean started = new AtomicBoolean(true);
    private Javalin javalin;

    @AfterEach
    void stop() {
        if (javalin != null) {
            javalin.stop();
        }
    }

    private JsonNode ready(int expectedStatus, String expectedType) throws IOException, InterruptedException {
        if (javalin == null) {
            Json json = new Json();
            HealthRoutes health = new HealthRoutes(
                    List.of(
                            new HealthCheck("database", () -> {
                                if (!databaseAnswers.get()) {
                                    throw new IllegalStateException("cannot read the database");
                                }
                                return true;
                            }),
                            new HealthCheck("started", started::get)),
                    json);
            javalin = Javalin.create(config -> {
                        config.startup.showJavalinBanner = false;
                        new Problems(json.mapper()).register(config.routes);
                        config.routes.get("/health/ready", health::ready);
                    })
                    .start("127.0.0.1", 0);
        }
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + javalin.port() + "/health/ready"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith(expectedType);
        return new ObjectMapper().readTree(response.body());
    }

    @Test
    void ready_whenTheDatabaseFails_is503NotReady_namingTheCheck() throws Exception {
        databaseAnswers.set(false);

        JsonNode problem = ready(503, "application/problem+json");

        assertThat(problem.path("type").asText()).endsWith("/not-ready");
        assertThat(problem.path("checks").path("database").asText()).isEqualTo("DOWN");
        assertThat(problem.path("checks").path("started").asText()).isEqualTo("UP");
        assertThat(problem.path("detail").asText()).contains("database").doesNotContain("cannot read");
    }

    @Test
    void ready_beforeStartHasFinished_is503() throws Exception {
        started.set(false);

        JsonNode problem = ready(503, "application/problem+json");

        assertThat(problem.path("checks").path("started").asText()).isEqualTo("DOWN");
    }

    @Test
    void ready_onceTheChecksPassAgain_is200() throws Exception {
        databaseAnswers.set(false);
        ready(503, "application/problem+json");
        databaseAnswers.set(true);

        JsonNode health = ready(200, "application/json");

        assertThat(health.path("status").asText()).isEqualTo("UP");
    }
}
