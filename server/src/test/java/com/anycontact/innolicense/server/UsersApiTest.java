package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.audit.AuditEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The users API: create, list, delete (never the last admin), set a password; sessions end with both. */
class UsersApiTest {

    private static final String USERS = "/api/v1/users";
    private static final String PASSWORD = "alice's long password";

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

    private Api.Reply create(String username, String role, String password) {
        return api.postJson(
                USERS,
                RunningServer.ADMIN_TOKEN,
                "{\"username\": \"" + username + "\", \"role\": \"" + role + "\", \"password\": \"" + password + "\"}");
    }

    private Api.Reply login(String username, String password) {
        return api.postJson(
                "/api/v1/session", null, "{\"username\": \"" + username + "\", \"password\": \"" + password + "\"}");
    }

    private static String cookie(Api.Reply login) {
        String setCookie = login.header("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private int statusWith(String cookie) {
        return api.request("GET", "/api/v1/session", null, null, Map.of("Cookie", cookie))
                .status();
    }

    private List<String> usernames() {
        List<String> names = new ArrayList<>();
        api.get(USERS, RunningServer.ADMIN_TOKEN)
                .json()
                .path("users")
                .forEach(user -> names.add(user.path("username").asText()));
        return names;
    }

    @Test
    void create_makesAUserWhoCanLogIn_andIsListedWithoutAnyPassword() {
        Api.Reply created = create("alice", "SUPERVISOR", PASSWORD);

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("username").asText()).isEqualTo("alice");
        assertThat(created.json().path("role").asText()).isEqualTo("SUPERVISOR");
        assertThat(created.header("Location")).hasValue("/api/v1/users/alice");
        assertThat(login("alice", PASSWORD).status()).isEqualTo(200);
        Api.Reply list = api.get(USERS, RunningServer.ADMIN_TOKEN);
        assertThat(usernames()).containsExactly("admin", "alice");
        assertThat(list.body()).doesNotContain(PASSWORD, "argon2", "hash");
        assertThat(running.audited(AuditEvent.Type.USER_CREATED))
                .anySatisfy(event -> assertThat(event.detail()).contains("alice", "SUPERVISOR"));
    }

    @Test
    void create_ofATakenUsername_ignoringCase_is409() {
        create("alice", "SUPERVISOR", PASSWORD);

        Api.Reply again = create("ALICE", "ADMIN", PASSWORD);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("username-taken");
        assertThat(usernames()).containsExactly("admin", "alice");
    }

    @Test
    void create_withAShortPassword_isA400NamingThePassword() {
        Api.Reply reply = create("alice", "SUPERVISOR", "too short");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.problemType()).isEqualTo("invalid-body");
        assertThat(reply.json().path("field").asText()).isEqualTo("password");
        assertThat(usernames()).containsExactly("admin");
    }

    @Test
    void create_withTheAcdRole_isA400NamingTheRole() {
        Api.Reply reply = create("alice", "ACD", PASSWORD);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("field").asText()).isEqualTo("role");
    }

    @Test
    void create_withABadUsername_isA400NamingTheUsername() {
        Api.Reply reply = create("alice smith", "SUPERVISOR", PASSWORD);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("field").asText()).isEqualTo("username");
    }

    @Test
    void create_withAMissingField_isA400NamingIt() {
        Api.Reply reply =
                api.postJson(USERS, RunningServer.ADMIN_TOKEN, "{\"username\": \"alice\", \"role\": \"ADMIN\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("field").asText()).isEqualTo("password");
    }

    @Test
    void delete_removesTheUser_andEndsTheirSessions() {
        create("alice", "ADMIN", PASSWORD);
        String session = cookie(login("alice", PASSWORD));

        Api.Reply deleted = api.delete(USERS + "/ALICE", RunningServer.ADMIN_TOKEN);

        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        assertThat(usernames()).containsExactly("admin");
        assertThat(statusWith(session)).isEqualTo(401);
        assertThat(login("alice", PASSWORD).status()).isEqualTo(401);
        assertThat(running.audited(AuditEvent.Type.USER_DELETED)).hasSize(1);
    }

    @Test
    void delete_ofAnUnknownUser_is404() {
        Api.Reply reply = api.delete(USERS + "/nobody", RunningServer.ADMIN_TOKEN);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.problemType()).isEqualTo("user-not-found");
    }

    @Test
    void delete_ofTheLastAdmin_is409_andKeepsThem() {
        create("sue", "SUPERVISOR", PASSWORD);

        Api.Reply reply = api.delete(USERS + "/admin", RunningServer.ADMIN_TOKEN);

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.problemType()).isEqualTo("last-admin");
        assertThat(usernames()).contains("admin");
    }

    @Test
    void setPassword_replacesTheOldOne_andEndsTheUsersSessions() {
        create("alice", "SUPERVISOR", PASSWORD);
        String session = cookie(login("alice", PASSWORD));

        Api.Reply set = api.putJson(
                USERS + "/alice/password", RunningServer.ADMIN_TOKEN, "{\"password\": \"a brand new password\"}");

        assertThat(set.status()).as(set.body()).isEqualTo(204);
        assertThat(statusWith(session)).isEqualTo(401);
        assertThat(login("alice", PASSWORD).status()).isEqualTo(401);
        assertThat(login("alice", "a brand new password").status()).isEqualTo(200);
        assertThat(running.audited(AuditEvent.Type.PASSWORD_CHANGED)).hasSize(1);
    }

    @Test
    void setPassword_ofAnUnknownUser_is404_andOfAShortOne400() {
        Api.Reply unknown = api.putJson(
                USERS + "/nobody/password", RunningServer.ADMIN_TOKEN, "{\"password\": \"long enough password\"}");
        Api.Reply weak = api.putJson(USERS + "/admin/password", RunningServer.ADMIN_TOKEN, "{\"password\": \"short\"}");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.problemType()).isEqualTo("user-not-found");
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.json().path("field").asText()).isEqualTo("password");
        assertThat(login("admin", RunningServer.ADMIN_PASSWORD).status()).isEqualTo(200);
    }
}
