package com.anycontact.innolicense.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anycontact.innolicense.client.Lease;
import com.anycontact.innolicense.client.LeaseLoss;
import com.anycontact.innolicense.client.LicenseClient;
import com.anycontact.innolicense.client.LicenseServerException;
import com.anycontact.innolicense.client.SeatDeniedException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client SDK against the real license server on a free port: claim, renewal, release, a denial,
 * capacity reduction, a revoked token, a restart, and the server gone past expiry.
 *
 * <p>The server runs on a fake clock and a lease TTL of 3 s, so it asks for renewals every second of real
 * time (the client's timers run on real time) while the test decides how far server time moves. The client
 * judges its deadlines by a fake clock too, which stands still unless a test moves it: a busy machine slows
 * these tests down but cannot make a lease run out.
 */
class ClientEndToEndTest {

    private static final Duration TTL = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String SEATS = "/api/v1/seats";

    @TempDir
    Path data;

    private final FakeTime serverClock = new FakeTime(RunningServer.START);
    private final List<LeaseLoss> losses = new CopyOnWriteArrayList<>();
    private final List<String> lostAgents = new CopyOnWriteArrayList<>();
    private final List<LicenseClient> clients = new ArrayList<>();
    private LicenseServer server;
    private boolean serverUp;
    private Api api;
    private String acdToken;
    private String acdTokenId;

    @BeforeEach
    void start() {
        startServer(0);
        Api.Reply created = api.postJson(
                "/api/v1/tokens", RunningServer.ADMIN_TOKEN, "{\"name\": \"acd-node-1\", \"role\": \"ACD\"}");
        assertThat(created.status()).isEqualTo(201);
        acdToken = created.json().path("token").asText();
        acdTokenId = created.json().path("id").asText();
    }

    @AfterEach
    void stop() {
        clients.forEach(LicenseClient::close);
        stopServer();
    }

    private void stopServer() {
        if (serverUp) {
            serverUp = false;
            server.close();
        }
    }

    private void startServer(int port) {
        ServerConfig config = ServerConfig.of("127.0.0.1", port, data, List.of(TestVendor.publicKey())).toBuilder()
                .adminPassword(Optional.of(RunningServer.ADMIN_PASSWORD))
                .bootstrapToken(Optional.of(RunningServer.ADMIN_TOKEN))
                .leaseTtl(TTL)
                .build();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        server = LicenseServer.open(
                config, serverClock, serverClock.ticker(), new PrintStream(console, true, StandardCharsets.UTF_8));
        api = new Api(server.start());
        serverUp = true;
    }

    private LicenseClient client(InstantSource clientClock) {
        LicenseClient client = LicenseClient.builder()
                .server(URI.create(server.url()))
                .token(acdToken)
                .node("acd-node-1")
                .clock(clientClock)
                .listener((lease, loss) -> {
                    lostAgents.add(lease.agentId());
                    losses.add(loss);
                })
                .build();
        clients.add(client);
        return client;
    }

    private LicenseClient client() {
        return client(new FakeTime(Instant.parse("2026-03-02T08:00:00Z")));
    }

    private void apply(long serial, int seats) {
        Api.Reply reply = api.postText(
                "/api/v1/license",
                RunningServer.ADMIN_TOKEN,
                TestVendor.key(server.installationId(), serial, seats, RunningServer.LICENSE_START));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    private List<String> leasedAgents() {
        JsonNode leases = api.get(SEATS, RunningServer.ADMIN_TOKEN).json().path("leases");
        return StreamSupport.stream(leases.spliterator(), false)
                .map(lease -> lease.path("agentId").asText())
                .sorted()
                .toList();
    }

    /** Moves server time by {@code step} and waits until the lease's next renewal has been answered. */
    private void stepAndAwaitRenewal(Lease lease, Duration step) {
        serverClock.advance(step);
        Instant expected = serverClock.instant().plus(TTL);
        await(
                "a renewal at server time " + serverClock.instant(),
                () -> !lease.expiresAt().isBefore(expected));
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    @Test
    void claimRenewAndRelease_leaveTheServerAsTheyFoundIt() throws Exception {
        apply(1, 5);
        LicenseClient client = client();

        Lease lease = client.claim("agent-1", "station-12");

        assertThat(lease.isHeld()).isTrue();
        assertThat(lease.claimedAt()).isEqualTo(RunningServer.START);
        assertThat(lease.expiresAt()).isEqualTo(RunningServer.START.plus(TTL));
        assertThat(lease.node()).contains("acd-node-1");
        assertThat(lease.station()).contains("station-12");
        JsonNode listed =
                api.get(SEATS, RunningServer.ADMIN_TOKEN).json().path("leases").get(0);
        assertThat(listed.path("agentId").asText()).isEqualTo("agent-1");
        assertThat(listed.path("node").asText()).isEqualTo("acd-node-1");
        assertThat(listed.path("station").asText()).isEqualTo("station-12");

        stepAndAwaitRenewal(lease, Duration.ofSeconds(1));
        assertThat(lease.claimedAt()).isEqualTo(RunningServer.START);

        lease.close();
        lease.close();

        assertThat(leasedAgents()).isEmpty();
        assertThat(lease.isHeld()).isFalse();
        assertThat(losses).isEmpty();
    }

    @Test
    void renewals_keepALeaseAliveOverManyTtlsOfServerTime() throws Exception {
        apply(1, 5);
        Lease lease = client().claim("agent-1");

        for (int step = 0; step < 6; step++) {
            stepAndAwaitRenewal(lease, Duration.ofSeconds(2));
            server.tick();
        }

        assertThat(Duration.between(RunningServer.START, serverClock.instant())).isEqualTo(TTL.multipliedBy(4));
        assertThat(leasedAgents()).containsExactly("agent-1");
        assertThat(lease.isHeld()).isTrue();
        assertThat(losses).isEmpty();
    }

    @Test
    void aClaimWithEverySeatHeld_isDeniedWithCapacityAndInUse() throws Exception {
        LicenseClient client = client();
        client.claim("agent-1");
        client.claim("agent-2");

        SeatDeniedException denied = catchThrowableOfType(SeatDeniedException.class, () -> client.claim("agent-3"));

        assertThat(denied.capacity()).isEqualTo(2);
        assertThat(denied.inUse()).isEqualTo(2);
        assertThat(leasedAgents()).containsExactly("agent-1", "agent-2");
    }

    @Test
    void anInvalidAgentId_isRefusedWithItsProblemType() {
        LicenseServerException refused =
                catchThrowableOfType(LicenseServerException.class, () -> client().claim("not an agent"));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.problemType()).contains("invalid-agent-id");
    }

    @Test
    void aKeyWithFewerSeats_tellsTheListenersOfTheLeasesBeyondIt() throws Exception {
        apply(1, 3);
        LicenseClient client = client();
        Lease first = client.claim("agent-1");
        client.claim("agent-2");
        client.claim("agent-3");

        apply(2, 1);

        await("two leases lost", () -> losses.size() == 2);
        assertThat(losses).extracting(LeaseLoss::reason).containsOnly(LeaseLoss.Reason.CAPACITY_REDUCED);
        assertThat(lostAgents).containsExactlyInAnyOrder("agent-2", "agent-3");
        assertThat(first.isHeld()).isTrue();
        assertThat(leasedAgents()).containsExactly("agent-1");
    }

    @Test
    void aRevokedToken_isReportedAsUnauthorized() throws Exception {
        apply(1, 5);
        Lease lease = client().claim("agent-1");

        assertThat(api.delete("/api/v1/tokens/" + acdTokenId, RunningServer.ADMIN_TOKEN)
                        .status())
                .isEqualTo(204);

        await("the lease lost", () -> !losses.isEmpty());
        assertThat(losses).extracting(LeaseLoss::reason).containsExactly(LeaseLoss.Reason.UNAUTHORIZED);
        assertThat(lease.isHeld()).isFalse();
    }

    @Test
    void aServerRestartMidLease_isCarriedOnWithByTheRestartedServer() throws Exception {
        apply(1, 5);
        Lease lease =
                client(new FakeTime(Instant.parse("2026-03-02T08:00:00Z"))).claim("agent-1");
        int port = Integer.parseInt(server.url().substring(server.url().lastIndexOf(':') + 1));

        stopServer();
        startServer(port);

        stepAndAwaitRenewal(lease, Duration.ofSeconds(1));
        stepAndAwaitRenewal(lease, Duration.ofSeconds(1));
        assertThat(lease.claimedAt()).as("the same lease, not a new claim").isEqualTo(RunningServer.START);
        assertThat(leasedAgents()).containsExactly("agent-1");
        assertThat(lease.isHeld()).isTrue();
        assertThat(losses).isEmpty();
    }

    @Test
    void theServerGonePastExpiry_isReportedAsServerUnreachableOnce() throws Exception {
        apply(1, 5);
        FakeTime clientClock = new FakeTime(Instant.parse("2026-03-02T08:00:00Z"));
        LicenseClient client = client(clientClock);
        Lease lease = client.claim("agent-1");

        stopServer();
        clientClock.advance(TTL);

        await("the lease lost", () -> !losses.isEmpty());
        client.close();
        assertThat(losses).extracting(LeaseLoss::reason).containsExactly(LeaseLoss.Reason.SERVER_UNREACHABLE);
        assertThat(lease.loss().map(LeaseLoss::reason)).contains(LeaseLoss.Reason.SERVER_UNREACHABLE);
    }
}
