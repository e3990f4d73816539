package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed bodies, unknown fields, wrong types, huge bodies and bad agent IDs: each is a 4xx problem that
 * names what is wrong, never a stack trace, and changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRequestTest {

    @TempDir
    static Path data;

    private RunningServer running;
    private Api api;
    private String acd;

    @BeforeAll
    void start() {
        running = RunningServer.start(data);
        api = running.api;
        acd = running.token("ACD");
        running.apply(1, 5);
        api.claim(acd, "held-1");
    }

    @AfterAll
    void stop() {
        running.close();
    }

    private String state() {
        return api.get("/api/v1/seats", RunningServer.ADMIN_TOKEN).body()
                + api.get("/api/v1/tokens", RunningServer.ADMIN_TOKEN).body()
                + api.get("/api/v1/license", RunningServer.ADMIN_TOKEN).body();
    }

    private void assertProblem(Api.Reply reply, int status, String type) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.problemType()).isEqualTo(type);
        assertThat(reply.json().path("title").asText()).isNotBlank();
        assertThat(reply.json().path("status").asInt()).isEqualTo(status);
        assertThat(reply.json().path("detail").asText()).isNotBlank();
        assertThat(reply.body()).doesNotContain("Exception", "\tat ", "com.anycontact", "jackson");
    }

    static Stream<Arguments> badClaimBodies() {
        return Stream.of(
                Arguments.of("{\"node\": 5}", "node"),
                Arguments.of("{\"node\": \"acd-1\", \"nod\": \"x\"}", "nod"),
                Arguments.of("{\"station\": [\"a\"]}", "station"),
                Arguments.of("{\"station\": \" leading space\"}", "station"),
                Arguments.of("{\"node\": \"" + "n".repeat(200) + "\"}", "node"),
                Arguments.of("{\"node\": \"acd-1\"", ""),
                Arguments.of("not json", ""),
                Arguments.of("[1, 2]", ""),
                Arguments.of("\"text\"", ""),
                Arguments.of("{\"node\": \"a\"} {}", ""));
    }

    @ParameterizedTest
    @MethodSource("badClaimBodies")
    void claims_withABadBody_are400NamingTheField_andClaimNothing(String body, String field) {
        String before = state();

        Api.Reply reply = api.putJson("/api/v1/seats/agent-new", acd, body);

        assertProblem(reply, 400, "invalid-body");
        if (!field.isEmpty()) {
            assertThat(reply.json().path("field").asText()).isEqualTo(field);
            assertThat(reply.json().path("detail").asText()).contains(field);
        }
        assertThat(state()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-starts-with-dash", "has%20space", "%C3%A9t%C3%A9", "star*", "_under"})
    void claims_forBadAgentIds_are400WithTheRule(String agent) {
        String before = state();

        Api.Reply reply = api.claim(acd, agent);

        assertProblem(reply, 400, "invalid-agent-id");
        assertThat(reply.json().path("rule").asText()).contains("1 to 64 characters");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void claims_forTooLongAgentIds_are400() {
        assertProblem(api.claim(acd, "a".repeat(65)), 400, "invalid-agent-id");
        assertThat(api.delete("/api/v1/seats/" + "a".repeat(65), acd).status()).isEqualTo(400);
    }

    @Test
    void hugeBodies_are413_andClaimNothing() {
        String before = state();
        String huge = "{\"node\": \"" + "n".repeat(100_000) + "\"}";

        assertProblem(api.putJson("/api/v1/seats/agent-new", acd, huge), 413, "request-too-large");
        assertProblem(
                api.postText("/api/v1/license", RunningServer.ADMIN_TOKEN, "x".repeat(20_000)),
                413,
                "request-too-large");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void hugeBodies_areReadToTheirEnd_soTheAnswerArrives_andTheConnectionServesTheNextRequest() throws IOException {
        URI url = URI.create(running.server.url());
        String huge = "{\"node\": \"" + "n".repeat(200_000) + "\"}";
        String text;
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/v1/seats/agent-new HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + acd
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + huge.length() + "\r\n\r\n"
                            + huge + "GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }

        assertThat(text).startsWith("HTTP/1.1 413 ").contains("request-too-large");
        assertThat(text.indexOf("HTTP/1.1 200 ")).as(text).isGreaterThan(0);
    }

    @Test
    void licenseKeys_thatAreNotKeys_are422WithTheReason() {
        String before = state();

        Api.Reply junk = api.postText("/api/v1/license", RunningServer.ADMIN_TOKEN, "hello");
        Api.Reply empty = api.postText("/api/v1/license", RunningServer.ADMIN_TOKEN, "");
        Api.Reply large = api.postText("/api/v1/license", RunningServer.ADMIN_TOKEN, "x".repeat(10_000));

        assertProblem(junk, 422, "license-key-rejected");
        assertThat(junk.json().path("reason").asText()).isEqualTo("MALFORMED");
        assertThat(empty.json().path("reason").asText()).isEqualTo("MALFORMED");
        assertThat(large.json().path("reason").asText()).isEqualTo("TOO_LARGE");
        assertThat(state()).isEqualTo(before);
    }

    static Stream<Arguments> badTokenBodies() {
        return Stream.of(
                Arguments.of("{\"name\": \"x\", \"role\": \"ROOT\"}", "role"),
                Arguments.of("{\"name\": \"x\", \"role\": 1}", "role"),
                Arguments.of("{\"role\": \"ACD\"}", "name"),
                Arguments.of("{\"name\": \"x\"}", "role"),
                Arguments.of("{\"name\": \"x\", \"role\": \"ACD\", \"secret\": \"mine\"}", "secret"),
                Arguments.of("{\"name\": 3, \"role\": \"ACD\"}", "name"),
                Arguments.of("", ""));
    }

    @ParameterizedTest
    @MethodSource("badTokenBodies")
    void tokenCreations_withABadBody_are400NamingTheField(String body, String field) {
        String before = state();

        Api.Reply reply = api.postJson("/api/v1/tokens", RunningServer.ADMIN_TOKEN, body);

        assertProblem(reply, 400, "invalid-body");
        if (!field.isEmpty()) {
            assertThat(reply.json().path("field").asText()).isEqualTo(field);
        }
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void logins_withABadBody_are400() {
        assertProblem(api.postJson("/api/v1/session", null, "{\"username\": \"admin\"}"), 400, "invalid-body");
        assertProblem(
                api.postJson("/api/v1/session", null, "{\"user\": \"admin\", \"password\": \"x\"}"),
                400,
                "invalid-body");
        assertProblem(api.postJson("/api/v1/session", null, "{{"), 400, "invalid-body");
    }
}
