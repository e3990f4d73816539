package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Browser login: the session cookie, the CSRF token on writes, logout. */
class SessionApiTest {

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

    private Api.Reply login(String password) {
        return api.postJson("/api/v1/session", null, "{\"username\": \"admin\", \"password\": \"" + password + "\"}");
    }

    private static String cookie(Api.Reply login) {
        String setCookie = login.header("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void login_setsAnHttpOnlyStrictCookie_andReturnsTheCsrfToken() {
        Api.Reply reply = login(RunningServer.ADMIN_PASSWORD);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("user").asText()).isEqualTo("admin");
        assertThat(reply.json().path("role").asText()).isEqualTo("ADMIN");
        assertThat(reply.json().path("csrfToken").asText()).isNotBlank();
        assertThat(reply.header("Set-Cookie").orElseThrow())
                .startsWith("innolicense_session=")
                .containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict");
    }

    @Test
    void login_withAWrongPassword_isA401Problem() {
        Api.Reply reply = login("not the password at all");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.problemType()).isEqualTo("invalid-credentials");
        assertThat(reply.header("Set-Cookie")).isEmpty();
    }

    @Test
    void repeatedFailedLogins_areThrottledWithRetryAfter() {
        for (int i = 0; i < 5; i++) {
            assertThat(login("wrong password number " + i).status()).isEqualTo(401);
        }

        Api.Reply throttled = login(RunningServer.ADMIN_PASSWORD);

        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.problemType()).isEqualTo("login-throttled");
        assertThat(throttled.header("Retry-After"))
                .hasValueSatisfying(value -> assertThat(Long.parseLong(value)).isPositive());
        assertThat(throttled.json().path("retryAfterSeconds").asLong()).isPositive();
    }

    @Test
    void reads_withTheCookie_needNoCsrfToken() {
        String cookie = cookie(login(RunningServer.ADMIN_PASSWORD));

        Api.Reply status = api.request("GET", "/api/v1/license", null, null, Map.of("Cookie", cookie));
        Api.Reply whoAmI = api.request("GET", "/api/v1/session", null, null, Map.of("Cookie", cookie));

        assertThat(status.status()).isEqualTo(200);
        assertThat(whoAmI.json().path("user").asText()).isEqualTo("admin");
    }

    @Test
    void writes_withTheCookie_needTheSessionsCsrfToken() {
        Api.Reply login = login(RunningServer.ADMIN_PASSWORD);
        String cookie = cookie(login);
        String csrf = login.json().path("csrfToken").asText();
        byte[] key = Api.bytes(running.key(1, 10));

        Api.Reply without = api.request("POST", "/api/v1/license", "text/plain", key, Map.of("Cookie", cookie));
        Api.Reply wrong = api.request(
                "POST", "/api/v1/license", "text/plain", key, Map.of("Cookie", cookie, "X-CSRF-Token", "guess"));
        Api.Reply with = api.request(
                "POST", "/api/v1/license", "text/plain", key, Map.of("Cookie", cookie, "X-CSRF-Token", csrf));

        assertThat(without.status()).isEqualTo(403);
        assertThat(without.problemType()).isEqualTo("csrf-token-missing");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(with.status()).isEqualTo(200);
    }

    @Test
    void aSession_unusedForHalfAnHour_hasEnded() {
        String cookie = cookie(login(RunningServer.ADMIN_PASSWORD));
        running.clock.advance(java.time.Duration.ofMinutes(31));
        running.server.purgeSessions();

        Api.Reply after = api.request("GET", "/api/v1/license", null, null, Map.of("Cookie", cookie));

        assertThat(after.status()).isEqualTo(401);
        assertThat(after.problemType()).isEqualTo("invalid-credentials");
    }

    @Test
    void logout_endsTheSession() {
        Api.Reply login = login(RunningServer.ADMIN_PASSWORD);
        String cookie = cookie(login);
        String csrf = login.json().path("csrfToken").asText();

        Api.Reply logout =
                api.request("DELETE", "/api/v1/session", null, null, Map.of("Cookie", cookie, "X-CSRF-Token", csrf));
        Api.Reply after = api.request("GET", "/api/v1/license", null, null, Map.of("Cookie", cookie));

        assertThat(logout.status()).isEqualTo(204);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.problemType()).isEqualTo("invalid-credentials");
    }
}
