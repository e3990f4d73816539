package com.anycontact.innolicense.server;

import static com.anycontact.innolicense.server.RunningServer.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every alert rule driven by fake time through a real server, with restarts in between: each occurrence fires
 * exactly once however many ticks and restarts see it, a threshold crossed while the server was down fires only
 * the tightest one, a rule switched off fires nothing.
 */
class AlertRulesTest {

    /** The test license, from 2026-12-01 in Europe/Berlin: it ends 2027-12-01 00:00 there, grace 14 days later. */
    private static final Instant END = Instant.parse("2027-11-30T23:00:00Z");

    private static final Instant GRACE_END = END.plus(Duration.ofDays(14));

    @TempDir
    Path data;

    private final FakeTime clock = new FakeTime(RunningServer.START);
    private RunningServer running;

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void licenseExpiring_graceAndDemo_eachFireOnce_acrossTicksAndRestarts() {
        start();
        running.apply(1, 10);

        clock.set(END.minus(Duration.ofDays(30)).minusSeconds(1));
        running.tick();
        assertThat(keys("LICENSE_EXPIRING")).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        running.tick();
        running.tick();
        assertThat(keys("LICENSE_EXPIRING")).containsExactly(expiring(30));

        restart();
        running.tick();
        assertThat(keys("LICENSE_EXPIRING")).containsExactly(expiring(30));

        clock.set(END.minus(Duration.ofDays(14)));
        running.tick();
        // the server is down while 7 days are crossed: only the tightest threshold fires, once
        running.close();
        running = null;
        clock.set(END.minus(Duration.ofDays(5)));
        start();
        running.tick();
        running.tick();
        assertThat(keys("LICENSE_EXPIRING")).containsExactly(expiring(7), expiring(14), expiring(30));

        clock.set(END);
        running.tick();
        restart();
        running.tick();
        assertThat(keys("GRACE_BEGAN")).containsExactly("grace-began:" + licenseId() + ":1");
        assertThat(keys("LICENSE_EXPIRING")).hasSize(3);

        clock.set(GRACE_END);
        running.tick();
        restart();
        running.tick();
        assertThat(keys("DEMO_BEGAN")).containsExactly("demo-began:" + licenseId() + ":1");
        assertThat(keys("GRACE_BEGAN")).hasSize(1);
        JsonNode demo = alerts("DEMO_BEGAN").get(0);
        assertThat(demo.path("summary").asText()).contains("demo mode").contains("2 agents");
        assertThat(demo.path("facts").path("installationId").asText())
                .isEqualTo(running.installation().toString());
    }

    @Test
    void licenseExpiring_withARenewalLinedUp_doesNotFire() {
        start();
        running.apply(1, 10);
        Api.Reply renewal = running.api.postText(
                "/api/v1/license",
                ADMIN_TOKEN,
                TestVendor.key(running.installation(), 2, 10, RunningServer.LICENSE_START.plusMonths(12)));
        assertThat(renewal.status()).isEqualTo(200);

        clock.set(END.minus(Duration.ofDays(1)));
        running.tick();

        assertThat(keys("LICENSE_EXPIRING")).isEmpty();
    }

    @Test
    void keyAppliedAndRejected_fireOncePerKey() {
        start();

        running.apply(1, 10);
        Api.Reply rejected = running.api.postText("/api/v1/license", ADMIN_TOKEN, "not a key");
        assertThat(rejected.status()).isEqualTo(422);
        restart();
        running.tick();

        assertThat(alerts("KEY_APPLIED"))
                .singleElement()
                .satisfies(alert -> assertThat(
                                alert.path("facts").path("appliedBy").asText())
                        .startsWith("token:")
                        .endsWith("(bootstrap)"));
        assertThat(alerts("KEY_APPLIED").get(0).path("summary").asText()).contains("was applied by");
        assertThat(alerts("KEY_REJECTED"))
                .singleElement()
                .satisfies(alert -> assertThat(alert.path("summary").asText()).contains("MALFORMED"));
    }

    @Test
    void usageHigh_firesAfterItsMinutes_andARestartContinuesTheEpisode() {
        startWithLongLeases();
        running.apply(1, 4);
        setRule("USAGE_HIGH", "{\"percent\": 50, \"minutes\": 10}");
        String acd = running.token("ACD");
        assertThat(running.api.claim(acd, "agent-1").status()).isEqualTo(201);
        running.tick();
        assertThat(running.api.claim(acd, "agent-2").status()).isEqualTo(201);
        running.tick();
        Instant since = clock.instant();

        clock.advance(Duration.ofMinutes(6));
        running.tick();
        restart(true);
        clock.advance(Duration.ofMinutes(3));
        running.tick();
        assertThat(keys("USAGE_HIGH")).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        running.tick();
        running.tick();
        assertThat(keys("USAGE_HIGH")).containsExactly("usage-high:" + since.toEpochMilli());

        // use drops and rises again: a new episode, which fires after its own ten minutes
        assertThat(running.api.delete("/api/v1/seats/agent-2", acd).status()).isEqualTo(204);
        running.tick();
        assertThat(running.api.claim(acd, "agent-3").status()).isEqualTo(201);
        running.tick();
        clock.advance(Duration.ofMinutes(10));
        running.tick();
        assertThat(keys("USAGE_HIGH")).hasSize(2);
    }

