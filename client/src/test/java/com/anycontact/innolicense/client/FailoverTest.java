package com.anycontact.innolicense.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client given several servers: three fake seat servers that share one set of {@link FakeSeatServer.Seats},
 * as the nodes of a cluster share one database. Calls go to the server that answered last; a server that refuses
 * connections or answers with a server fault passes the call to the next at once and is left alone for a
 * back-off; leases keep renewing while any server answers, and a loss is told only when the lease really ended.
 * The servers' expiries and the client's deadlines run on fake clocks that stand still unless a test moves them.
 */
class FailoverTest {

    private static final Duration TTL = Duration.ofMillis(300);
    private static final Duration RENEW_AFTER = Duration.ofMillis(100);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FakeClock serverClock = new FakeClock(Instant.parse("2026-03-02T08:00:00Z"));
    private final FakeClock clientClock = new FakeClock(Instant.parse("2026-03-02T07:59:58Z"));
    private final FakeSeatServer.Seats seats = new FakeSeatServer.Seats(10, TTL, RENEW_AFTER, serverClock);
    private final List<FakeSeatServer> servers = new ArrayList<>();
    private final RecordingListener listener = new RecordingListener();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        servers.forEach(FakeSeatServer::close);
    }

    private FakeSeatServer startServer() {
        FakeSeatServer server = FakeSeatServer.start(seats);
        servers.add(server);
        return server;
    }

    /** The URL of a port that nothing listens on: connections to it are refused at once. */
    private static URI refusingServer() {
        FakeSeatServer stopped = FakeSeatServer.start(new FakeSeatServer.Seats(1, TTL, RENEW_AFTER));
        URI uri = stopped.uri();
        stopped.close();
        return uri;
    }

    private LicenseClient client(URI... uris) {
        LicenseClient client = LicenseClient.builder()
                .servers(uris)
                .token(FakeSeatServer.TOKEN)
                .node("acd-node-1")
                .listener(listener)
                .clock(clientClock)
                .build();
        toClose.add(client);
        return client;
    }

    private static FakeSeatServer.Reply unavailable(int retryAfterSeconds) {
        FakeSeatServer.Reply problem =
                FakeSeatServer.problem(503, "database-unavailable", "the server cannot reach its database", Map.of());
        return new FakeSeatServer.Reply(
                503, problem.contentType(), problem.body(), Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    @Test
    void claim_whenTheFirstServerRefusesConnections_isAnsweredByTheNext() throws Exception {
        FakeSeatServer second = startServer();
        LicenseClient client = client(refusingServer(), second.uri());

        Lease lease = client.claim("agent-1");

        assertThat(lease.isHeld()).isTrue();
        assertThat(seats.holds("agent-1")).isTrue();
        assertThat(second.requests()).isEqualTo(1);
    }

    @Test
    void claim_whenAServerAnswers503WithRetryAfter_goesToTheNext_andLeavesTheFirstAloneForItsRetryAfter()
            throws Exception {
        FakeSeatServer first = startServer();
        FakeSeatServer second = startServer();
        first.script(exchange -> unavailable(30));
        LicenseClient client = client(first.uri(), second.uri());

        client.claim("agent-1");
        second.script(exchange -> unavailable(30));
        LicenseServerException refused =
                catchThrowableOfType(LicenseServerException.class, () -> client.claim("agent-2"));

        assertThat(seats.holds("agent-1")).isTrue();
        assertThat(first.requests())
                .as("the first server is not asked again within its Retry-After")
                .isEqualTo(1);
        assertThat(second.requests()).isEqualTo(2);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.problemType()).contains("database-unavailable");
        assertThat(refused.getMessage()).contains(second.uri().toString());
    }

    @Test
    void calls_stayWithTheServerThatAnswered_evenAfterTheOneThatFailedRecovers() throws Exception {
        FakeSeatServer first = startServer();
        FakeSeatServer second = startServer();
        AtomicInteger faults = new AtomicInteger(1);
        first.script(exchange -> faults.getAndDecrement() > 0
                ? FakeSeatServer.problem(500, "internal-error", "the server failed", Map.of())
                : null);
        LicenseClient client = client(first.uri(), second.uri());

        client.claim("agent-1");
        for (int i = 2; i <= 5; i++) {
            client.claim("agent-" + i);
        }

        assertThat(first.requests()).isEqualTo(1);
        assertThat(second.requests()).isEqualTo(5);
        assertThat(seats.inUse()).isEqualTo(5);
    }

    @Test
    void everyServerDown_claimNamesWhatEachTryRanInto() {
        URI one = refusingServer();
        URI two = refusingServer();
        LicenseClient client = client(one, two);

        LicenseServerException refused =
                catchThrowableOfType(LicenseServerException.class, () -> client.claim("agent-1"));

        assertThat(refused.status()).isZero();
        assertThat(refused.getMessage()).contains(one + " unreachable").contains(two + " unreachable");
    }

    @Test
    void renewals_whenTheirServerStops_goOnAtTheNext_withoutAClaimAgainOrALoss() throws Exception {
        FakeSeatServer first = startServer();
        FakeSeatServer second = startServer();
        LicenseClient client = client(first.uri(), second.uri());
        List<Lease> leases = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            leases.add(client.claim("agent-" + i));
        }
        assertThat(second.requests()).isZero();

        first.close();
        int renewalsBefore = seats.renewals();
        for (int step = 0; step < 6; step++) {
            serverClock.advance(Duration.ofMillis(200));
            clientClock.advance(Duration.ofMillis(200));
            Instant expiry = serverClock.instant().plus(TTL);
            Await.until(
                    "every lease renewed at " + serverClock.instant(),
                    WAIT,
                    () -> leases.stream().noneMatch(lease -> lease.expiresAt().isBefore(expiry)));
        }

        assertThat(seats.renewals() - renewalsBefore).isGreaterThanOrEqualTo(5 * 6);
        assertThat(seats.claims()).as("no lease lapsed and was claimed again").isEqualTo(5);
        assertThat(leases).allMatch(Lease::isHeld);
        assertThat(listener.all()).isEmpty();
        assertThat(second.requests()).isGreaterThanOrEqualTo(5 * 6);
    }

    @Test
    void release_whenTheServerThatGrantedIsDown_isMadeAtTheNext() throws Exception {
        FakeSeatServer first = startServer();
        FakeSeatServer second = startServer();
        LicenseClient client = client(first.uri(), second.uri());
        Lease lease = client.claim("agent-1");

        first.close();
        lease.close();

        assertThat(seats.holds("agent-1")).isFalse();
        assertThat(seats.releases()).isEqualTo(1);
        assertThat(listener.all()).isEmpty();
    }

    @Test
    void everyServerDown_isALossOnlyWhenTheLeaseRunsOut_toldOnce() throws Exception {
        FakeSeatServer first = startServer();
        FakeSeatServer second = startServer();
        LicenseClient client = client(first.uri(), second.uri());
        Lease lease = client.claim("agent-1");

        first.close();
        second.close();
        Thread.sleep(RENEW_AFTER.multipliedBy(3).toMillis());
        assertThat(listener.all()).as("no loss while the lease has time left").isEmpty();
        assertThat(lease.isHeld()).isTrue();
        clientClock.advance(TTL);

        RecordingListener.Told told = listener.next(WAIT);
        assertThat(told.loss().reason()).isEqualTo(LeaseLoss.Reason.SERVER_UNREACHABLE);
        assertThat(told.lease()).isSameAs(lease);
        Thread.sleep(RENEW_AFTER.toMillis());
        assertThat(listener.all()).hasSize(1);
    }

    @Test
    void renewalRefusedByTheNextServer_isALoss_sinceEveryServerKnowsTheSameSeats() throws Exception {
        FakeSeatServer first = startServer();
        FakeSeatServer second = startServer();
        LicenseClient client = client(first.uri(), second.uri());
        Lease lease = client.claim("agent-1");

        first.close();
        seats.evict("agent-1");
        seats.capacity(0);

        RecordingListener.Told told = listener.next(WAIT);
        assertThat(told.loss().reason()).isEqualTo(LeaseLoss.Reason.EXPIRED);
        assertThat(lease.isHeld()).isFalse();
    }

    @Test
    void rotation_triesTheSoonestServerOnly_whenEveryServerBacksOff() {
        long[] now = {0};
        ServerRotation rotation = new ServerRotation(
                List.of(URI.create("http://a"), URI.create("http://b"), URI.create("http://c")), "t", () -> now[0]);
        List<ServerRotation.Server> all = rotation.all();

        assertThat(rotation.candidates()).containsExactly(all.get(0), all.get(1), all.get(2));
        rotation.failed(all.get(0), Duration.ofSeconds(30));
        rotation.succeeded(all.get(1));
        assertThat(rotation.candidates()).containsExactly(all.get(1), all.get(2));
        rotation.failed(all.get(1), Duration.ofSeconds(20));
        rotation.failed(all.get(2), Duration.ofSeconds(10));
        assertThat(rotation.candidates()).containsExactly(all.get(2));
        now[0] = Duration.ofSeconds(21).toNanos();
        assertThat(rotation.candidates()).containsExactly(all.get(1), all.get(2));
        now[0] = Duration.ofSeconds(31).toNanos();
        assertThat(rotation.candidates()).containsExactly(all.get(1), all.get(2), all.get(0));
    }

    @Test
    void backoff_doublesFromHalfASecondUpTo30Seconds_withEqualJitter() {
        assertThat(ServerRotation.backoff(1, 0.999)).isBetween(Duration.ofMillis(499), Duration.ofMillis(500));
        assertThat(ServerRotation.backoff(1, 0)).isEqualTo(Duration.ofMillis(250));
        assertThat(ServerRotation.backoff(3, 0.999)).isBetween(Duration.ofMillis(1990), Duration.ofSeconds(2));
        assertThat(ServerRotation.backoff(40, 0.999)).isBetween(Duration.ofMillis(29_900), Duration.ofSeconds(30));
    }
}
