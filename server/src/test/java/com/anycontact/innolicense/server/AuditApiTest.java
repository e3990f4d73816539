package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code GET /api/v1/audit}: newest first, filters, paging with {@code nextBefore}, strict parameters. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditApiTest {

    private static final String AUDIT = "/api/v1/audit";

    @TempDir
    static Path data;

    private RunningServer running;
    private Api api;

    @BeforeAll
    void start() {
        running = RunningServer.start(data);
        api = running.api;
        for (int i = 1; i <= 5; i++) {
            running.token("ACD");
            running.clock.advance(java.time.Duration.ofMinutes(1));
        }
    }

    @AfterAll
    void stop() {
        running.close();
    }

    private JsonNode find(String query) {
        Api.Reply reply = api.get(AUDIT + query, RunningServer.ADMIN_TOKEN);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.path("events").forEach(event -> ids.add(event.path("id").asLong()));
        return ids;
    }

    @Test
    void audit_listsEventsNewestFirst_withEveryField() {
        JsonNode page = find("");

        List<Long> ids = ids(page);
        assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        JsonNode newest = page.path("events").get(0);
        assertThat(newest.path("type").asText()).isEqualTo("TOKEN_CREATED");
        assertThat(newest.path("actor").asText()).startsWith("token:");
        assertThat(newest.path("detail").asText()).contains("role ACD");
        assertThat(Instant.parse(newest.path("at").asText())).isAfter(RunningServer.START);
        assertThat(page.path("nextBefore").isNull()).isTrue();
    }

    @Test
    void audit_filtersByTypeActorAndTime() {
        JsonNode created = find("?type=TOKEN_CREATED");
        JsonNode byBootstrap = find("?actor=bootstrap");
        JsonNode window = find("?type=TOKEN_CREATED&from=2027-01-15T09:01:00Z&to=2027-01-15T09:03:00Z");

        assertThat(created.path("events"))
                .hasSize(6)
                .allSatisfy(event -> assertThat(event.path("type").asText()).isEqualTo("TOKEN_CREATED"));
        assertThat(byBootstrap.path("events"))
                .isNotEmpty()
                .allSatisfy(event -> assertThat(event.path("actor").asText()).isEqualTo("bootstrap"));
        assertThat(window.path("events")).hasSize(2);
    }

    @Test
    void audit_pagesWithNextBefore_untilItIsNull_withoutGapsOrRepeats() {
        List<Long> all = ids(find("?type=TOKEN_CREATED"));
        List<Long> paged = new ArrayList<>();
        String query = "?type=TOKEN_CREATED&limit=2";
        JsonNode page;
        int pages = 0;
        do {
            page = find(query);
            paged.addAll(ids(page));
            pages++;
            query = "?type=TOKEN_CREATED&limit=2&before="
                    + page.path("nextBefore").asLong();
        } while (!page.path("nextBefore").isNull());

        assertThat(paged).isEqualTo(all);
        assertThat(pages).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0} is refused naming {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "limit=0; limit",
                "limit=1001; limit",
                "limit=ten; limit",
                "type=NO_SUCH_TYPE; type",
                "type=key_applied; type",
                "actor=; actor",
                "from=yesterday; from",
                "to=2027-01-15; to",
                "from=%2B1000000000-01-01T00:00:00Z; from",
                "to=-1000000000-01-01T00:00:00Z; to",
                "from=%2B10000-01-01T00:00:00Z; from",
                "from=2027-01-15T10:00:00Z&to=2027-01-15T09:00:00Z; to",
                "before=0; before",
                "before=-5; before",
                "before=x; before",
                "typo=1; typo",
                "type=LOGIN&type=LOGOUT; type"
            })
    void audit_withABadParameter_isA400ProblemNamingIt(String query, String parameter) {
        Api.Reply reply = api.get(AUDIT + "?" + query, RunningServer.ADMIN_TOKEN);

        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.isProblem()).isTrue();
        assertThat(reply.problemType()).isEqualTo("invalid-parameter");
        assertThat(reply.json().path("parameter").asText()).isEqualTo(parameter);
        assertThat(reply.json().path("detail").asText()).contains(parameter);
    }
}
