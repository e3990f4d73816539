package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.anycontact.innolicense.store.sqlite.SqliteInstallationStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steps of the system clock while the server runs and time passes on the monotonic clock (issue 9 §2): the
 * server's fake system clock is stepped 2 hours back or forward while its ticker runs on, an agent renews
 * every 20 s (a third of the 60 s TTL) and another has stopped. Leases and sessions go by the ticker, the
 * license clock neither stands still nor takes the step, each step is audited once and shown in the status.
 */
class ClockStepApiTest {

    private static final String LICENSE = "/api/v1/license";
    private static final Duration HEARTBEAT = Duration.ofSeconds(20);
    private static final Duration TWO_HOURS = Duration.ofHours(2);
    private static final Instant GRACE_END = Instant.parse("2027-12-14T23:00:00Z");

    @TempDir
    Path data;

    private RunningServer running;
    private Api api;
    private String acd;

    @BeforeEach
    void start() {
        running = RunningServer.start(data);
        api = running.api;
        acd = running.token("ACD");
        running.apply(1, 2);
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void aClockSetBackTwoHours_freesADeadAgentsSeatAfterItsTtlEndsSessionsOnTimeAndIsAuditedOnce() {
        String session = cookie(api.postJson(
                "/api/v1/session",
                null,
                "{\"username\": \"admin\", \"password\": \"" + RunningServer.ADMIN_PASSWORD + "\"}"));
        assertThat(api.claim(acd, "renewing").status()).isEqualTo(201);
        assertThat(api.claim(acd, "dead").status()).isEqualTo(201);

        running.clock.stepWall(TWO_HOURS.negated());
        List<Integer> renewals = heartbeats(2);
        assertThat(api.claim(acd, "newcomer").status())
                .as("the dead agent's lease has 20 s left")
                .isEqualTo(409);
        renewals.addAll(heartbeats(2));

        assertThat(api.claim(acd, "newcomer").status())
                .as("the dead agent's seat is free")
                .isEqualTo(201);
        assertThat(renewals).containsOnly(200);
        assertThat(running.audited(AuditEvent.Type.LEASES_REAPED))
                .singleElement()
                .satisfies(event -> assertThat(event.detail()).isEqualTo("1 expired: dead"));

        api.delete("/api/v1/seats/newcomer", acd);
        heartbeats(90); // 30 minutes more, in which the session is not used
        running.server.purgeSessions();
        Api.Reply afterIdle = api.request("GET", LICENSE, null, null, Map.of("Cookie", session));
        assertThat(afterIdle.status())
                .as("the session ended 30 minutes after its last use")
                .isEqualTo(401);

        running.server.awaitAuditWrites();
        assertThat(running.audited(AuditEvent.Type.CLOCK_JUMP)).singleElement().satisfies(event -> {
            assertThat(event.at()).isEqualTo(RunningServer.START.plus(HEARTBEAT));
            assertThat(event.detail()).contains("2 hours behind trusted time 2027-01-15T09:00:20Z");
        });
        JsonNode status = api.get(LICENSE, RunningServer.ADMIN_TOKEN).json();
        Instant trustedNow = RunningServer.START.plus(HEARTBEAT.multipliedBy(94));
        assertThat(status.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(status.path("evaluatedAt").asText()).isEqualTo(trustedNow.toString());
        assertThat(status.path("clock").path("trustedTime").asText()).isEqualTo(trustedNow.toString());
        assertThat(status.path("clock").path("systemTime").asText())
                .isEqualTo(trustedNow.minus(TWO_HOURS).toString());
        assertThat(Duration.parse(status.path("clock").path("offset").asText())).isEqualTo(TWO_HOURS.negated());
        assertThat(status.path("clock").path("since").asText())
                .as("noticed at the first reading after the step")
                .isEqualTo(RunningServer.START.plus(HEARTBEAT).toString());
        assertThat(status.path("warnings"))
                .extracting(warning -> warning.path("code").asText())
                .contains("CLOCK_JUMPED");
    }

    @Test
    void aClockSetForwardTwoHoursInGrace_reapsNoRenewingAgentKeepsGraceAndIsNotPersistedNorKeptOverARestart() {
        running.clock.set(GRACE_END.minus(Duration.ofHours(1)));
        running.tick();
        assertThat(state()).isEqualTo("GRACE");
        assertThat(api.claim(acd, "renewing").status()).isEqualTo(201);
        assertThat(api.claim(acd, "dead").status()).isEqualTo(201);

        running.clock.stepWall(TWO_HOURS);
        running.tick();
        List<Integer> renewals = heartbeats(2);
        assertThat(api.claim(acd, "newcomer").status())
                .as("the dead agent's lease has 20 s left")
                .isEqualTo(409);
        renewals.addAll(heartbeats(2));

        assertThat(api.claim(acd, "newcomer").status())
                .as("the dead agent's seat is free")
                .isEqualTo(201);
        assertThat(renewals).containsOnly(200);
        assertThat(running.audited(AuditEvent.Type.LEASES_REAPED))
                .singleElement()
                .satisfies(event -> assertThat(event.detail()).isEqualTo("1 expired: dead"));
        assertThat(state()).as("the step forward does not end the grace period").isEqualTo("GRACE");
        running.server.awaitAuditWrites();
        assertThat(running.audited(AuditEvent.Type.CLOCK_JUMP))
                .singleElement()
                .satisfies(event -> assertThat(event.detail()).contains("2 hours ahead of trusted time"));
        JsonNode status = api.get(LICENSE, RunningServer.ADMIN_TOKEN).json();
        assertThat(Duration.parse(status.path("clock").path("offset").asText())).isEqualTo(TWO_HOURS);
        assertThat(status.path("clock").path("since").asText())
                .isEqualTo(GRACE_END.minus(Duration.ofHours(1)).toString());
        assertThat(status.path("warnings"))
                .extracting(warning -> warning.path("code").asText())
                .contains("IN_GRACE", "CLOCK_JUMPED");

        running.clock.stepWall(TWO_HOURS.negated());
        heartbeats(1);
        JsonNode corrected = api.get(LICENSE, RunningServer.ADMIN_TOKEN).json();
        assertThat(corrected.path("clock").path("since").isNull()).isTrue();
        assertThat(corrected.path("warnings"))
                .extracting(warning -> warning.path("code").asText())
                .containsExactly("IN_GRACE");
        running.close();
        try (SqliteDatabase database = SqliteDatabase.open(data)) {
            assertThat(new SqliteInstallationStore(database).trustedTimeMark())
                    .as("the persisted mark holds no part of the step")
                    .isBefore(GRACE_END.minus(Duration.ofMinutes(50)));
        }

        running = RunningServer.start(data, running.clock);
        api = running.api;
        assertThat(state()).as("a restart does not lapse the license").isEqualTo("GRACE");
        assertThat(running.audited(AuditEvent.Type.CLOCK_JUMP)).hasSize(1);
    }

    /** Lets {@code count} renewal intervals pass, the renewing agent renewing and the server ticking in each. */
    private List<Integer> heartbeats(int count) {
        List<Integer> renewals = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            running.clock.advance(HEARTBEAT);
            renewals.add(api.claim(acd, "renewing").status());
            running.tick();
        }
        return renewals;
    }

    private String state() {
        return api.get(LICENSE, RunningServer.ADMIN_TOKEN).json().path("state").asText();
    }

    private static String cookie(Api.Reply login) {
        String setCookie = login.header("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }
}
