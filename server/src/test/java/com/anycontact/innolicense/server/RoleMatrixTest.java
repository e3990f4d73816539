package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.access.Role;
import com.anycontact.innolicense.http.ApiRole;
import com.anycontact.innolicense.http.HttpApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route the server declares × every kind of caller: anonymous, an unknown token, an ACD token, a supervisor
 * and an admin each by token and by session. The routes come from the server itself, so a new route is covered
 * without touching this test. A caller whose role the route declares must get past authentication (any answer
 * but 401 and 403, from the route itself); any other gets 401 or 403 as a problem. Session writes carry the CSRF
 * token here; without it they are refused. {@code docs/access-control.md}'s table must say the same.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleMatrixTest {

    private static final String SUPERVISOR_PASSWORD = "supervisor password 0123";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Path ACCESS_CONTROL = Path.of("..", "docs", "access-control.md");

    @TempDir
    static Path data;

    private RunningServer running;
    private Api api;
    private List<HttpApi.Route> routes;
    private final List<Caller> callers = new ArrayList<>();
    private final Map<Caller, Login> logins = new HashMap<>();

    /** How a caller authenticates. */
    enum Kind {
        ANONYMOUS,
        UNKNOWN_TOKEN,
        TOKEN,
        SESSION
    }

    /**
     * One kind of caller.
     *
     * @param kind how it authenticates
     * @param role its role, or null without valid credentials
     * @param secret the token, or the username of a session
     * @param password the password of a session
     */
    record Caller(Kind kind, Role role, String secret, String password) {

        @Override
        public String toString() {
            return switch (kind) {
                case ANONYMOUS -> "anonymous";
                case UNKNOWN_TOKEN -> "an unknown token";
                case TOKEN -> role + " token";
                case SESSION -> role + " session";
            };
        }
    }

    /** A session: its cookie and CSRF token. */
    record Login(String cookie, String csrf) {}

    @BeforeAll
    void start() {
        running = RunningServer.start(data);
        api = running.api;
        routes = running.server.routes();
        Api.Reply supervisor = api.postJson(
                "/api/v1/users",
                RunningServer.ADMIN_TOKEN,
                "{\"username\": \"sue\", \"role\": \"SUPERVISOR\", \"password\": \"" + SUPERVISOR_PASSWORD + "\"}");
        assertThat(supervisor.status()).as(supervisor.body()).isEqualTo(201);
        callers.add(new Caller(Kind.ANONYMOUS, null, null, null));
        callers.add(new Caller(Kind.UNKNOWN_TOKEN, null, "il_" + "x".repeat(43), null));
        callers.add(new Caller(Kind.TOKEN, Role.ACD, running.token("ACD"), null));
        callers.add(new Caller(Kind.TOKEN, Role.SUPERVISOR, running.token("SUPERVISOR"), null));
        callers.add(new Caller(Kind.SESSION, Role.SUPERVISOR, "sue", SUPERVISOR_PASSWORD));
        callers.add(new Caller(Kind.TOKEN, Role.ADMIN, RunningServer.ADMIN_TOKEN, null));
        callers.add(new Caller(Kind.SESSION, Role.ADMIN, "admin", RunningServer.ADMIN_PASSWORD));
    }

    @AfterAll
    void stop() {
        running.close();
    }

    @TestFactory
    Stream<DynamicTest> everyRoute_answersEveryCallerAsItsDeclaredRolesSay() {
        return routes.stream()
                .flatMap(route -> callers.stream().map(caller -> {
                    boolean admitted = admits(route, caller);
                    String expected = admitted ? "admitted" : caller.role() == null ? "401" : "403";
                    return DynamicTest.dynamicTest(label(route) + " as " + caller + " is " + expected, () -> {
                        Api.Reply reply = send(route, caller, true);
                        if (admitted) {
                            assertAdmitted(reply);
                        } else if (caller.role() == null) {
                            assertThat(reply.status()).as(reply.body()).isEqualTo(401);
                            assertThat(reply.isProblem()).isTrue();
                            assertThat(reply.problemType())
                                    .isEqualTo(
                                            caller.kind() == Kind.ANONYMOUS
                                                    ? "authentication-required"
                                                    : "invalid-credentials");
                        } else {
                            assertThat(reply.status()).as(reply.body()).isEqualTo(403);
                            assertThat(reply.isProblem()).isTrue();
                            assertThat(reply.problemType()).isEqualTo("role-not-allowed");
                        }
                    });
                }));
    }

    @TestFactory
    Stream<DynamicTest> everySessionWrite_withoutTheCsrfToken_isRefused() {
        return routes.stream()
                .filter(route -> !SAFE_METHODS.contains(route.method().name()))
                .filter(route -> !route.roles().contains(ApiRole.ANYONE))
                .flatMap(route -> callers.stream()
                        .filter(caller -> caller.kind() == Kind.SESSION && admits(route, caller))
                        .map(caller -> DynamicTest.dynamicTest(
                                label(route) + " as " + caller + " without X-CSRF-Token is 403", () -> {
                                    Api.Reply without = send(route, caller, false);

                                    assertThat(without.status())
                                            .as(without.body())
                                            .isEqualTo(403);
                                    assertThat(without.problemType()).isEqualTo("csrf-token-missing");
                                })));
    }

    @Test
    void accessControlDoc_hasOneRowPerRoute_thatSaysWhatTheServerDoes() throws IOException {
        Map<String, List<String>> documented = accessControlTable();
        Map<String, List<String>> declared = new LinkedHashMap<>();
        for (HttpApi.Route route : routes) {
            declared.put(label(route), expectedCells(route));
        }

        assertThat(documented.keySet())
                .as("rows of the endpoint × role table in docs/access-control.md")
                .containsExactlyInAnyOrderElementsOf(declared.keySet());
        assertThat(documented).containsExactlyInAnyOrderEntriesOf(declared);
    }

    /** The table's rows by {@code METHOD /path}: the cells for anonymous, ACD, SUPERVISOR and ADMIN. */
    private static Map<String, List<String>> accessControlTable() throws IOException {
        String doc = Files.readString(ACCESS_CONTROL, StandardCharsets.UTF_8);
        int section = doc.indexOf("## Endpoints × roles");
        assertThat(section).as("the section '## Endpoints × roles'").isNotNegative();
        Pattern row = Pattern.compile("^\\| `([A-Z]+ /[^`]*)`[^|]*\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|\\s*$");
        Map<String, List<String>> table = new LinkedHashMap<>();
        for (String line : doc.substring(section).split("\n")) {
            if (line.startsWith("## ") && !line.startsWith("## Endpoints")) {
                break;
            }
            Matcher matcher = row.matcher(line);
            if (matcher.matches()) {
                List<String> cells = List.of(
                        matcher.group(2).strip(),
                        matcher.group(3).strip(),
                        matcher.group(4).strip(),
                        matcher.group(5).strip());
                assertThat(table.put(matcher.group(1), cells))
                        .as("a second row for " + matcher.group(1))
                        .isNull();
            }
        }
        return table;
    }

    private static List<String> expectedCells(HttpApi.Route route) {
        Set<ApiRole> roles = route.roles();
        boolean open = roles.contains(ApiRole.ANYONE);
        boolean any = open || roles.contains(ApiRole.AUTHENTICATED);
        return List.of(
                open ? "✔" : "401",
                any || roles.contains(ApiRole.ACD) ? "✔" : "403",
                any || roles.contains(ApiRole.SUPERVISOR) ? "✔" : "403",
                any || roles.contains(ApiRole.ADMIN) ? "✔" : "403");
    }

    private static boolean admits(HttpApi.Route route, Caller caller) {
        Set<ApiRole> roles = route.roles();
        if (roles.contains(ApiRole.ANYONE)) {
            return true;
        }
        return caller.role() != null
                && (roles.contains(ApiRole.AUTHENTICATED) || roles.contains(ApiRole.of(caller.role())));
    }

    private static void assertAdmitted(Api.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isNotIn(401, 403).isLessThan(500);
        if (reply.isProblem()) {
            assertThat(reply.problemType())
                    .as("the route itself answered, not the router")
                    .isNotIn("not-found", "method-not-allowed");
        }
    }

    private Api.Reply send(HttpApi.Route route, Caller caller, boolean withCsrf) {
        String method = route.method().name();
        String path = route.path()
                .replace("{agentId}", "matrix-agent")
                .replace("{id}", "0000000000000000")
                .replace("{username}", "no-such-user")
                .replace("{subject}", "192.0.2.99")
                .replace("{rule}", "DENIAL");
        Map<String, String> headers = new HashMap<>();
        switch (caller.kind()) {
            case ANONYMOUS -> {}
            case UNKNOWN_TOKEN, TOKEN -> headers.put("Authorization", "Bearer " + caller.secret());
            case SESSION -> {
                Login login = logins.computeIfAbsent(caller, this::login);
                headers.put("Cookie", login.cookie());
                if (withCsrf && !SAFE_METHODS.contains(method)) {
                    headers.put("X-CSRF-Token", login.csrf());
                }
            }
        }
        boolean write = method.equals("POST") || method.equals("PUT");
        Api.Reply reply =
                api.request(method, path, write ? "application/json" : null, write ? Api.bytes("{}") : null, headers);
        if (caller.kind() == Kind.SESSION && !sessionAlive(logins.get(caller))) {
            logins.remove(caller);
        }
        return reply;
    }

    private Login login(Caller caller) {
        Api.Reply reply = api.postJson(
                "/api/v1/session",
                null,
                "{\"username\": \"" + caller.secret() + "\", \"password\": \"" + caller.password() + "\"}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        String setCookie = reply.header("Set-Cookie").orElseThrow();
        return new Login(
                setCookie.substring(0, setCookie.indexOf(';')),
                reply.json().path("csrfToken").asText());
    }

    private boolean sessionAlive(Login login) {
        return api.request("GET", "/api/v1/session", null, null, Map.of("Cookie", login.cookie()))
                        .status()
                == 200;
    }

    private static String label(HttpApi.Route route) {
        return route.method().name() + " " + route.path();
    }
}
