package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditQuery;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one real PostgreSQL, their clocks following real time as the database's does, with the default
 * clock offset bound (2 s); then one node's clock gains 50 s. That node must not reap anyone early nor grant a
 * seat beyond capacity: it refuses claims, renewals and releases with 503 {@code clock-skewed} on the fast path
 * and on the route, stops leading, and says why in {@code /health/ready}. Without the check it would do both: the
 * leases it sees were claimed with a 40 s TTL by the other node, so by its clock they have expired.
 *
 * <p>Real time: the TTL is how long the test may take before the leases expire by every clock, which a crowded
 * build machine must not reach (it was 20 s); the skew stays above the TTL, and below the minute beyond which a
 * node reports its clock as having jumped.
 */
class ClockSkewTest {

    private static final Duration TTL = Duration.ofSeconds(40);
    private static final Duration SKEW = Duration.ofSeconds(50);

    @TempDir
    Path data;

    private final List<LicenseServer> servers = new ArrayList<>();
    private TestPostgres database;

    @BeforeEach
    void createDatabase() {
        database = TestPostgres.create(getClass());
    }

    @AfterEach
    void stopEverything() {
        servers.forEach(LicenseServer::close);
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aNodeWhoseClockRunsAhead_neitherReapsEarlyNorGrantsBeyondCapacity() {
        RealTime skewedTime = new RealTime();
        LicenseServer skewed = startNode(skewedTime);
        LicenseServer sound = startNode(new RealTime());
        assertThat(skewed.cluster().leads()).as("the first node started leads").isTrue();
        Api onSkewed = Api.of(skewed);
        Api onSound = Api.of(sound);
        String acd = token(onSound);
        // capacity 2 (no license: demo seats), both taken through the sound node
        assertThat(onSound.claim(acd, "agent-1").status()).isEqualTo(201);
        assertThat(onSound.claim(acd, "agent-2").status()).isEqualTo(201);
        assertThat(onSkewed.claim(acd, "agent-1").status())
                .as("a renewal on the skewed node while its clock agrees")
                .isEqualTo(200);

        skewedTime.runAhead(SKEW);
        skewed.tick();
        sound.tick();

        Api.Reply fastClaim = onSkewed.claim(acd, "agent-3");
        assertSkewRefusal(fastClaim);
        assertSkewRefusal(onSkewed.claim(acd, "agent-1"));
        assertSkewRefusal(onSkewed.putJson("/api/v1/seats/agent-3/", acd, null));
        assertSkewRefusal(onSkewed.delete("/api/v1/seats/agent-2", acd));
        assertSkewRefusal(onSkewed.delete("/api/v1/seats/agent-2/", acd));
        assertThat(fastClaim.json().path("clockOffsetMillis").asLong())
                .isBetween(SKEW.toMillis() - 1_000, SKEW.toMillis() + 1_000);
        assertThat(fastClaim.json().path("maxClockOffsetMillis").asLong()).isEqualTo(2_000);
        assertThat(fastClaim.json().path("detail").asText())
                .contains("ahead of the cluster database's")
                .contains("bound of 2000 ms");

        skewed.ledger().reap();
        skewed.tick();
        assertThat(skewed.cluster().leads()).as("a skewed node does not lead").isFalse();
        assertThat(sound.cluster().leads())
                .as("the sound node takes over at its next tick")
                .isTrue();
        assertThat(onSound.leasedAgents()).containsExactly("agent-1", "agent-2");
        assertThat(sound.audit().find(AuditQuery.newest(10).withType(AuditEvent.Type.LEASES_REAPED)))
                .isEmpty();
        assertThat(onSound.claim(acd, "agent-3").status())
                .as("the sound node still denies: both seats are held")
                .isEqualTo(409);

        Api.Reply ready = onSkewed.get("/health/ready", null);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().path("checks").path("clock").asText()).isEqualTo("DOWN");
        assertThat(ready.json().path("detail").asText()).contains("clock").contains("ahead");
        JsonNode cluster = ready.json().path("cluster");
        assertThat(cluster.path("serving").asBoolean()).isFalse();
        assertThat(cluster.path("reason").asText()).contains("beyond the bound of 2000 ms");
        assertThat(StreamSupport.stream(cluster.path("nodes").spliterator(), false)
                        .filter(node -> !node.path("serving").asBoolean())
                        .map(node -> node.path("address").asText()))
                .containsExactly(skewed.url());
        assertThat(onSound.get("/health/ready", null).status()).isEqualTo(200);
    }

