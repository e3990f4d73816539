package com.anycontact.innolicense.server;

import static com.anycontact.innolicense.server.RunningServer.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.alert.RetrySchedule;
import com.anycontact.innolicense.alert.WebhookSignature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook delivery against a real local HTTP receiver: signed per Standard Webhooks, retried on the schedule
 * across a restart, given up after a day, logged per subscription, and the test event; the secret shown once.
 */
class AlertWebhookTest {

    @TempDir
    Path data;

    private final FakeTime clock = new FakeTime(RunningServer.START);
    private final WebhookReceiver receiver = new WebhookReceiver();
    private RunningServer running;

    @BeforeEach
    void start() {
        running = startDeliveringByHand();
    }

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
        receiver.close();
    }

    @Test
    void anAlert_isPostedSigned_andLoggedAsDelivered() throws Exception {
        Api.Reply created = subscribe(receiver.url());
        String secret = created.json().path("secret").asText();
        String id = created.json().path("id").asText();
        assertThat(secret).startsWith("whsec_");

        running.apply(1, 10);
        Instant sentAt = clock.instant();
        assertThat(running.server.deliverAlerts()).isEqualTo(1);

        WebhookReceiver.Received request = receiver.received().get(0);
        assertThat(request.path()).isEqualTo("/hooks/innolicense");
        assertThat(request.headers().get("content-type")).isEqualTo("application/json");
        assertThat(request.headers().get("webhook-id")).startsWith("msg_alrt_").endsWith("_" + id);
        assertThat(request.headers().get("webhook-timestamp")).isEqualTo(Long.toString(sentAt.getEpochSecond()));
        assertThat(WebhookSignature.verify(
                        secret,
                        request.headers().get("webhook-id"),
                        sentAt.getEpochSecond(),
                        request.body(),
                        request.headers().get("webhook-signature")))
                .isTrue();
        assertThat(WebhookSignature.verify(
                        WebhookSignature.newSecret(),
                        request.headers().get("webhook-id"),
                        sentAt.getEpochSecond(),
                        request.body(),
                        request.headers().get("webhook-signature")))
                .isFalse();
        JsonNode body = new ObjectMapper().readTree(request.body());
        assertThat(body.path("type").asText()).isEqualTo("license.key_applied");
        assertThat(body.path("data").path("facts").path("installationId").asText())
                .isEqualTo(running.installation().toString());

        JsonNode log = deliveries(id);
        assertThat(log).hasSize(1);
        assertThat(log.get(0).path("outcome").asText()).isEqualTo("DELIVERED");
        assertThat(log.get(0).path("statusCode").asInt()).isEqualTo(204);
        assertThat(log.get(0).path("attempt").asInt()).isEqualTo(1);
        assertThat(running.server.deliverAlerts()).isZero();
    }

    @Test
    void theSecret_isShownOnlyAtCreation() {
        Api.Reply created = subscribe(receiver.url());
        String secret = created.json().path("secret").asText();

        Api.Reply listed = running.api.get("/api/v1/alerts/subscriptions", ADMIN_TOKEN);

        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().path("subscriptions").get(0).has("secret")).isFalse();
        assertThat(listed.body()).doesNotContain(secret);
    }

    @Test
    void aFailedDelivery_isRetriedOnTheSchedule_acrossARestart_withTheSameId() {
        Api.Reply created = subscribe(receiver.url());
        String id = created.json().path("id").asText();
        receiver.answer(503, 500);
        running.apply(1, 10);
        Instant first = clock.instant();

        running.server.deliverAlerts();
        JsonNode failed = deliveries(id).get(0);
        assertThat(failed.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(failed.path("statusCode").asInt()).isEqualTo(503);
        assertThat(failed.path("error").asText()).contains("HTTP 503");
        assertThat(failed.path("nextAttemptAt").asText())
                .isEqualTo(first.plusSeconds(30).toString());

        running.close();
        running = startDeliveringByHand();
        assertThat(running.server.deliverAlerts()).isZero();
        clock.advance(Duration.ofSeconds(30));
        assertThat(running.server.deliverAlerts()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(2));
        assertThat(running.server.deliverAlerts()).isEqualTo(1);

        JsonNode log = deliveries(id);
        assertThat(outcomes(log)).containsExactly("DELIVERED", "FAILED", "FAILED");
        assertThat(receiver.received())
                .extracting(request -> request.headers().get("webhook-id"))
                .containsOnly(log.get(0).path("deliveryId").asText())
                .hasSize(3);
    }

    @Test
    void aReceiverThatNeverTakesIt_isTriedForADay_thenGivenUp() {
        Api.Reply created = subscribe(receiver.url());
        String id = created.json().path("id").asText();
        receiver.answerByDefault(500);
        running.apply(1, 10);
        Instant first = clock.instant();

        for (Duration offset : RetrySchedule.offsets()) {
            clock.set(first.plus(offset));
            assertThat(running.server.deliverAlerts())
                    .as("attempt at " + offset)
                    .isEqualTo(1);
        }
        clock.advance(Duration.ofDays(3));
        assertThat(running.server.deliverAlerts()).isZero();

        JsonNode log = deliveries(id);
        assertThat(log).hasSize(8);
        assertThat(log.get(0).path("outcome").asText()).isEqualTo("GAVE_UP");
        assertThat(log.get(0).path("at").asText())
                .isEqualTo(first.plus(Duration.ofDays(1)).toString());
        assertThat(outcomes(log).subList(1, 8)).containsOnly("FAILED");
    }

    @Test
    void theTestEvent_isSentAtOnce_andLogged() {
        String id = subscribe(receiver.url()).json().path("id").asText();

        Api.Reply test = running.api.postJson("/api/v1/alerts/subscriptions/" + id + "/test", ADMIN_TOKEN, "{}");

        assertThat(test.status()).as(test.body()).isEqualTo(200);
        assertThat(test.json().path("outcome").asText()).isEqualTo("DELIVERED");
        assertThat(receiver.received().get(0).body()).contains("\"type\":\"alert.test\"");
        assertThat(deliveries(id).get(0).path("rule").asText()).isEqualTo("TEST");
    }

    @Test
    void theTestEvent_toAReceiverThatIsDown_saysWhy() {
        String url = receiver.url();
        receiver.close();
        String id = subscribe(url).json().path("id").asText();

        Api.Reply test = running.api.postJson("/api/v1/alerts/subscriptions/" + id + "/test", ADMIN_TOKEN, "{}");

        assertThat(test.status()).isEqualTo(200);
        assertThat(test.json().path("outcome").asText()).isEqualTo("GAVE_UP");
        assertThat(test.json().path("error").asText()).contains("could not reach 127.0.0.1");
    }

    @Test
    void subscribe_withoutAUsableUrl_isRefusedWithTheField() {
        Api.Reply ftp = running.api.postJson(
                "/api/v1/alerts/subscriptions",
                ADMIN_TOKEN,
                "{\"name\": \"x\", \"channel\": \"WEBHOOK\", \"target\": \"ftp://example.com/x\"}");
        Api.Reply mail = running.api.postJson(
                "/api/v1/alerts/subscriptions",
                ADMIN_TOKEN,
                "{\"name\": \"x\", \"channel\": \"EMAIL\", \"target\": \"not-an-address\"}");
        Api.Reply unknown = running.api.delete("/api/v1/alerts/subscriptions/sub_nope", ADMIN_TOKEN);

        assertThat(ftp.status()).isEqualTo(400);
        assertThat(ftp.body()).contains("target").contains("https://");
        assertThat(mail.status()).isEqualTo(400);
        assertThat(mail.body()).contains("not an e-mail address");
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void unsubscribe_stopsDeliveries() {
        String id = subscribe(receiver.url()).json().path("id").asText();
        assertThat(running.api
                        .delete("/api/v1/alerts/subscriptions/" + id, ADMIN_TOKEN)
                        .status())
                .isEqualTo(204);

        running.apply(1, 10);

        assertThat(running.server.deliverAlerts()).isZero();
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void aSubscriptionNamingRules_receivesOnlyTheirAlerts_andItsRulesCanBeChanged() throws Exception {
        try (WebhookReceiver keysOnly = new WebhookReceiver()) {
            subscribe(receiver.url());
            Api.Reply created = running.api.postJson(
                    "/api/v1/alerts/subscriptions",
                    ADMIN_TOKEN,
                    "{\"name\": \"rejections\", \"channel\": \"WEBHOOK\", \"target\": \"" + keysOnly.url()
                            + "\", \"rules\": [\"KEY_REJECTED\"]}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.json().path("allRules").asBoolean()).isFalse();
            assertThat(created.json().path("rules").toString()).isEqualTo("[\"KEY_REJECTED\"]");
            String id = created.json().path("id").asText();

            running.apply(1, 10);
            running.server.deliverAlerts();

            assertThat(receiver.received()).hasSize(1);
            assertThat(keysOnly.received()).isEmpty();

            Api.Reply changed = running.api.putJson(
                    "/api/v1/alerts/subscriptions/" + id + "/rules",
                    ADMIN_TOKEN,
                    "{\"rules\": [\"KEY_APPLIED\", \"KEY_REJECTED\"]}");
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
            assertThat(changed.json().path("rules").toString()).isEqualTo("[\"KEY_APPLIED\",\"KEY_REJECTED\"]");
            running.apply(2, 10);
            running.server.deliverAlerts();

            assertThat(receiver.received()).hasSize(2);
            assertThat(keysOnly.received()).hasSize(1);
            assertThat(new ObjectMapper()
                            .readTree(keysOnly.received().get(0).body())
                            .path("type")
                            .asText())
                    .isEqualTo("license.key_applied");

            Api.Reply every = running.api.putJson(
                    "/api/v1/alerts/subscriptions/" + id + "/rules", ADMIN_TOKEN, "{\"rules\": null}");
            assertThat(every.status()).as(every.body()).isEqualTo(200);
            assertThat(every.json().path("allRules").asBoolean()).isTrue();
            assertThat(every.json().path("rules")).hasSizeGreaterThan(2);
        }
    }

    @Test
    void subscriptionRules_thatAreUnknownOrNone_areRefusedNamingTheFieldAndTheRules() {
        String id = subscribe(receiver.url()).json().path("id").asText();

        Api.Reply unknownAtCreation = running.api.postJson(
                "/api/v1/alerts/subscriptions",
                ADMIN_TOKEN,
                "{\"name\": \"x\", \"channel\": \"EMAIL\", \"target\": \"ops@example.com\", \"rules\": [\"SEATS_LOW\"]}");
        Api.Reply unknown = running.api.putJson(
                "/api/v1/alerts/subscriptions/" + id + "/rules", ADMIN_TOKEN, "{\"rules\": [\"DENIAL\", \"TEST\"]}");
        Api.Reply none =
                running.api.putJson("/api/v1/alerts/subscriptions/" + id + "/rules", ADMIN_TOKEN, "{\"rules\": []}");
        Api.Reply missing = running.api.putJson("/api/v1/alerts/subscriptions/" + id + "/rules", ADMIN_TOKEN, "{}");
        Api.Reply mistyped = running.api.putJson(
                "/api/v1/alerts/subscriptions/" + id + "/rules", ADMIN_TOKEN, "{\"rule\": [\"DENIAL\"]}");
        Api.Reply noSuchSubscription = running.api.putJson(
                "/api/v1/alerts/subscriptions/sub_nope/rules", ADMIN_TOKEN, "{\"rules\": [\"DENIAL\"]}");

        assertThat(unknownAtCreation.status()).isEqualTo(400);
        assertThat(unknownAtCreation.body())
                .contains("rules")
                .contains("'SEATS_LOW'")
                .contains("LICENSE_EXPIRING")
                .contains("CLOCK_JUMP")
                .doesNotContain("Exception");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("'TEST'").contains("USAGE_HIGH");
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.body()).contains("rules").contains("at least one");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("field 'rules' is required");
        assertThat(mistyped.status()).isEqualTo(400);
        assertThat(mistyped.body()).contains("field 'rules' is required");
        assertThat(noSuchSubscription.status()).isEqualTo(404);
        assertThat(running.api
                        .get("/api/v1/alerts/subscriptions", ADMIN_TOKEN)
                        .json()
                        .path("subscriptions")
                        .get(0)
                        .path("allRules")
                        .asBoolean())
                .isTrue();
    }

    /** A server whose alerts are delivered only by the test's {@code deliverAlerts()}, so each call's count is exact. */
    private RunningServer startDeliveringByHand() {
        RunningServer server = RunningServer.start(data, clock);
        server.server.stopBackgroundAlertDelivery();
        return server;
    }

    private Api.Reply subscribe(String url) {
        Api.Reply reply = running.api.postJson(
                "/api/v1/alerts/subscriptions",
                ADMIN_TOKEN,
                "{\"name\": \"ops hook\", \"channel\": \"WEBHOOK\", \"target\": \"" + url + "\"}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply;
    }

    private JsonNode deliveries(String id) {
        Api.Reply reply = running.api.get("/api/v1/alerts/subscriptions/" + id + "/deliveries", ADMIN_TOKEN);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().path("attempts");
    }

    private static List<String> outcomes(JsonNode log) {
        List<String> outcomes = new ArrayList<>();
        log.forEach(attempt -> outcomes.add(attempt.path("outcome").asText()));
        return outcomes;
    }
}
