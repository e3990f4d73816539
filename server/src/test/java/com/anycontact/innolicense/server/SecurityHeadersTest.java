package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security regression suite, headers (issue 11 item 6), over a real port: every API answer — success or
 * problem, from a route or from the seat fast path — is {@code Cache-Control: no-store} and {@code
 * X-Content-Type-Options: nosniff}; with secure cookies (TLS) the session cookie is a {@code __Host-} cookie
 * and every answer carries HSTS; over plain http it is not, and none does.
 */
class SecurityHeadersTest {

    @TempDir
    Path data;

    private RunningServer running;

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void everyApiAnswer_isNoStoreAndNosniff() {
        running = RunningServer.start(data);
        Map<String, Api.Reply> answers = answers(running);

        assertThat(answers).allSatisfy((what, reply) -> {
            assertThat(reply.header("Cache-Control")).as(what).hasValue("no-store");
            assertThat(reply.header("X-Content-Type-Options")).as(what).hasValue("nosniff");
        });
    }

    @Test
    void overPlainHttp_theCookieHasNoHostPrefix_andThereIsNoHsts() {
        running = RunningServer.start(data);
        Api.Reply login = login(running.api);

        assertThat(login.header("Set-Cookie").orElseThrow())
                .startsWith("innolicense_session=")
                .doesNotContainIgnoringCase("Secure");
        assertThat(answers(running))
                .allSatisfy((what, reply) -> assertThat(reply.header("Strict-Transport-Security"))
                        .as(what)
                        .isEmpty());
    }

    @Test
    void withSecureCookies_theSessionCookieIsAHostCookie_andEveryAnswerHasHsts() {
        running = RunningServer.start(
                data,
                new FakeTime(RunningServer.START),
                RunningServer.config(data).toBuilder().secureCookies(true).build());
        Api.Reply login = login(running.api);
        String setCookie = login.header("Set-Cookie").orElseThrow();

        assertThat(setCookie)
                .startsWith("__Host-innolicense_session=")
                .containsIgnoringCase("; Secure")
                .containsIgnoringCase("Path=/")
                .doesNotContainIgnoringCase("Domain=");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        Api.Reply whoAmI = running.api.request("GET", "/api/v1/session", null, null, Map.of("Cookie", cookie));
        assertThat(whoAmI.status()).as("the __Host- cookie authenticates").isEqualTo(200);
        Api.Reply plainName = running.api.request(
                "GET",
                "/api/v1/session",
                null,
                null,
                Map.of("Cookie", cookie.replace("__Host-innolicense_session", "innolicense_session")));
        assertThat(plainName.status())
                .as("the cookie without the prefix, which any subdomain could set, does not")
                .isEqualTo(401);
        assertThat(answers(running))
                .allSatisfy((what, reply) -> assertThat(reply.header("Strict-Transport-Security"))
                        .as(what)
                        .hasValueSatisfying(value -> assertThat(value).startsWith("max-age=")));
    }

    private static Api.Reply login(Api api) {
        return api.postJson(
                "/api/v1/session",
                null,
                "{\"username\": \"admin\", \"password\": \"" + RunningServer.ADMIN_PASSWORD + "\"}");
    }

    /** One answer of each kind, named: routes, problems, the fast path's answers, operations. */
    private static Map<String, Api.Reply> answers(RunningServer running) {
        Api api = running.api;
        String admin = RunningServer.ADMIN_TOKEN;
        running.apply(1, 1);
        String acd = running.token("ACD");
        Map<String, Api.Reply> answers = new LinkedHashMap<>();
        Api.Reply login = login(api);
        answers.put("POST /session", login);
        String setCookie = login.header("Set-Cookie").orElseThrow();
        answers.put(
                "GET /session with the CSRF token",
                api.request(
                        "GET",
                        "/api/v1/session",
                        null,
                        null,
                        Map.of("Cookie", setCookie.substring(0, setCookie.indexOf(';')))));
        answers.put(
                "POST /tokens with the new secret",
                api.postJson("/api/v1/tokens", admin, "{\"name\": \"headers\", \"role\": \"SUPERVISOR\"}"));
        answers.put("GET /license", api.get("/api/v1/license", admin));
        answers.put("GET /audit", api.get("/api/v1/audit", admin));
        answers.put("401 problem", api.get("/api/v1/license", null));
        answers.put("404 problem", api.get("/api/v1/nothing-here", admin));
        answers.put("PUT /seats 201 (fast path)", api.claim(acd, "h-1"));
        answers.put("PUT /seats 200 (fast path)", api.claim(acd, "h-1"));
        answers.put("PUT /seats 409 (fast path)", api.claim(acd, "h-2"));
        answers.put("DELETE /seats 204 (fast path)", api.delete("/api/v1/seats/h-1", acd));
        answers.put("DELETE /seats 404 (fast path)", api.delete("/api/v1/seats/h-1", acd));
        answers.put("PUT /seats 400 (route)", api.putJson("/api/v1/seats/h-3", acd, "{\"nod\": 1}"));
        answers.put("PUT /seats 401 (route)", api.claim("unknown-token-0123456789-0123456789-abc", "h-3"));
        answers.put("GET /metrics", api.get("/metrics", admin));
        answers.put("GET /health/live", api.get("/health/live", null));
        answers.put("GET /openapi.yaml", api.get("/api/v1/openapi.yaml", null));
        return answers;
    }
}
