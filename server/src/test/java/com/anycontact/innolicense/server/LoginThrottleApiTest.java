package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.http.TrustedProxies;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The login throttle against the real server on a real port: forwarding headers believed only from a trusted
 * proxy, the real admin not locked out by an attacker elsewhere, and unlocking through the API.
 */
class LoginThrottleApiTest {

    @TempDir
    Path data;

    private RunningServer running;

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    private void start(TrustedProxies proxies) {
        running = RunningServer.start(
                data,
                new FakeTime(RunningServer.START),
                RunningServer.config(data).toBuilder().trustedProxies(proxies).build());
    }

    private Api.Reply login(String password, Map<String, String> headers) {
        return running.api.request(
                "POST",
                "/api/v1/session",
                "application/json",
                Api.bytes("{\"username\": \"admin\", \"password\": \"" + password + "\"}"),
                headers);
    }

    @Test
    void behindATrustedProxy_anAttackerElsewhereDoesNotLockOutTheAdmin() {
        // the hole: behind a proxy every login shared its address, and five failures for admin locked out everyone
        start(TrustedProxies.of(List.of("127.0.0.0/8")));
        Map<String, String> attacker = Map.of("X-Forwarded-For", "198.51.100.7");
        for (int i = 0; i < 8; i++) {
            Api.Reply refused = login("wrong password number " + i, attacker);
            assertThat(refused.status()).as(refused.body()).isIn(401, 429);
        }

        assertThat(login(RunningServer.ADMIN_PASSWORD, attacker).status()).isEqualTo(429);
        Api.Reply admin = login(RunningServer.ADMIN_PASSWORD, Map.of("Forwarded", "for=203.0.113.9;proto=https"));
        assertThat(admin.status()).as(admin.body()).isEqualTo(200);
        assertThat(admin.header("Set-Cookie").orElseThrow()).containsIgnoringCase("Secure");
        assertThat(running.audited(AuditEvent.Type.LOGIN_FAILED))
                .allSatisfy(event -> assertThat(event.detail()).isEqualTo("from 198.51.100.7"));
        assertThat(running.audited(AuditEvent.Type.LOGIN).getFirst().detail()).isEqualTo("from 203.0.113.9");
    }

    @Test
    void withoutATrustedProxy_forwardingHeadersAreIgnored() {
        start(TrustedProxies.none());
        for (int i = 0; i < 5; i++) {
            login("wrong password number " + i, Map.of("X-Forwarded-For", "198.51.100." + i));
        }

        Api.Reply spoofed = login(
                RunningServer.ADMIN_PASSWORD, Map.of("X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https"));

        assertThat(spoofed.status())
                .as("the five failures counted for the real peer")
                .isEqualTo(429);
        assertThat(running.audited(AuditEvent.Type.LOGIN_FAILED))
                .allSatisfy(event -> assertThat(event.detail()).isEqualTo("from 127.0.0.1"));
        running.api.delete("/api/v1/login-throttle/admin", RunningServer.ADMIN_TOKEN);
        Api.Reply plain = login(RunningServer.ADMIN_PASSWORD, Map.of("X-Forwarded-Proto", "https"));
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.header("Set-Cookie").orElseThrow()).doesNotContainIgnoringCase("Secure");
    }

    @Test
    void unlock_liftsTheLockoutOfTheAdminAndIsAudited() {
        start(TrustedProxies.none());
        for (int i = 0; i < 5; i++) {
            login("wrong password number " + i, Map.of());
        }
        assertThat(login(RunningServer.ADMIN_PASSWORD, Map.of()).status()).isEqualTo(429);

        Api.Reply unlocked = running.api.delete("/api/v1/login-throttle/admin", RunningServer.ADMIN_TOKEN);

        assertThat(unlocked.status()).as(unlocked.body()).isEqualTo(200);
        assertThat(unlocked.json().path("cleared").asInt()).isEqualTo(1);
        assertThat(login(RunningServer.ADMIN_PASSWORD, Map.of()).status()).isEqualTo(200);
        assertThat(running.audited(AuditEvent.Type.LOGIN_UNLOCKED).getFirst().detail())
                .isEqualTo("user admin: 1 throttle counters cleared");
    }
}
