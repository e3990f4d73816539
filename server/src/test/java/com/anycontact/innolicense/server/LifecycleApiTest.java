package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.audit.AuditEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The license lifecycle through the HTTP API with a fake clock (issue 3): 50 agents held through ACTIVE →
 * GRACE → DEMO, at most 2 leases left within one TTL, and a new key restoring all 50 seats at once.
 */
class LifecycleApiTest {

    private static final int SEATS = 50;
    private static final Duration HEARTBEAT = Duration.ofSeconds(20);
    /** The end of the term of a license starting 2026-12-01 in Berlin. */
    private static final Instant END = Instant.parse("2027-11-30T23:00:00Z");
    /** Its grace end, 14 days later. */
    private static final Instant GRACE_END = Instant.parse("2027-12-14T23:00:00Z");

    @TempDir
    Path data;

    private RunningServer running;
    private Api api;
    private String acd;
    private final List<String> agents = IntStream.rangeClosed(1, SEATS)
            .mapToObj(i -> String.format("agent-%02d", i))
            .toList();

    @BeforeEach
    void start() {
        running = RunningServer.start(data);
        api = running.api;
        acd = running.token("ACD");
        running.apply(1, SEATS);
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void fiftyAgents_throughGraceIntoDemo_keepTwoSeats_untilANewKeyRestoresAllFifty() {
        running.clock.set(END.minusSeconds(30));
        assertThat(heartbeat()).containsOnly(201);
        assertThat(state()).isEqualTo("ACTIVE");

        running.clock.advance(HEARTBEAT);
        assertThat(heartbeat()).containsOnly(200);
        running.clock.advance(HEARTBEAT);
        running.tick();
        assertThat(heartbeat()).containsOnly(200);
        JsonNode grace = status();
        assertThat(grace.path("state").asText()).isEqualTo("GRACE");
        assertThat(grace.path("capacity").asInt()).isEqualTo(SEATS);
        assertThat(grace.path("inUse").asInt()).isEqualTo(SEATS);
        assertThat(grace.path("warnings").get(0).path("code").asText()).isEqualTo("IN_GRACE");

        running.clock.set(GRACE_END.minusSeconds(30));
        assertThat(heartbeat()).as("claims again after the leases lapsed").containsOnly(201);
        running.clock.advance(HEARTBEAT);
        assertThat(heartbeat()).containsOnly(200);
        running.clock.advance(HEARTBEAT);
        running.tick();

        List<Integer> renewals = heartbeat();
        JsonNode demo = status();
        assertThat(demo.path("state").asText()).isEqualTo("DEMO");
        assertThat(demo.path("capacity").asInt()).isEqualTo(2);
        assertThat(renewals.subList(0, 2))
                .as("the earliest two keep their seats")
                .containsOnly(200);
        assertThat(renewals.subList(2, SEATS)).as("the others are told why").containsOnly(409);
        assertThat(api.seatsInUse()).isEqualTo(2);
        Api.Reply reduced = api.claim(acd, agents.get(SEATS - 1));
        assertThat(reduced.problemType()).isEqualTo("seat-limit-reached");
        assertThat(running.audited(AuditEvent.Type.LEASE_CAPACITY_REDUCED)).hasSize(SEATS - 2);
        assertThat(running.audited(AuditEvent.Type.STATE_CHANGED))
                .extracting(AuditEvent::detail)
                .anySatisfy(detail -> assertThat(detail).contains("GRACE"))
                .anySatisfy(detail -> assertThat(detail).contains("DEMO"));

        running.clock.advance(Duration.ofSeconds(60));
        assertThat(api.seatsInUse())
                .as("within one TTL at most the demo capacity")
                .isLessThanOrEqualTo(2);

        api.postText(
                "/api/v1/license",
                RunningServer.ADMIN_TOKEN,
                TestVendor.key(running.installation(), 2, SEATS, LocalDate.parse("2027-12-01")));
        assertThat(heartbeat()).as("a new key restores every seat at once").allMatch(s -> s == 200 || s == 201);
        assertThat(api.seatsInUse()).isEqualTo(SEATS);
        assertThat(state()).isEqualTo("ACTIVE");
    }

    @Test
    void renewalsOfTheCapacityReducedAgents_areRefusedWithTheReasonAndTheNewCapacity() {
        running.clock.set(GRACE_END.minusSeconds(10));
        heartbeat();
        running.clock.advance(HEARTBEAT);

        api.claim(acd, agents.get(0));
        api.claim(acd, agents.get(1));
        Api.Reply third = api.claim(acd, agents.get(2));

        assertThat(third.status()).isEqualTo(409);
        assertThat(third.problemType()).isEqualTo("capacity-reduced");
        assertThat(third.json().path("capacity").asInt()).isEqualTo(2);
        assertThat(third.json().path("inUse").asInt())
                .as("the 47 not yet renewed still hold their seats until they renew or expire")
                .isEqualTo(SEATS - 1);
    }

    private List<Integer> heartbeat() {
        List<Integer> statuses = new ArrayList<>();
        for (String agent : agents) {
            statuses.add(api.claim(acd, agent).status());
        }
        return statuses;
    }

    private JsonNode status() {
        return api.get("/api/v1/license", RunningServer.ADMIN_TOKEN).json();
    }

    private String state() {
        return status().path("state").asText();
    }
}
