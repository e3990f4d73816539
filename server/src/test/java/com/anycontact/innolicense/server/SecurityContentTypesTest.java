package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Security regression suite, login CSRF and content types (issue 11 item 5), over a real port: a JSON route
 * answers 415 to a body of another media type, which is what a cross-site HTML form can send without a CORS
 * preflight; and a login from another site's page ({@code Origin} or {@code Sec-Fetch-Site}) is refused.
 */
class SecurityContentTypesTest {

    private static final String LOGIN =
            "{\"username\": \"admin\", \"password\": \"" + RunningServer.ADMIN_PASSWORD + "\"}";

    @TempDir
    Path data;

    private RunningServer running;
    private Api api;

    @BeforeEach
    void start() {
        running = RunningServer.start(data);
        api = running.api;
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"})
    void aLogin_withABodyAFormCanSend_is415(String mediaType) {
        Api.Reply reply = api.send("POST", "/api/v1/session", null, mediaType, Api.bytes(LOGIN));

        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.problemType()).isEqualTo("unsupported-media-type");
        assertThat(reply.json().path("detail").asText()).contains("application/json");
        assertThat(reply.header("Set-Cookie")).isEmpty();
    }

    @Test
    void aLogin_withoutAMediaType_is415() {
        Api.Reply reply = api.send("POST", "/api/v1/session", null, null, Api.bytes(LOGIN));

        assertThat(reply.status()).isEqualTo(415);
    }

    @Test
    void aLogin_asJsonWithACharset_isAccepted() {
        Api.Reply reply =
                api.send("POST", "/api/v1/session", null, "application/json; charset=utf-8", Api.bytes(LOGIN));

        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void everyJsonRoute_refusesAnotherMediaType() {
        running.apply(1, 2);
        String acd = running.token("ACD");
        byte[] body = Api.bytes("{}");
        String admin = RunningServer.ADMIN_TOKEN;

        assertThat(api.send("POST", "/api/v1/tokens", admin, "text/plain", body).status())
                .isEqualTo(415);
        assertThat(api.send("POST", "/api/v1/users", admin, "text/plain", body).status())
                .isEqualTo(415);
        assertThat(api.send("PUT", "/api/v1/users/admin/password", admin, "text/plain", body)
                        .status())
                .isEqualTo(415);
        assertThat(api.send("PUT", "/api/v1/seats/a-1", acd, "text/plain", Api.bytes("{\"node\":\"n\"}"))
                        .status())
                .as("a claim body on the fast path")
                .isEqualTo(415);
        running.clock.advance(com.anycontact.innolicense.access.AccessService.TOKEN_RECHECK.plusSeconds(1));
        assertThat(api.send("PUT", "/api/v1/seats/a-1", acd, "text/plain", Api.bytes("{\"node\":\"n\"}"))
                        .status())
                .as("a claim body on the route")
                .isEqualTo(415);
        assertThat(api.claim(acd, "a-2").status())
                .as("a claim without a body needs no media type")
                .isEqualTo(201);
    }

    @Test
    void aLogin_fromAnotherSitesPage_isRefused() {
        Api.Reply byOrigin = api.request(
                "POST",
                "/api/v1/session",
                "application/json",
                Api.bytes(LOGIN),
                Map.of("Origin", "https://attacker.example"));
        Api.Reply byFetchMetadata = api.request(
                "POST",
                "/api/v1/session",
                "application/json",
                Api.bytes(LOGIN),
                Map.of("Sec-Fetch-Site", "cross-site"));

        assertThat(byOrigin.status()).isEqualTo(403);
        assertThat(byOrigin.problemType()).isEqualTo("cross-site-request");
        assertThat(byOrigin.json().path("detail").asText()).contains("https://attacker.example");
        assertThat(byOrigin.header("Set-Cookie")).isEmpty();
        assertThat(byFetchMetadata.status()).isEqualTo(403);
        assertThat(byFetchMetadata.problemType()).isEqualTo("cross-site-request");
    }

    @Test
    void aLogin_fromThisServersPage_orWithoutABrowser_isAccepted() {
        String self = running.server.url().replace("localhost", "127.0.0.1");
        Api.Reply sameOrigin = api.request(
                "POST",
                "/api/v1/session",
                "application/json",
                Api.bytes(LOGIN),
                Map.of("Origin", self, "Sec-Fetch-Site", "same-origin"));
        Api.Reply script = api.postJson("/api/v1/session", null, LOGIN);

        assertThat(sameOrigin.status()).isEqualTo(200);
        assertThat(script.status()).isEqualTo(200);
    }

    @Test
    void theLicenseKeyRoute_stillTakesText() {
        Api.Reply reply = api.postText("/api/v1/license", RunningServer.ADMIN_TOKEN, running.key(1, 5));

        assertThat(reply.status()).isEqualTo(200);
    }
}