    @Test
    void denial_firesAtMostOncePerItsMinutes() {
        startWithLongLeases();
        running.apply(1, 2);
        setRule("DENIAL", "{\"minutes\": 30}");
        String acd = running.token("ACD");
        running.api.claim(acd, "agent-1");
        running.api.claim(acd, "agent-2");

        assertThat(running.api.claim(acd, "agent-3").status()).isEqualTo(409);
        running.tick();
        assertThat(keys("DENIAL")).hasSize(1);
        assertThat(alerts("DENIAL").get(0).path("facts").path("agentId").asText())
                .isEqualTo("agent-3");

        clock.advance(Duration.ofMinutes(29));
        running.api.claim(acd, "agent-4");
        running.tick();
        restart(true);
        running.api.claim(acd, "agent-5");
        running.tick();
        assertThat(keys("DENIAL")).hasSize(1);

        clock.advance(Duration.ofMinutes(1));
        running.api.claim(acd, "agent-6");
        running.tick();
        assertThat(keys("DENIAL")).hasSize(2);
    }

    @Test
    void clockJump_firesOncePerJump() {
        start();
        running.tick();

        clock.stepWall(Duration.ofHours(3));
        running.tick();
        running.server.awaitAuditWrites();
        running.tick();
        running.server.awaitAuditWrites();

        assertThat(alerts("CLOCK_JUMP"))
                .singleElement()
                .satisfies(alert -> assertThat(alert.path("summary").asText()).contains("3 hours ahead"));
    }

    @Test
    void aRuleSwitchedOff_firesNothing_andOnAgain_firesWhatHolds() {
        start();
        running.apply(1, 10);
        setRule("GRACE_BEGAN", "{\"enabled\": false}");

        clock.set(END.plusSeconds(1));
        running.tick();
        assertThat(keys("GRACE_BEGAN")).isEmpty();

        setRule("GRACE_BEGAN", "{\"enabled\": true}");
        running.tick();
        assertThat(keys("GRACE_BEGAN")).hasSize(1);
    }

    @Test
    void setRule_withAThresholdOutOfRange_isRefusedWithTheField() {
        start();

        Api.Reply reply = running.api.putJson("/api/v1/alerts/rules/USAGE_HIGH", ADMIN_TOKEN, "{\"percent\": 150}");
        Api.Reply unknown = running.api.putJson("/api/v1/alerts/rules/NOPE", ADMIN_TOKEN, "{\"enabled\": true}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).contains("percent").contains("1 to 100");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("type").asText()).endsWith("/alert-rule-not-found");
    }

    @Test
    void retention_removesAlertsOlderThan90Days_butDemoModeStillUnderWayDoesNotFireAgain() {
        start();
        running.apply(1, 10);
        assertThat(running.api
                        .postText("/api/v1/license", ADMIN_TOKEN, "not a key")
                        .status())
                .isEqualTo(422);
        clock.advance(Duration.ofMinutes(1));
        assertThat(running.api
                        .postText("/api/v1/license", ADMIN_TOKEN, "still not a key")
                        .status())
                .isEqualTo(422);
        clock.set(GRACE_END);
        running.tick();
        String demoAlert = alerts("DEMO_BEGAN").get(0).path("id").asText();
        assertThat(alerts("KEY_REJECTED")).hasSize(2);

        clock.advance(ServerConfig.Retention.DEFAULT_ALERTS.plusDays(1));
        running.server.applyRetention();
        restart();
        running.tick();

        assertThat(alerts("KEY_REJECTED"))
                .singleElement()
                .satisfies(alert -> assertThat(alert.path("summary").asText()).contains("MALFORMED"));
        assertThat(alerts("DEMO_BEGAN"))
                .singleElement()
                .satisfies(alert -> assertThat(alert.path("id").asText())
                        .as("the demo alert is the newest of its rule: kept, so demo mode does not fire again")
                        .isEqualTo(demoAlert));
    }

    private String licenseId() {
        return alerts("KEY_APPLIED").isEmpty()
                ? ""
                : running.api
                        .get("/api/v1/license", ADMIN_TOKEN)
                        .json()
                        .path("license")
                        .path("licenseId")
                        .asText();
    }

    private String expiring(int days) {
        return "license-expiring:" + licenseId() + ":1:" + days + "d";
    }

    private void setRule(String rule, String body) {
        Api.Reply reply = running.api.putJson("/api/v1/alerts/rules/" + rule, ADMIN_TOKEN, body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    private List<JsonNode> alerts(String rule) {
        Api.Reply reply = running.api.get("/api/v1/alerts", ADMIN_TOKEN);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<JsonNode> alerts = new ArrayList<>();
        for (JsonNode alert : reply.json().path("alerts")) {
            if (alert.path("rule").asText().equals(rule)) {
                alerts.add(alert);
            }
        }
        return alerts;
    }

    private List<String> keys(String rule) {
        return alerts(rule).stream()
                .map(alert -> alert.path("eventKey").asText())
                .toList();
    }

    private boolean longLeases;

    private void start() {
        ServerConfig config = RunningServer.config(data);
        running = RunningServer.start(
                data,
                clock,
                longLeases ? config.toBuilder().leaseTtl(Duration.ofHours(2)).build() : config);
    }

    private void startWithLongLeases() {
        longLeases = true;
        start();
    }

    private void restart() {
        restart(longLeases);
    }

    private void restart(boolean keepLongLeases) {
        running.close();
        running = null;
        longLeases = keepLongLeases;
        start();
    }
}
