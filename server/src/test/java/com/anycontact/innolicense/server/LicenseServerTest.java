package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.license.InstallationId;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server end to end over real HTTP: keys, seats, the reaper, tokens and sessions. */
class LicenseServerTest {

    private static final String LICENSE = "/api/v1/license";
    private static final String SEATS = "/api/v1/seats";

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
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void status_beforeAnyKey_isUnlicensedWithDemoCapacity() {
        Api.Reply reply = api.get(LICENSE, RunningServer.ADMIN_TOKEN);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("state").asText()).isEqualTo("UNLICENSED");
        assertThat(reply.json().path("installationId").asText())
                .isEqualTo(running.installation().value());
        assertThat(reply.json().path("capacity").asInt()).isEqualTo(2);
        assertThat(reply.json().path("license").isNull()).isTrue();
        assertThat(reply.json().path("warnings").get(0).path("code").asText()).isEqualTo("UNLICENSED");
    }

    @Test
    void apply_ofAKeyForThisInstallation_makesTheLicenseActiveAtOnce() {
        Api.Reply applied = api.postText(LICENSE, RunningServer.ADMIN_TOKEN, running.key(1, 10));

        assertThat(applied.status()).isEqualTo(200);
        assertThat(applied.json().path("state").asText()).isEqualTo("ACTIVE");
        JsonNode status = api.get(LICENSE, RunningServer.ADMIN_TOKEN).json();
        assertThat(status.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(status.path("capacity").asInt()).isEqualTo(10);
        assertThat(status.path("inUse").asInt()).isZero();
        assertThat(status.path("license").path("seats").asInt()).isEqualTo(10);
        assertThat(status.path("license").path("licenseId").asText()).isEqualTo("LIC-1");
        assertThat(status.path("license").path("customer").path("name").asText())
                .isEqualTo("ACME Contact GmbH");
        assertThat(status.path("end").asText()).isEqualTo("2027-12-01T00:00:00+01:00[Europe/Berlin]");
        assertThat(status.path("graceEnd").asText()).isEqualTo("2027-12-15T00:00:00+01:00[Europe/Berlin]");
        assertThat(status.path("daysRemaining").asLong()).isPositive();
        assertThat(status.path("pending").isNull()).isTrue();
        assertThat(running.audited(AuditEvent.Type.KEY_APPLIED)).hasSize(1);
    }

    @Test
    void apply_sentAsCurlSendsItByDefault_readsTheBodyAsTheKey() {
        Api.Reply applied = api.send(
                "POST",
                LICENSE,
                RunningServer.ADMIN_TOKEN,
                "application/x-www-form-urlencoded",
                Api.bytes(running.key(1, 10)));

        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
    }

    @Test
    void apply_ofAKeyForAnotherInstallation_isRejectedAsWrongInstallation() {
        InstallationId other = InstallationId.generate(new SecureRandom());
        String key = TestVendor.key(other, 1, 10, RunningServer.LICENSE_START);

        Api.Reply reply = api.postText(LICENSE, RunningServer.ADMIN_TOKEN, key);

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.isProblem()).isTrue();
        assertThat(reply.problemType()).isEqualTo("license-key-rejected");
        assertThat(reply.json().path("reason").asText()).isEqualTo("WRONG_INSTALLATION");
        assertThat(reply.json().path("detail").asText())
                .contains(running.installation().value());
        assertThat(api.get(LICENSE, RunningServer.ADMIN_TOKEN)
                        .json()
                        .path("state")
                        .asText())
                .isEqualTo("UNLICENSED");
    }

    @Test
    void apply_ofAnOlderSerial_isRejectedAsSuperseded() {
        running.apply(2, 10);

        Api.Reply reply = api.postText(LICENSE, RunningServer.ADMIN_TOKEN, running.key(1, 20));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().path("reason").asText()).isEqualTo("SUPERSEDED");
        assertThat(api.get(LICENSE, RunningServer.ADMIN_TOKEN)
                        .json()
                        .path("capacity")
                        .asInt())
                .isEqualTo(10);
    }

    @Test
    void preview_showsTheStatusAfter_andStoresNothing() {
        Api.Reply reply = api.postText(LICENSE + "/preview", RunningServer.ADMIN_TOKEN, running.key(1, 10));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("license").path("seats").asInt()).isEqualTo(10);
        assertThat(reply.json().path("statusAfter").path("state").asText()).isEqualTo("ACTIVE");
        assertThat(api.get(LICENSE, RunningServer.ADMIN_TOKEN)
                        .json()
                        .path("state")
                        .asText())
                .isEqualTo("UNLICENSED");
        assertThat(api.get(LICENSE + "/history", RunningServer.ADMIN_TOKEN)
                        .json()
                        .path("licenses"))
                .isEmpty();
    }

    @Test
    void history_listsTheAppliedKeys() {
        running.apply(1, 10);
        running.apply(2, 20);

        JsonNode history =
                api.get(LICENSE + "/history", RunningServer.ADMIN_TOKEN).json();

        assertThat(history.path("licenses")).hasSize(2);
        assertThat(history.path("licenses").get(0).path("appliedBy").asText()).isNotBlank();
    }

    @Test
    void claim_thenRenew_answers201Then200WithExpiryAndRenewInterval() {
        running.apply(1, 3);

        Api.Reply claimed = api.putJson(SEATS + "/agent-1", acd, "{\"node\": \"acd-1\", \"station\": \"desk 7\"}");
        running.clock.advance(Duration.ofSeconds(20));
        Api.Reply renewed = api.claim(acd, "agent-1");

        assertThat(claimed.status()).isEqualTo(201);
        assertThat(claimed.json().path("agentId").asText()).isEqualTo("agent-1");
        assertThat(claimed.json().path("node").asText()).isEqualTo("acd-1");
        assertThat(claimed.json().path("station").asText()).isEqualTo("desk 7");
        assertThat(claimed.json().path("claimedAt").asText()).isEqualTo("2027-01-15T09:00:00Z");
        assertThat(claimed.json().path("expiresAt").asText()).isEqualTo("2027-01-15T09:01:00Z");
        assertThat(claimed.json().path("renewAfterSeconds").asLong()).isEqualTo(20);
        assertThat(claimed.json().path("leaseTtlSeconds").asLong()).isEqualTo(60);
        assertThat(renewed.status()).isEqualTo(200);
        assertThat(renewed.json().path("claimedAt").asText()).isEqualTo("2027-01-15T09:00:00Z");
        assertThat(renewed.json().path("expiresAt").asText()).isEqualTo("2027-01-15T09:01:20Z");
    }

    @Test
    void claims_upToTheSeatLimit_succeed_andTheNextIsASeatLimitReachedDenial() {
        running.apply(1, 3);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            statuses.add(api.claim(acd, "agent-" + i).status());
        }

        Api.Reply denied = api.claim(acd, "agent-4");

        assertThat(statuses).containsExactly(201, 201, 201);
        assertThat(denied.status()).isEqualTo(409);
        assertThat(denied.isProblem()).isTrue();
        assertThat(denied.problemType()).isEqualTo("seat-limit-reached");
        assertThat(denied.json().path("type").asText())
                .isEqualTo("https://innoacd.anycontact.com/problems/seat-limit-reached");
        assertThat(denied.json().path("capacity").asInt()).isEqualTo(3);
        assertThat(denied.json().path("inUse").asInt()).isEqualTo(3);
        assertThat(running.audited(AuditEvent.Type.CLAIM_DENIED))
                .singleElement()
                .satisfies(event -> assertThat(event.detail()).contains("agent-4"));
        JsonNode seats = api.get(SEATS, RunningServer.ADMIN_TOKEN).json();
        assertThat(seats.path("capacity").asInt()).isEqualTo(3);
        assertThat(seats.path("inUse").asInt()).isEqualTo(3);
        assertThat(seats.path("leases"))
                .extracting(lease -> lease.path("agentId").asText())
                .containsExactly("agent-1", "agent-2", "agent-3");
    }

    @Test
    void release_frees_theSeat_andASecondReleaseFindsNoLease() {
        running.apply(1, 1);
        api.claim(acd, "agent-1");

        Api.Reply released = api.delete(SEATS + "/agent-1", acd);
        Api.Reply again = api.delete(SEATS + "/agent-1", acd);

        assertThat(released.status()).isEqualTo(204);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.problemType()).isEqualTo("lease-not-held");
        assertThat(api.claim(acd, "agent-2").status()).isEqualTo(201);
    }

    @Test
    void aSilentAgentsSeat_isFreeAfterTheTtl_andTheReaperAuditsIt() {
        running.apply(1, 2);
        api.claim(acd, "silent");
        api.claim(acd, "talker");
        running.clock.advance(Duration.ofSeconds(40));
        api.claim(acd, "talker");
        assertThat(api.claim(acd, "newcomer").status()).isEqualTo(409);

        running.clock.advance(Duration.ofSeconds(21));
        Api.Reply afterTtl = api.claim(acd, "newcomer");
        running.tick();

        assertThat(afterTtl.status()).isEqualTo(201);
        assertThat(api.get(SEATS, RunningServer.ADMIN_TOKEN).json().path("leases"))
                .extracting(lease -> lease.path("agentId").asText())
                .containsExactly("talker", "newcomer");
        assertThat(running.audited(AuditEvent.Type.LEASES_REAPED))
                .singleElement()
                .satisfies(event -> assertThat(event.detail()).contains("silent"));
    }

    @Test
    void requests_withoutCredentials_areRefusedWith401() {
        Api.Reply reply = api.get(LICENSE, null);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.problemType()).isEqualTo("authentication-required");
        assertThat(reply.header("WWW-Authenticate")).contains("Bearer");
    }

    @Test
    void requests_withAnUnknownToken_areRefusedWith401() {
        Api.Reply reply = api.claim("no-such-token-0123456789-0123456789-abcdef", "agent-1");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.problemType()).isEqualTo("invalid-credentials");
    }

    @Test
    void seats_areForAcdTokensOnly_andTheLicenseIsNotForAcdTokens() {
        Api.Reply adminClaims = api.claim(RunningServer.ADMIN_TOKEN, "agent-1");
        Api.Reply acdReadsLicense = api.get(LICENSE, acd);

        assertThat(adminClaims.status()).isEqualTo(403);
        assertThat(adminClaims.problemType()).isEqualTo("role-not-allowed");
        assertThat(acdReadsLicense.status()).isEqualTo(403);
        assertThat(api.seatsInUse()).isZero();
    }

    @Test
    void supervisors_readLicenseAndSeats_butMayNotApplyKeys() {
        String supervisor = running.token("SUPERVISOR");

        assertThat(api.get(LICENSE, supervisor).status()).isEqualTo(200);
        assertThat(api.get(SEATS, supervisor).status()).isEqualTo(200);
        assertThat(api.postText(LICENSE, supervisor, running.key(1, 5)).status())
                .isEqualTo(403);
    }

    @Test
    void tokens_areCreatedListedWithoutSecretsAndRevoked() {
        Api.Reply created = api.postJson(
                "/api/v1/tokens", RunningServer.ADMIN_TOKEN, "{\"name\": \"acd-node-2\", \"role\": \"ACD\"}");
        String id = created.json().path("id").asText();
        String secret = created.json().path("token").asText();

        Api.Reply listed = api.get("/api/v1/tokens", RunningServer.ADMIN_TOKEN);
        Api.Reply revoked = api.delete("/api/v1/tokens/" + id, RunningServer.ADMIN_TOKEN);
        Api.Reply again = api.delete("/api/v1/tokens/" + id, RunningServer.ADMIN_TOKEN);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("role").asText()).isEqualTo("ACD");
        assertThat(secret).isNotBlank();
        assertThat(listed.body()).contains(id, "acd-node-2").doesNotContain(secret);
        assertThat(revoked.status()).isEqualTo(204);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.problemType()).isEqualTo("token-not-found");
        assertThat(api.claim(secret, "agent-1").status()).isEqualTo(401);
    }

    @Test
    void unknownRoutes_areProblems() {
        Api.Reply reply = api.get("/api/v1/nothing-here", RunningServer.ADMIN_TOKEN);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.isProblem()).isTrue();
        assertThat(reply.problemType()).isEqualTo("not-found");
    }

    @Test
    void restart_onTheSameDataDirectory_keepsLicenseLeasesAndInstallation() {
        running.apply(1, 5);
        Api.Reply claimed = api.claim(acd, "agent-1");
        InstallationId installation = running.installation();
        running.close();

        running = RunningServer.start(data, running.clock);
        api = running.api;
        JsonNode status = api.get(LICENSE, RunningServer.ADMIN_TOKEN).json();
        JsonNode seats = api.get(SEATS, RunningServer.ADMIN_TOKEN).json();

        assertThat(running.installation()).isEqualTo(installation);
        assertThat(status.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(seats.path("leases")).singleElement().satisfies(lease -> {
            assertThat(lease.path("agentId").asText()).isEqualTo("agent-1");
            assertThat(lease.path("expiresAt").asText())
                    .isEqualTo(claimed.json().path("expiresAt").asText());
        });
        assertThat(api.claim(acd, "agent-1").status()).isEqualTo(200);
    }

    @Test
    void firstStart_withoutAnAdminPassword_writesAGeneratedOneToAPrivateFileAndSaysWhere(@TempDir Path other)
            throws java.io.IOException {
        ServerConfig config = ServerConfig.of("127.0.0.1", 0, other, List.of(TestVendor.publicKey()));
        java.io.ByteArrayOutputStream first = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream second = new java.io.ByteArrayOutputStream();

        LicenseServer.open(config, running.clock, running.clock.ticker(), new java.io.PrintStream(first, true))
                .close();
        LicenseServer.open(config, running.clock, running.clock.ticker(), new java.io.PrintStream(second, true))
                .close();

        Path file = other.resolve(LicenseServer.GENERATED_PASSWORD_FILE);
        String password = java.nio.file.Files.readString(file).strip();
        assertThat(password).hasSize(24);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(first.toString())
                .contains("Created user 'admin' with a generated password, written to " + file.toAbsolutePath())
                .doesNotContain(password);
        assertThat(second.toString()).isEmpty();
    }
}
