package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics}: the seat counters, the license gauges, HTTP and JVM meters, in Prometheus text. */
class MetricsApiTest {

    @TempDir
    Path data;

    private RunningServer running;
    private Api api;
    private String acd;
    private String supervisor;

    @BeforeEach
    void start() {
        running = RunningServer.start(data);
        api = running.api;
        acd = running.token("ACD");
        supervisor = running.token("SUPERVISOR");
    }

    @AfterEach
    void stop() {
        running.close();
    }

    private String scrape() {
        Api.Reply reply = api.get("/metrics", supervisor);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.body();
    }

    @Test
    void metrics_areThePrometheusTextFormat() {
        Api.Reply reply = api.get("/metrics", supervisor);

        assertThat(reply.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(reply.body()).contains("# TYPE innolicense_claims_total counter");
        assertThat(reply.body()).contains("# TYPE innolicense_seats_in_use gauge");
    }

    @Test
    void theSeatCounters_countWhatTheLedgerDecided_whicheverRouteOrTaskAsked() {
        running.apply(1, 3);
        assertThat(api.claim(acd, "a1").status()).isEqualTo(201);
        assertThat(api.claim(acd, "a2").status()).isEqualTo(201);
        assertThat(api.claim(acd, "a3").status()).isEqualTo(201);
        assertThat(api.claim(acd, "a4").status()).isEqualTo(409);
        assertThat(api.claim(acd, "a1").status()).isEqualTo(200);
        assertThat(api.delete("/api/v1/seats/a3", acd).status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/seats/a3", acd).status()).isEqualTo(404);
        running.apply(2, 1);
        assertThat(api.claim(acd, "a2").problemType()).isEqualTo("capacity-reduced");
        running.clock.advance(Duration.ofSeconds(61));
        running.tick();

        String scrape = scrape();

        assertThat(Api.sample(scrape, "innolicense_claims_total")).isEqualTo(3);
        assertThat(Api.sample(scrape, "innolicense_renewals_total")).isEqualTo(1);
        assertThat(Api.sample(scrape, "innolicense_denials_total")).isEqualTo(1);
        assertThat(Api.sample(scrape, "innolicense_releases_total")).isEqualTo(1);
        assertThat(Api.sample(scrape, "innolicense_capacity_reduced_total")).isEqualTo(1);
        assertThat(Api.sample(scrape, "innolicense_reaped_total")).isEqualTo(1);
    }

    @Test
    void theGauges_readSeatsAndLicenseAtTheScrape() {
        running.apply(1, 10);
        api.claim(acd, "a1");
        api.claim(acd, "a2");
        long daysRemaining = api.get("/api/v1/license", supervisor)
                .json()
                .path("daysRemaining")
                .asLong();

        String scrape = scrape();

        assertThat(Api.sample(scrape, "innolicense_seats_in_use")).isEqualTo(2);
        assertThat(Api.sample(scrape, "innolicense_seats_capacity")).isEqualTo(10);
        assertThat(Api.sample(scrape, "innolicense_license_state{state=\"ACTIVE\"}"))
                .isEqualTo(1);
        assertThat(Api.sample(scrape, "innolicense_license_state{state=\"UNLICENSED\"}"))
                .isZero();
        assertThat(Api.sample(scrape, "innolicense_license_state{state=\"DEMO\"}"))
                .isZero();
        assertThat(Api.sample(scrape, "innolicense_license_days_remaining")).isEqualTo(daysRemaining);
        assertThat(daysRemaining).isPositive();
    }

    @Test
    void theGauges_followTheLicenseIntoDemo() {
        running.apply(1, 10);
        running.clock.set(java.time.Instant.parse("2027-12-15T00:00:00Z"));
        running.tick();

        String scrape = scrape();

        assertThat(Api.sample(scrape, "innolicense_license_state{state=\"DEMO\"}"))
                .isEqualTo(1);
        assertThat(Api.sample(scrape, "innolicense_license_state{state=\"ACTIVE\"}"))
                .isZero();
        assertThat(Api.sample(scrape, "innolicense_seats_capacity")).isEqualTo(2);
        assertThat(Api.sample(scrape, "innolicense_license_days_remaining")).isZero();
    }

    @Test
    void requests_areTimedByRouteTemplate_neverByAgentId() {
        running.apply(1, 10);
        api.claim(acd, "agent-with-a-name");
        api.get("/api/v1/no-such-route", supervisor);

        String scrape = scrape();

        assertThat(
                        Api.sample(
                                scrape,
                                "http_server_requests_seconds_count{method=\"PUT\",status=\"201\",uri=\"/api/v1/seats/{agentId}\"}"))
                .isEqualTo(1);
        assertThat(Api.sample(
                        scrape, "http_server_requests_seconds_count{method=\"GET\",status=\"404\",uri=\"NOT_FOUND\"}"))
                .isEqualTo(1);
        assertThat(scrape).doesNotContain("agent-with-a-name", "no-such-route");
    }

    @Test
    void theJvmAndProcessBasics_areThere() {
        String scrape = scrape();

        assertThat(scrape)
                .contains(
                        "jvm_memory_used_bytes{",
                        "jvm_threads_live_threads ",
                        "jvm_classes_loaded_classes ",
                        "process_uptime_seconds ",
                        "system_cpu_count ");
    }
}
