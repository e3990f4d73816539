package com.anycontact.innolicense.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LicenseClientTest {

    private static final Duration TTL = Duration.ofSeconds(30);
    private static final Duration RENEW_AFTER = Duration.ofSeconds(10);

    private final FakeSeatServer server = FakeSeatServer.start(new FakeSeatServer.Seats(2, TTL, RENEW_AFTER));
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        server.close();
    }

    private LicenseClient client() {
        return client(FakeSeatServer.TOKEN, Duration.ofSeconds(5));
    }

    private LicenseClient client(String token, Duration requestTimeout) {
        LicenseClient client = LicenseClient.builder()
                .server(server.uri())
                .token(token)
                .node("acd-node-1")
                .requestTimeout(requestTimeout)
                .build();
        toClose.add(client);
        return client;
    }

    @Test
    void claim_whenASeatIsFree_returnsAHeldLeaseWithTheServersTimesNodeAndStation() throws Exception {
        Lease lease = client().claim("agent-1", "station-7");

        assertThat(lease.agentId()).isEqualTo("agent-1");
        assertThat(lease.node()).contains("acd-node-1");
        assertThat(lease.station()).contains("station-7");
        assertThat(lease.isHeld()).isTrue();
        assertThat(lease.loss()).isEmpty();
        assertThat(Duration.between(lease.claimedAt(), lease.expiresAt())).isEqualTo(TTL);
        assertThat(server.seats().holds("agent-1")).isTrue();
        assertThat(server.seats().claims()).isEqualTo(1);
    }

    @Test
    void claim_whenTheConnectionClosesWithoutAnAnswer_isSentOnceMore() throws Exception {
        AtomicInteger puts = new AtomicInteger();
        server.script(exchange ->
                exchange.method().equals("PUT") && puts.incrementAndGet() == 1 ? FakeSeatServer.DROP : null);

        Lease lease = client().claim("agent-1");

        assertThat(lease.isHeld()).isTrue();
        assertThat(puts.get()).isEqualTo(2);
        assertThat(server.seats().claims()).isEqualTo(1);
    }

    @Test
    void claim_whenTheConnectionClosesWithoutAnAnswerTwice_failsNamingTheServer() {
        AtomicInteger puts = new AtomicInteger();
        server.script(exchange -> {
            puts.incrementAndGet();
            return FakeSeatServer.DROP;
        });

        assertThatThrownBy(() -> client().claim("agent-1"))
                .isInstanceOf(LicenseServerException.class)
                .hasMessageContaining("could not claim a seat for agent-1");
        assertThat(puts.get()).isEqualTo(2);
    }

    @Test
    void claim_withoutStation_sendsOnlyTheNode() throws Exception {
        Lease lease = client().claim("agent-1");

        assertThat(lease.station()).isEmpty();
        assertThat(lease.node()).contains("acd-node-1");
    }

    @Test
    void claim_ofAnAgentThisClientHolds_renewsAndReturnsTheSameLease() throws Exception {
        LicenseClient client = client();
        Lease first = client.claim("agent-1", "station-7");

        Lease second = client.claim("agent-1", "station-8");

        assertThat(second).isSameAs(first);
        assertThat(second.station()).contains("station-8");
        assertThat(server.seats().claims()).isEqualTo(1);
        assertThat(server.seats().renewals()).isEqualTo(1);
    }

    @Test
    void claim_ofAnAgentIdWithAtAndColon_reachesTheServerAsOneSegment() throws Exception {
        Lease lease = client().claim("team.a@site:7");

        assertThat(lease.agentId()).isEqualTo("team.a@site:7");
        assertThat(server.seats().holds("team.a@site:7")).isTrue();
    }

    @Test
    void claim_whenAllSeatsAreHeld_isDeniedWithCapacityAndInUse() throws Exception {
        LicenseClient client = client();
        client.claim("agent-1");
        client.claim("agent-2");

        SeatDeniedException denied =
                catchThrowableOfType(SeatDeniedException.class, () -> client.claim("agent-3", "station-3"));

        assertThat(denied.agentId()).isEqualTo("agent-3");
        assertThat(denied.capacity()).isEqualTo(2);
        assertThat(denied.inUse()).isEqualTo(2);
        assertThat(denied).hasMessageContaining("all 2 seats are in use");
        assertThat(server.seats().denials()).isEqualTo(1);
    }

    @Test
    void claim_withARevokedToken_failsWith401AndTheProblemType() {
        server.acceptOnly("another-token");

        LicenseServerException failure =
                catchThrowableOfType(LicenseServerException.class, () -> client().claim("agent-1"));

        assertThat(failure.status()).isEqualTo(401);
        assertThat(failure.problemType()).contains("invalid-credentials");
        assertThat(failure.detail()).isEqualTo("the bearer token is unknown or revoked");
    }

    @Test
    void claim_ofAnAgentIdTheServerRefuses_failsWith400InvalidAgentId() {
        LicenseServerException failure =
                catchThrowableOfType(LicenseServerException.class, () -> client().claim("no spaces/or slashes"));

        assertThat(failure.status()).isEqualTo(400);
        assertThat(failure.problemType()).contains("invalid-agent-id");
        assertThat(failure.detail()).contains("'no spaces/or slashes' is not an agent ID");
    }

    @Test
    void claim_whenTheServerAnswersWithoutProblemJson_failsWithTheStatusAndTheBody() {
        server.script(exchange -> new FakeSeatServer.Reply(502, "text/html", "<h1>Bad Gateway</h1>", Map.of()));

        LicenseServerException failure =
                catchThrowableOfType(LicenseServerException.class, () -> client().claim("agent-1"));

        assertThat(failure.status()).isEqualTo(502);
        assertThat(failure.problemType()).isEmpty();
        assertThat(failure.detail()).contains("<h1>Bad Gateway</h1>");
    }

    @Test
    void claim_whenTheServerIsDown_failsWithStatusZero() {
        LicenseClient client = client();
        server.close();

        LicenseServerException failure =
                catchThrowableOfType(LicenseServerException.class, () -> client.claim("agent-1"));

        assertThat(failure.status()).isZero();
        assertThat(failure.detail()).contains("unreachable");
    }

    @Test
    void claim_whenTheServerDoesNotAnswer_givesUpAfterTheRequestTimeout() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        server.script(exchange -> {
            try {
                answer.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        try {
            LicenseClient client = client(FakeSeatServer.TOKEN, Duration.ofMillis(200));

            LicenseServerException failure =
                    catchThrowableOfType(LicenseServerException.class, () -> client.claim("agent-1"));

            assertThat(failure.status()).isZero();
            assertThat(failure.detail()).contains("no answer within the timeout");
        } finally {
            answer.countDown();
        }
    }

    @Test
    void claim_withAnEmptyAgentId_isRefusedBeforeAnyRequest() {
        LicenseClient client = client();

        assertThatThrownBy(() -> client.claim("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.claim(null)).isInstanceOf(NullPointerException.class);
        assertThat(server.requests()).isZero();
    }

    @Test
    void close_ofALease_releasesTheSeatOnceAndTellsNoListener() throws Exception {
        LicenseClient client = client();
        RecordingListener listener = new RecordingListener();
        Lease lease = client.claim("agent-1");
        lease.addListener(listener);

        lease.close();
        lease.close();

        assertThat(lease.isHeld()).isFalse();
        assertThat(lease.loss()).isEmpty();
        assertThat(server.seats().holds("agent-1")).isFalse();
        assertThat(server.seats().releases()).isEqualTo(1);
        assertThat(server.requests()).isEqualTo(2);
        client.close();
        assertThat(listener.all()).isEmpty();
    }

    @Test
    void close_ofALeaseTheServerNoLongerHolds_isQuiet() throws Exception {
        Lease lease = client().claim("agent-1");
        server.seats().evict("agent-1");

        lease.close();

        assertThat(lease.isHeld()).isFalse();
    }

    @Test
    void close_ofALease_letsTheAgentClaimAgainAsANewLease() throws Exception {
        LicenseClient client = client();
        Lease first = client.claim("agent-1");
        first.close();

        Lease second = client.claim("agent-1");

        assertThat(second).isNotSameAs(first);
        assertThat(second.isHeld()).isTrue();
        assertThat(server.seats().claims()).isEqualTo(2);
    }

    @Test
    void close_ofTheClient_releasesEveryHeldSeatAndRefusesFurtherClaims() throws Exception {
        server.seats().capacity(10);
        LicenseClient client = client();
        List<Lease> leases = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            leases.add(client.claim("agent-" + i));
        }
        leases.get(0).close();

        client.close();
        client.close();

        assertThat(server.seats().inUse()).isZero();
        assertThat(server.seats().releases()).isEqualTo(5);
        assertThat(leases).noneMatch(Lease::isHeld);
        assertThatThrownBy(() -> client.claim("agent-9"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void close_ofTheClient_stopsTheThreadsItStarted() throws Exception {
        Set<String> before = clientThreads();
        LicenseClient client = client();
        client.claim("agent-1");
        client.claim("agent-2").close();
        assertThat(clientThreads()).isNotEqualTo(before);

        client.close();

        Await.until("the client's threads end", Duration.ofSeconds(30), () -> before.containsAll(clientThreads()));
    }

    static Set<String> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("innolicense-client-"))
                .collect(Collectors.toSet());
    }
}
