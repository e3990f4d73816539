package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated first-start password must be changed first: until then the admin's session may only read and
 * end itself and change that password; API tokens and a chosen first-start password are not affected.
 */
class PasswordChangeRequiredApiTest {

    private static final String NEW_PASSWORD = "a password of my own choosing";

    @TempDir
    Path data;

    private RunningServer running;

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    private Api startWithGeneratedPassword() {
        ServerConfig config = ServerConfig.of("127.0.0.1", 0, data, List.of(TestVendor.publicKey())).toBuilder()
                .adminPassword(Optional.empty())
                .bootstrapToken(Optional.of(RunningServer.ADMIN_TOKEN))
                .build();
        running = RunningServer.start(data, new FakeTime(RunningServer.START), config);
        return running.api;
    }

    private String generatedPassword() throws Exception {
        return Files.readString(data.resolve(LicenseServer.GENERATED_PASSWORD_FILE))
                .strip();
    }

    private static Api.Reply login(Api api, String password) {
        return api.postJson("/api/v1/session", null, "{\"username\": \"admin\", \"password\": \"" + password + "\"}");
    }

    private static String cookie(Api.Reply login) {
        String setCookie = login.header("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void generatedPassword_allowsOnlyTheSessionAndThePasswordChange_untilChanged() throws Exception {
        Api api = startWithGeneratedPassword();
        Api.Reply login = login(api, generatedPassword());
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().path("passwordChangeRequired").asBoolean()).isTrue();
        Map<String, String> session = Map.of(
                "Cookie",
                cookie(login),
                "X-CSRF-Token",
                login.json().path("csrfToken").asText());

        Api.Reply whoAmI = api.request("GET", "/api/v1/session", null, null, session);
        Api.Reply license = api.request("GET", "/api/v1/license", null, null, session);
        Api.Reply users = api.request("GET", "/api/v1/users", null, null, session);
        Api.Reply otherPassword = api.request(
                "PUT",
                "/api/v1/users/someone/password",
                "application/json",
                Api.bytes("{\"password\": \"" + NEW_PASSWORD + "\"}"),
                session);
        Api.Reply byToken = api.get("/api/v1/license", RunningServer.ADMIN_TOKEN);

        assertThat(whoAmI.status()).isEqualTo(200);
        assertThat(whoAmI.json().path("passwordChangeRequired").asBoolean()).isTrue();
        assertThat(license.status()).isEqualTo(403);
        assertThat(license.problemType()).isEqualTo("password-change-required");
        assertThat(users.status()).isEqualTo(403);
        assertThat(users.problemType()).isEqualTo("password-change-required");
        assertThat(otherPassword.status()).isEqualTo(403);
        assertThat(otherPassword.problemType()).isEqualTo("password-change-required");
        assertThat(byToken.status()).isEqualTo(200);

        Api.Reply change = api.request(
                "PUT",
                "/api/v1/users/admin/password",
                "application/json",
                Api.bytes("{\"password\": \"" + NEW_PASSWORD + "\"}"),
                session);
        assertThat(change.status()).isEqualTo(204);

        Api.Reply again = login(api, NEW_PASSWORD);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("passwordChangeRequired").asBoolean()).isFalse();
        Map<String, String> after = Map.of("Cookie", cookie(again));
        Api.Reply licenseAfter = api.request("GET", "/api/v1/license", null, null, after);
        Api.Reply usersAfter = api.request("GET", "/api/v1/users", null, null, after);
        assertThat(licenseAfter.status()).isEqualTo(200);
        assertThat(usersAfter.status()).isEqualTo(200);
    }

    @Test
    void generatedPassword_sessionMayStillSignOut() throws Exception {
        Api api = startWithGeneratedPassword();
        Api.Reply login = login(api, generatedPassword());
        Map<String, String> session = Map.of(
                "Cookie",
                cookie(login),
                "X-CSRF-Token",
                login.json().path("csrfToken").asText());

        Api.Reply logout = api.request("DELETE", "/api/v1/session", null, null, session);

        assertThat(logout.status()).isEqualTo(204);
    }

    @Test
    void chosenFirstStartPassword_isNotForcedToChange() {
        running = RunningServer.start(data);
        Api.Reply login = login(running.api, RunningServer.ADMIN_PASSWORD);
        Map<String, String> session = Map.of("Cookie", cookie(login));

        Api.Reply whoAmI = running.api.request("GET", "/api/v1/session", null, null, session);
        Api.Reply license = running.api.request("GET", "/api/v1/license", null, null, session);

        assertThat(login.json().path("passwordChangeRequired").asBoolean()).isFalse();
        assertThat(whoAmI.json().path("passwordChangeRequired").asBoolean()).isFalse();
        assertThat(license.status()).isEqualTo(200);
    }
}