    @Test
    void aNodeStartedWithItsClockAhead_servesAgainByItselfOnceItsClockIsCorrected() {
        LicenseServer sound = startNode(new RealTime());
        RealTime wrongTime = new RealTime();
        wrongTime.runAhead(SKEW);
        LicenseServer wrong = startNode(wrongTime);
        Api onWrong = Api.of(wrong);
        String acd = token(Api.of(sound));
        wrong.tick();
        assertSkewRefusal(onWrong.claim(acd, "agent-1"));
        assertThat(onWrong.get("/health/ready", null).status()).isEqualTo(503);

        wrongTime.correctSystemClock();
        int ticks = 0;
        while (wrong.cluster().seatRefusal().isPresent() && ticks < 3) {
            wrong.tick();
            ticks++;
        }

        assertThat(wrong.cluster().seatRefusal())
                .as("serving again within %d ticks of the correction", ticks)
                .isEmpty();
        assertThat(ticks).as("ticks (seconds) until it serves again").isLessThanOrEqualTo(2);
        assertThat(wrong.cluster().clockOffset().orElseThrow().abs()).isLessThan(Duration.ofSeconds(2));
        Api.Reply claimed = onWrong.claim(acd, "agent-1");
        assertThat(claimed.status()).as(claimed.body()).isEqualTo(201);
        Api.Reply ready = onWrong.get("/health/ready", null);
        assertThat(ready.status()).as(ready.body()).isEqualTo(200);
        assertThat(ready.json().path("checks").path("clock").asText()).isEqualTo("UP");
        assertThat(ready.json().path("cluster").path("serving").asBoolean()).isTrue();
    }

    @Test
    void aNodeStartedFarAhead_datesNothingAheadOfTheDatabase_soNodesStartedAfterItDoNotInheritItsLead() {
        LicenseServer sound = startNode(new RealTime());
        RealTime farAhead = new RealTime();
        farAhead.runAhead(Duration.ofDays(400));
        LicenseServer wrong = startNode(farAhead);
        Api onWrong = Api.of(wrong);

        // an administrator's action through the node far ahead, audited with its trusted time
        String acd = token(onWrong);
        wrong.awaitAuditWrites();
        Instant soon = Instant.now().plus(Duration.ofMinutes(2));
        assertThat(wrong.trustedNow())
                .as("the trusted time of the node whose system clock is 400 days ahead")
                .isBefore(soon);
        List<AuditEvent> written = sound.audit().find(AuditQuery.newest(20));
        assertDatedTodayWithTheJump(written, "ahead");
        wrong.tick();
        Api.Reply claimed = onWrong.claim(acd, "agent-1");
        assertThat(claimed.status())
                .as("a claim through the node far ahead, whose seat clock starts at the database's: %s", claimed.body())
                .isEqualTo(201);
        assertThat(wrong.cluster().clockOffset().orElseThrow().abs()).isLessThan(Duration.ofSeconds(2));

        LicenseServer startedAfter = startNode(new RealTime());
        assertThat(startedAfter.trustedNow())
                .as("the trusted time of a node started after it, from the evidence in the database")
                .isBefore(Instant.now().plus(Duration.ofMinutes(2)));
        assertThat(Api.of(startedAfter).claim(acd, "agent-1").status())
                .as("the same agent's renewal through a node started after it")
                .isEqualTo(200);
    }

