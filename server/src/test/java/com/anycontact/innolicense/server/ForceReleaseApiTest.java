package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.access.AccessService;
import com.anycontact.innolicense.audit.AuditEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Force-release over the API: an administrator releases an agent's seat, the ACD is told once at the next
 * renewal (on the fast path and on the route alike), a block refuses the agent's claims until it ends or is
 * lifted, survives a restart, and everything is audited.
 */
class ForceReleaseApiTest {

    private static final Duration STALE = AccessService.TOKEN_RECHECK.plusSeconds(1);

    @TempDir
    Path dataDirectory;

    private RunningServer running;
    private Api api;
    private String acd;

    @BeforeEach
    void start() {
        running = RunningServer.start(dataDirectory);
        api = running.api;
        running.apply(1, 5);
        acd = running.token("ACD");
    }

    @AfterEach
    void stop() {
        running.close();
    }

    private Api.Reply forceRelease(String agent, String body) {
        return api.postJson("/api/v1/seats/" + agent + "/release", RunningServer.ADMIN_TOKEN, body);
    }

    @Test
    void forceRelease_ofAHeldSeat_releasesIt_andTheNextRenewalOnTheFastPathIsToldOnceWithTheReason() {
        assertThat(api.claim(acd, "agent-1").status()).isEqualTo(201);

        Api.Reply released = forceRelease("agent-1", "{\"reason\": \"PC hung\"}");

        assertThat(released.status()).as(released.body()).isEqualTo(200);
        assertThat(released.json().path("released").asBoolean()).isTrue();
        assertThat(released.json().path("reason").asText()).isEqualTo("PC hung");
        assertThat(released.json().path("blockedUntil").isNull()).isTrue();
        assertThat(api.seatsInUse()).isZero();
        double before = fastAnswers();
        Api.Reply renewal = api.claim(acd, "agent-1");
        assertThat(fastAnswers() - before).as("answered by the fast path").isEqualTo(1);
        assertThat(renewal.status()).isEqualTo(409);
        assertThat(renewal.problemType()).isEqualTo("released-by-administrator");
        assertThat(renewal.json().path("reason").asText()).isEqualTo("PC hung");
        assertThat(renewal.json().path("releasedBy").asText()).isNotBlank();
        assertThat(renewal.json().path("detail").asText()).contains("released by the administrator", "PC hung");
        assertThat(api.claim(acd, "agent-1").status())
                .as("told once; a new login claims")
                .isEqualTo(201);
        assertThat(running.audited(AuditEvent.Type.SEAT_FORCE_RELEASED))
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.detail()).isEqualTo("agent agent-1: seat released; reason: PC hung");
                    assertThat(event.actor())
                            .isEqualTo(released.json().path("releasedBy").asText());
                    assertThat(event.at())
                            .isEqualTo(Instant.parse(
                                    released.json().path("releasedAt").asText()));
                });
    }

    @Test
    void theNextRenewalOnTheRoute_isToldAsOnTheFastPath() {
        api.claim(acd, "agent-1");
        forceRelease("agent-1", "{}");
        running.clock.advance(STALE); // the token is checked in the store again: the route answers
        double before = fastAnswers();

        Api.Reply renewal = api.claim(acd, "agent-1");

        assertThat(fastAnswers() - before).as("answered by the route").isZero();
        assertThat(renewal.status()).isEqualTo(409);
        assertThat(renewal.problemType()).isEqualTo("released-by-administrator");
        assertThat(renewal.json().path("reason").asText()).isEmpty();
        assertThat(api.claim(acd, "agent-1").status()).isEqualTo(201);
    }

    @Test
    void aBlock_refusesClaimsUntilItEnds_andIsListed() {
        api.claim(acd, "agent-1");

        Api.Reply released = forceRelease("agent-1", "{\"reason\": \"hung client\", \"blockSeconds\": 300}");

        Instant until = RunningServer.START.plus(Duration.ofMinutes(5));
        assertThat(released.json().path("blockedUntil").asText()).isEqualTo(until.toString());
        Api.Reply notice = api.claim(acd, "agent-1");
        assertThat(notice.problemType()).isEqualTo("released-by-administrator");
        assertThat(notice.json().path("blockedUntil").asText()).isEqualTo(until.toString());
        running.clock.advance(Duration.ofMinutes(2));
        Api.Reply blocked = api.claim(acd, "agent-1");
        assertThat(blocked.status()).isEqualTo(409);
        assertThat(blocked.problemType()).isEqualTo("agent-blocked");
        assertThat(blocked.json().path("blockedUntil").asText()).isEqualTo(until.toString());
        assertThat(blocked.headers().get("retry-after")).isEqualTo("180");
        JsonNode blocks =
                api.get("/api/v1/seat-blocks", RunningServer.ADMIN_TOKEN).json().path("blocks");
        assertThat(blocks).hasSize(1);
        assertThat(blocks.get(0).path("agentId").asText()).isEqualTo("agent-1");
        assertThat(blocks.get(0).path("reason").asText()).isEqualTo("hung client");
        assertThat(api.claim(acd, "agent-2").status())
                .as("others claim as ever")
                .isEqualTo(201);

        running.clock.advance(Duration.ofMinutes(3));

        assertThat(api.claim(acd, "agent-1").status()).isEqualTo(201);
        assertThat(api.get("/api/v1/seat-blocks", RunningServer.ADMIN_TOKEN)
                        .json()
                        .path("blocks"))
                .isEmpty();
    }

    @Test
    void unblock_liftsTheBlockAtOnce_andIsAudited() {
        forceRelease("agent-1", "{\"blockSeconds\": 3600}");
        assertThat(api.claim(acd, "agent-1").problemType()).isEqualTo("agent-blocked");

        Api.Reply lifted = api.delete("/api/v1/seat-blocks/agent-1", RunningServer.ADMIN_TOKEN);

        assertThat(lifted.status()).isEqualTo(204);
        assertThat(api.claim(acd, "agent-1").status()).isEqualTo(201);
        assertThat(api.delete("/api/v1/seat-blocks/agent-1", RunningServer.ADMIN_TOKEN)
                        .problemType())
                .isEqualTo("block-not-found");
        assertThat(running.audited(AuditEvent.Type.AGENT_UNBLOCKED))
                .singleElement()
                .satisfies(event -> assertThat(event.detail()).isEqualTo("agent agent-1: claims accepted again"));
    }

    @Test
    void aBlock_survivesARestart() {
        api.claim(acd, "agent-1");
        forceRelease("agent-1", "{\"blockSeconds\": 600}");
        running.close();
        running = RunningServer.start(dataDirectory, new FakeTime(RunningServer.START.plus(Duration.ofMinutes(1))));
        api = running.api;

        Api.Reply claim = api.claim(acd, "agent-1");

        assertThat(claim.status()).as(claim.body()).isEqualTo(409);
        assertThat(claim.problemType()).isEqualTo("released-by-administrator");
        assertThat(api.claim(acd, "agent-1").problemType()).isEqualTo("agent-blocked");
    }

    @Test
    void forceRelease_ofAnAgentWithoutASeat_is404_unlessABlockIsAskedFor() {
        assertThat(forceRelease("agent-9", "{}").problemType()).isEqualTo("lease-not-held");
        assertThat(running.audited(AuditEvent.Type.SEAT_FORCE_RELEASED)).isEmpty();

        Api.Reply blocked = forceRelease("agent-9", "{\"blockSeconds\": 60}");

        assertThat(blocked.status()).isEqualTo(200);
        assertThat(blocked.json().path("released").asBoolean()).isFalse();
        assertThat(api.claim(acd, "agent-9").problemType())
                .as("no notice: it held no seat")
                .isEqualTo("agent-blocked");
        assertThat(running.audited(AuditEvent.Type.SEAT_FORCE_RELEASED))
                .singleElement()
                .satisfies(
                        event -> assertThat(event.detail()).startsWith("agent agent-9: held no seat; no reason given"));
    }

    @Test
    void forceRelease_withBadInput_isRefusedNamingTheField_andChangesNothing() {
        api.claim(acd, "agent-1");

        Api.Reply zero = forceRelease("agent-1", "{\"blockSeconds\": 0}");
        Api.Reply long8Days = forceRelease("agent-1", "{\"blockSeconds\": 691200}");
        Api.Reply multiLine = forceRelease("agent-1", "{\"reason\": \"a\\nb\"}");
        Api.Reply unknown = forceRelease("agent-1", "{\"block\": \"5m\"}");

        assertThat(zero.problemType()).isEqualTo("invalid-body");
        assertThat(zero.json().path("field").asText()).isEqualTo("blockSeconds");
        assertThat(long8Days.json().path("field").asText()).isEqualTo("blockSeconds");
        assertThat(multiLine.json().path("field").asText()).isEqualTo("reason");
        assertThat(unknown.problemType()).isEqualTo("invalid-body");
        assertThat(api.seatsInUse()).isEqualTo(1);
    }

    @Test
    void forceRelease_isForAdministratorsOnly() {
        String supervisor = running.token("SUPERVISOR");
        api.claim(acd, "agent-1");

        assertThat(api.postJson("/api/v1/seats/agent-1/release", supervisor, "{}")
                        .status())
                .isEqualTo(403);
        assertThat(api.postJson("/api/v1/seats/agent-1/release", acd, "{}").status())
                .isEqualTo(403);
        assertThat(api.get("/api/v1/seat-blocks", supervisor).status()).isEqualTo(200);
        assertThat(api.delete("/api/v1/seat-blocks/agent-1", supervisor).status())
                .isEqualTo(403);
    }

    @Test
    void auditVerify_afterAllThis_findsTheChainIntact() {
        api.claim(acd, "agent-1");
        forceRelease("agent-1", "{\"reason\": \"check\", \"blockSeconds\": 60}");

        Api.Reply verified = api.get("/api/v1/audit/verify", RunningServer.ADMIN_TOKEN);

        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.json().path("intact").asBoolean())
                .as(verified.body())
                .isTrue();
        assertThat(verified.json().path("entries").asLong()).isGreaterThan(3);
        assertThat(verified.json().path("firstBreak").isNull()).isTrue();
        assertThat(verified.json().path("lastHash").asText()).hasSize(64);
    }

    private double fastAnswers() {
        return Api.sample(api.get("/metrics", RunningServer.ADMIN_TOKEN).body(), "innolicense_http_seat_fast_total");
    }
}
