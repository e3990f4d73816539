package com.anycontact.innolicense.server;

import static com.anycontact.innolicense.server.EventStream.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/usage} and {@code GET /api/v1/events} over real HTTP against the real server. */
class LiveUsageApiTest {

    /** How long to wait for an event: it comes within 200 ms, but a crowded build machine can take seconds. */
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dataDirectory;

    private RunningServer running;
    private Api api;
    private String acd;
    private String supervisor;

    @BeforeEach
    void start() {
        running = RunningServer.start(dataDirectory);
        api = running.api;
        acd = running.token("ACD");
        supervisor = running.token("SUPERVISOR");
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void usage_countsClaimsPeaksAndDenials() {
        running.apply(1, 3);
        for (String agent : List.of("agent-1", "agent-2", "agent-3", "agent-4")) {
            api.claim(acd, agent);
        }
        api.delete("/api/v1/seats/agent-1", acd);

        Api.Reply reply = api.get("/api/v1/usage", supervisor);

        assertThat(reply.status()).isEqualTo(200);
        JsonNode usage = reply.json();
        assertThat(usage.path("inUse").asInt()).isEqualTo(2);
        assertThat(usage.path("capacity").asInt()).isEqualTo(3);
        assertThat(usage.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(usage.path("zone").asText()).isEqualTo("Europe/Berlin");
        assertThat(usage.path("peakToday").asInt()).isEqualTo(3);
        assertThat(usage.path("peak7Days").asInt()).isEqualTo(3);
        assertThat(usage.path("peak30Days").asInt()).isEqualTo(3);
        assertThat(usage.path("denialsToday").asInt()).isEqualTo(1);
        assertThat(usage.path("recentDenials").get(0).path("agentId").asText()).isEqualTo("agent-4");
        assertThat(usage.path("history").path("hour")).hasSize(60);
        assertThat(usage.path("history").path("day")).hasSize(288);
        JsonNode now = usage.path("history").path("hour").get(59);
        assertThat(now.path("maxInUse").asInt()).isEqualTo(3);
        assertThat(now.path("capacity").asInt()).isEqualTo(3);
        assertThat(usage.path("history").path("hour").get(0).path("maxInUse").isNull())
                .isTrue();
    }

    @Test
    void usage_andEvents_areForSupervisorsAndAdminsOnly() {
        assertThat(api.get("/api/v1/usage", null).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/usage", acd).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/usage", RunningServer.ADMIN_TOKEN).status()).isEqualTo(200);
        assertThat(api.request("GET", "/api/v1/events", null, null, Map.of("Accept", "text/event-stream"))
                        .status())
                .isEqualTo(401);
        assertThat(api.request(
                                "GET",
                                "/api/v1/events",
                                null,
                                null,
                                Map.of("Accept", "text/event-stream", "Authorization", "Bearer " + acd))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void events_withoutAcceptingAnEventStream_isNotAcceptable() {
        Api.Reply reply = api.get("/api/v1/events", supervisor);

        assertThat(reply.status()).isEqualTo(406);
        assertThat(reply.problemType()).isEqualTo("not-acceptable");
    }

    @Test
    void events_tellClaimsAndReleasesAndUsage_asTheyHappen() throws InterruptedException {
        running.apply(1, 50);
        try (EventStream stream = new EventStream(running.server.start(), supervisor)) {
            assertThat(stream.status).isEqualTo(200);
            assertThat(stream.next(named("usage"), WAIT).data().path("inUse").asInt())
                    .isZero();

            api.putJson("/api/v1/seats/agent-7", acd, "{\"node\": \"acd-1\", \"station\": \"desk 7\"}");

            JsonNode claimed =
                    stream.next(named("leases"), WAIT).data().path("changes").get(0);
            assertThat(claimed.path("change").asText()).isEqualTo("claimed");
            assertThat(claimed.path("agentId").asText()).isEqualTo("agent-7");
            assertThat(claimed.path("node").asText()).isEqualTo("acd-1");
            assertThat(claimed.path("station").asText()).isEqualTo("desk 7");
            assertThat(claimed.path("claimedAt").asText()).isEqualTo(RunningServer.START.toString());
            JsonNode usage = stream.next(named("usage"), WAIT).data();
            assertThat(usage.path("inUse").asInt()).isEqualTo(1);
            assertThat(usage.path("capacity").asInt()).isEqualTo(50);
            assertThat(usage.path("peakToday").asInt()).isEqualTo(1);

            api.delete("/api/v1/seats/agent-7", acd);

            JsonNode released =
                    stream.next(named("leases"), WAIT).data().path("changes").get(0);
            assertThat(released.path("change").asText()).isEqualTo("released");
            assertThat(released.path("agentId").asText()).isEqualTo("agent-7");
        }
    }

    @Test
    void events_coalesceABurstOfClaims_intoFewEventsThatListEveryClaim() throws InterruptedException {
        running.apply(1, 500);
        try (EventStream stream = new EventStream(running.server.start(), supervisor)) {
            stream.next(named("usage"), WAIT);

            for (int i = 1; i <= 200; i++) {
                api.claim(acd, "agent-" + i);
            }

            List<String> claimed = new ArrayList<>();
            int events = 0;
            while (claimed.size() < 200) {
                JsonNode changes = stream.next(named("leases"), WAIT).data().path("changes");
                changes.forEach(change -> claimed.add(change.path("agentId").asText()));
                events++;
            }
            assertThat(claimed).hasSize(200).doesNotHaveDuplicates();
            assertThat(events).isLessThan(200);
        }
    }

    @Test
    void events_tellAStateChange() throws InterruptedException {
        try (EventStream stream = new EventStream(running.server.start(), supervisor)) {
            stream.next(named("usage"), WAIT);

            running.apply(1, 50);
            running.tick();

            JsonNode state = stream.next(named("state"), WAIT).data();
            assertThat(state.path("state").asText()).isEqualTo("ACTIVE");
            assertThat(state.path("capacity").asInt()).isEqualTo(50);
            assertThat(stream.next(named("usage"), WAIT).data().path("capacity").asInt())
                    .isEqualTo(50);
        }
    }

    @Test
    void closingAllStreams_endsThem() throws InterruptedException {
        try (EventStream stream = new EventStream(running.server.start(), supervisor)) {
            stream.next(named("usage"), WAIT);

            running.server.events().closeAll();

            assertThat(stream.next(named(EventStream.END), WAIT).name()).isEqualTo(EventStream.END);
        }
    }
}
