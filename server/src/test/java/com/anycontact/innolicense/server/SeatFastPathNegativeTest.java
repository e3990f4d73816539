package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.access.AccessService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security regression suite, the seat fast path's negative cases: a revoked token, a supervisor token, a session
 * cookie, percent-encoded and trailing-slash paths, oversized and chunked bodies, a body of another media type.
 * None is answered by the fast path ({@code innolicense_http_seat_fast_total} stays put), and each is answered
 * exactly as the Javalin route answers the same call (made with a stale token, which only the route accepts).
 */
class SeatFastPathNegativeTest {

    private static final Duration STALE = AccessService.TOKEN_RECHECK.plusSeconds(1);

    @TempDir
    Path dataDirectory;

    private RunningServer running;
    private Api api;
    private String acd;

    @BeforeEach
    void start() {
        running = RunningServer.start(dataDirectory);
        api = running.api;
        running.apply(1, 20);
        acd = running.token("ACD");
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void aPercentEncodedPath_isAnsweredByTheRoute() {
        assertSameAsTheRoute(agent -> api.putJson("/api/v1/seats/" + agent.replace("-", "%2D"), acd, null));
    }

    @Test
    void aTrailingSlash_isAnsweredByTheRoute() {
        assertSameAsTheRoute(agent -> api.putJson("/api/v1/seats/" + agent + "/", acd, null));
        assertSameAsTheRoute(agent -> api.delete("/api/v1/seats/" + agent + "/", acd));
    }

    @Test
    void aBodyOverTheFastPathsLimit_isAnsweredByTheRoute() {
        String padded = "{\"node\":\"acd-1\"" + " ".repeat(5 * 1024) + "}";
        assertSameAsTheRoute(agent -> api.putJson("/api/v1/seats/" + agent, acd, padded));
    }

    @Test
    void aBodyOverTheApiLimit_is413OnBothPaths() {
        String huge = "{\"node\":\"acd-1\"" + " ".repeat(70 * 1024) + "}";
        Api.Reply reply =
                assertSameAsTheRoute(agent -> sentAgainIfReset(() -> api.putJson("/api/v1/seats/" + agent, acd, huge)));

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.problemType()).isEqualTo("request-too-large");
    }

    @Test
    void aChunkedBody_isAnsweredByTheRoute() {
        Api.Reply reply = assertSameAsTheRoute(agent -> chunked("/api/v1/seats/" + agent, "{\"node\":\"acd-1\"}"));

        assertThat(reply.status()).isEqualTo(201);
    }

    @Test
    void aReleaseWithABody_isAnsweredByTheRoute() {
        assertSameAsTheRoute(
                agent -> api.send("DELETE", "/api/v1/seats/" + agent, acd, "application/json", Api.bytes("{}")));
    }

    @Test
    void aClaimBodyOfAnotherMediaType_isAnsweredByTheRoute() {
        Api.Reply reply = assertSameAsTheRoute(agent ->
                api.send("PUT", "/api/v1/seats/" + agent, acd, "text/plain", Api.bytes("{\"node\":\"acd-1\"}")));

        assertThat(reply.status()).isEqualTo(415);
    }

    @Test
    void aRevokedToken_is401FromTheRoute() {
        Api.Reply created =
                api.postJson("/api/v1/tokens", RunningServer.ADMIN_TOKEN, "{\"name\": \"doomed\", \"role\": \"ACD\"}");
        String doomed = created.json().path("token").asText();
        assertThat(api.claim(doomed, "v-1").status()).isEqualTo(201);
        api.delete("/api/v1/tokens/" + created.json().path("id").asText(), RunningServer.ADMIN_TOKEN);
        double before = fastAnswers();

        Api.Reply claim = api.claim(doomed, "v-2");
        Api.Reply release = api.delete("/api/v1/seats/v-1", doomed);

        assertThat(fastAnswers()).isEqualTo(before);
        assertThat(claim.status()).isEqualTo(401);
        assertThat(claim.problemType()).isEqualTo("invalid-credentials");
        assertThat(release.status()).isEqualTo(401);
    }

    @Test
    void aSupervisorToken_is403FromTheRoute() {
        String supervisor = running.token("SUPERVISOR");
        assertThat(api.get("/api/v1/license", supervisor).status()).isEqualTo(200);
        double before = fastAnswers();

        Api.Reply claim = api.claim(supervisor, "s-1");
        Api.Reply release = api.delete("/api/v1/seats/s-1", supervisor);

        assertThat(fastAnswers()).isEqualTo(before);
        assertThat(claim.status()).isEqualTo(403);
        assertThat(claim.problemType()).isEqualTo("role-not-allowed");
        assertThat(release.status()).isEqualTo(403);
    }

    @Test
    void aSessionCookie_is403FromTheRoute() {
        SignedIn admin = SignedIn.as(api, "admin", RunningServer.ADMIN_PASSWORD);
        double before = fastAnswers();

        Api.Reply claim = api.request("PUT", "/api/v1/seats/c-1", null, null, admin.writing());
        Api.Reply release = api.request("DELETE", "/api/v1/seats/c-1", null, null, admin.writing());

        assertThat(fastAnswers()).isEqualTo(before);
        assertThat(claim.status()).isEqualTo(403);
        assertThat(claim.problemType()).isEqualTo("role-not-allowed");
        assertThat(release.status()).isEqualTo(403);
    }

    /**
     * Makes the call with a token the fast path knows (agent {@code f-N}), which must not be answered there, and
     * again with the token stale (agent {@code r-N}), which only the route answers; both answers must be equal.
     *
     * @return the answer
     */
    private Api.Reply assertSameAsTheRoute(Function<String, Api.Reply> call) {
        assertThat(api.claim(acd, "warm-up").status()).isBetween(200, 201);
        double before = fastAnswers();
        Api.Reply fast = call.apply("f-" + ++calls);
        assertThat(fastAnswers()).as("answered by the fast path").isEqualTo(before);
        running.clock.advance(STALE);
        Api.Reply route = call.apply("r-" + calls);
        assertThat(masked("f-", fast)).isEqualTo(masked("r-", route));
        return route;
    }

    private int calls;

    /**
     * The call, sent once more (up to 3 times) when the connection ended without an answer: the server answers 413
     * before it has read the whole body and closes the connection, and once in a while the client's side sees the
     * reset before the answer (seen once in a CI run). What is checked is the answer, not the connection.
     */
    private static Api.Reply sentAgainIfReset(java.util.function.Supplier<Api.Reply> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (java.io.UncheckedIOException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static String masked(String prefix, Api.Reply reply) {
        String body = reply.body()
                .replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "<instant>")
                .replace(prefix, "<agent>-");
        String mediaType = reply.status() == 204
                ? ""
                : reply.contentType().toLowerCase(Locale.ROOT).replace(" ", "");
        return reply.status() + " " + mediaType + " " + body;
    }

    private double fastAnswers() {
        return Api.sample(api.get("/metrics", RunningServer.ADMIN_TOKEN).body(), "innolicense_http_seat_fast_total");
    }

    /** A claim whose body is sent chunked, its length not declared. */
    private Api.Reply chunked(String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(running.server.url().replace("localhost", "127.0.0.1") + path))
                .header("Authorization", "Bearer " + acd)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Api.Reply(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    Api.JSON.readTree(response.body().isEmpty() ? "null" : response.body()),
                    response.body(),
                    Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