    @Test
    void aNodeStartedFarBehindAsTheClustersFirst_startsOnTheDatabasesClock_servesAndDatesNothingBehind() {
        RealTime farBehind = new RealTime();
        farBehind.setSystemClock(Duration.ofDays(-400));
        // the first node of a new cluster: no evidence in the database that any time has passed
        LicenseServer wrong = startNode(farBehind);
        Api onWrong = Api.of(wrong);
        Instant earliest = Instant.now().minus(Duration.ofMinutes(2));
        assertThat(wrong.trustedNow())
                .as("the trusted time of the node whose system clock is 400 days behind")
                .isAfter(earliest);

        // an administrator's action through it, audited with its trusted time
        String acd = token(onWrong);
        wrong.awaitAuditWrites();
        List<AuditEvent> written = wrong.audit().find(AuditQuery.newest(20));
        assertDatedTodayWithTheJump(written, "behind");
        assertThat(onWrong.get("/api/v1/license", RunningServer.ADMIN_TOKEN)
                        .json()
                        .path("clock")
                        .path("trustedTime")
                        .asText())
                .as("the license clock AC Admin shows")
                .startsWith(Instant.now().toString().substring(0, 10));
        wrong.tick();
        Api.Reply claimed = onWrong.claim(acd, "agent-1");
        assertThat(claimed.status())
                .as(
                        "a claim through the node far behind, whose seat clock starts at the database's: %s",
                        claimed.body())
                .isEqualTo(201);
        assertThat(wrong.cluster().clockOffset().orElseThrow().abs()).isLessThan(Duration.ofSeconds(2));

        // its clock set right: the trusted clock follows it again, and the agent renews through it
        farBehind.correctSystemClock();
        wrong.tick();
        JsonNode clock =
                onWrong.get("/api/v1/license", RunningServer.ADMIN_TOKEN).json().path("clock");
        assertThat(clock.path("since").isNull() || clock.path("since").isMissingNode())
                .as("the episode is over: %s", clock)
                .isTrue();
        assertThat(wrong.trustedNow()).isAfter(earliest).isBefore(Instant.now().plus(Duration.ofMinutes(2)));
        assertThat(onWrong.claim(acd, "agent-1").status()).as("the renewal").isEqualTo(200);
    }

    /**
     * Every audit entry written dated within two minutes of real time, and among them a {@code CLOCK_JUMP} saying
     * which way the system clock reads off.
     */
    private static void assertDatedTodayWithTheJump(List<AuditEvent> written, String direction) {
        Instant now = Instant.now();
        assertThat(written)
                .isNotEmpty()
                .allSatisfy(event -> assertThat(event.at())
                        .as("the date of %s", event)
                        .isBetween(now.minus(Duration.ofMinutes(2)), now.plus(Duration.ofMinutes(2))));
        assertThat(written).as("the system clock %s, reported", direction).anySatisfy(event -> {
            assertThat(event.type()).isEqualTo(AuditEvent.Type.CLOCK_JUMP);
            assertThat(event.detail()).contains(direction);
        });
    }

    private static void assertSkewRefusal(Api.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.problemType()).isEqualTo("clock-skewed");
        assertThat(reply.header("Retry-After")).contains("1");
    }

    private LicenseServer startNode(RealTime time) {
        ServerConfig config = ServerConfig.of("127.0.0.1", 0, data, List.of(TestVendor.publicKey())).toBuilder()
                .adminPassword(Optional.of(RunningServer.ADMIN_PASSWORD))
                .bootstrapToken(Optional.of(RunningServer.ADMIN_TOKEN))
                .database(Optional.of(database.url()))
                .leaseTtl(TTL)
                .build();
        LicenseServer server = LicenseServer.open(
                config,
                time,
                time.ticker(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        servers.add(server);
        server.start();
        return server;
    }

    private static String token(Api api) {
        Api.Reply created =
                api.postJson("/api/v1/tokens", RunningServer.ADMIN_TOKEN, "{\"name\": \"acd\", \"role\": \"ACD\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("token").asText();
    }
}
