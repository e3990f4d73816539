package com.anycontact.innolicense.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Leases renewing in the background against the fake seat server with a short TTL (300 ms, renew every
 * 100 ms). The client's timers run on real time; the server's expiries and the client's judgement of its
 * deadline run on fake clocks that stand still unless a test moves them, so that a busy machine delays these
 * tests but cannot make a lease lapse. Each test waits for what it expects with a deadline.
 */
class LeaseRenewalTest {

    private static final Duration TTL = Duration.ofMillis(300);
    private static final Duration RENEW_AFTER = Duration.ofMillis(100);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FakeClock serverClock = new FakeClock(Instant.parse("2026-03-02T08:00:00Z"));
    private final FakeClock clientClock = new FakeClock(Instant.parse("2026-03-02T07:59:58Z"));
    private FakeSeatServer server = FakeSeatServer.start(seats());
    private final RecordingListener listener = new RecordingListener();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        server.close();
    }

    private FakeSeatServer.Seats seats() {
        return new FakeSeatServer.Seats(2, TTL, RENEW_AFTER, serverClock);
    }

    private LicenseClient client() {
        return client(LicenseClient.builder().listener(listener));
    }

    private LicenseClient client(LicenseClient.Builder builder) {
        LicenseClient client = builder.server(server.uri())
                .token(FakeSeatServer.TOKEN)
                .node("acd-node-1")
                .clock(clientClock)
                .build();
        toClose.add(client);
        return client;
    }

    @Test
    void renewals_keepALeaseAliveOverManyTtls() throws Exception {
        Lease lease = client().claim("agent-1");
        Instant claimedAt = lease.claimedAt();

        for (int step = 0; step < 8; step++) {
            serverClock.advance(Duration.ofMillis(200));
            clientClock.advance(Duration.ofMillis(200));
            Instant expiry = serverClock.instant().plus(TTL);
            Await.until(
                    "a renewal at " + serverClock.instant(),
                    WAIT,
                    () -> !lease.expiresAt().isBefore(expiry));
        }

        assertThat(Duration.between(claimedAt, serverClock.instant())).isGreaterThan(TTL.multipliedBy(5));
        assertThat(server.seats().claims()).as("claims: the lease never lapsed").isEqualTo(1);
        assertThat(server.seats().renewals()).isGreaterThanOrEqualTo(8);
        assertThat(lease.claimedAt()).isEqualTo(claimedAt);
        assertThat(lease.isHeld()).isTrue();
        assertThat(listener.all()).isEmpty();
    }

    @Test
    void renewal_refusedAsCapacityReduced_tellsTheListenersOnTheListenerThread() throws Exception {
        LicenseClient client = client();
        Lease earlier = client.claim("agent-1");
        Lease later = client.claim("agent-2");
        RecordingListener own = new RecordingListener();
        later.addListener(own);

        server.seats().capacity(1);

        RecordingListener.Told told = listener.next(WAIT);
        assertThat(told.lease()).isSameAs(later);
        assertThat(told.loss().reason()).isEqualTo(LeaseLoss.Reason.CAPACITY_REDUCED);
        assertThat(told.loss().detail()).contains("capacity dropped to 1");
        assertThat(told.thread()).startsWith("innolicense-client-").contains("-listener-");
        assertThat(own.next(WAIT).loss().reason()).isEqualTo(LeaseLoss.Reason.CAPACITY_REDUCED);
        assertThat(later.isHeld()).isFalse();
        assertThat(later.loss()).contains(told.loss());
        assertThat(earlier.isHeld()).isTrue();
    }

    @Test
    void renewal_answeredNotFound_isReportedAsReleased() throws Exception {
        Lease lease = client().claim("agent-1");
        server.script(exchange -> exchange.method().equals("PUT")
                ? FakeSeatServer.problem(404, "lease-not-held", "agent agent-1 holds no seat", Map.of())
                : null);

        RecordingListener.Told told = listener.next(WAIT);

        assertThat(told.loss()).isEqualTo(new LeaseLoss(LeaseLoss.Reason.RELEASED, "agent agent-1 holds no seat"));
        assertThat(lease.isHeld()).isFalse();
    }

    @Test
    void renewal_answeredReleasedByAdministrator_isReportedAsSuch_withTheServersDetail() throws Exception {
        Lease lease = client().claim("agent-1");
        String detail = "the seat of agent agent-1 was released by the administrator admin at"
                + " 2026-03-02T08:00:01Z (PC hung)";
        server.script(exchange -> exchange.method().equals("PUT")
                ? FakeSeatServer.problem(409, "released-by-administrator", detail, Map.of())
                : null);

        RecordingListener.Told told = listener.next(WAIT);

        assertThat(told.loss()).isEqualTo(new LeaseLoss(LeaseLoss.Reason.RELEASED_BY_ADMINISTRATOR, detail));
        assertThat(lease.isHeld()).isFalse();
    }

    @Test
    void renewal_answeredAgentBlocked_isReportedAsReleasedByAnAdministrator() throws Exception {
        Lease lease = client().claim("agent-1");
        server.script(exchange -> exchange.method().equals("PUT")
                ? FakeSeatServer.problem(409, "agent-blocked", "blocked until 2026-03-02T08:05:00Z", Map.of())
                : null);

        RecordingListener.Told told = listener.next(WAIT);

        assertThat(told.loss().reason()).isEqualTo(LeaseLoss.Reason.RELEASED_BY_ADMINISTRATOR);
        assertThat(lease.isHeld()).isFalse();
    }

    @Test
    void renewal_afterTheServerDroppedTheLeaseAndNoSeatIsFree_isReportedAsExpired() throws Exception {
        server.seats().capacity(1);
        Lease lease = client().claim("agent-1");
        server.seats().evict("agent-1");
        client(LicenseClient.builder()).claim("agent-2");

        RecordingListener.Told told = listener.next(WAIT);

        assertThat(told.loss().reason()).isEqualTo(LeaseLoss.Reason.EXPIRED);
        assertThat(told.loss().detail()).contains("no seat was free");
        assertThat(lease.isHeld()).isFalse();
    }

    @Test
    void renewal_afterTheServerDroppedTheLeaseWithASeatFree_claimsAfreshAndKeepsTheLease() throws Exception {
        Lease lease = client().claim("agent-1");
        Instant claimedAt = lease.claimedAt();
        serverClock.advance(RENEW_AFTER);
        server.seats().evict("agent-1");

        Await.until("the lease is claimed afresh", WAIT, () -> server.seats().claims() == 2);
        Await.until(
                "the lease learns its new claim", WAIT, () -> lease.claimedAt().isAfter(claimedAt));

        assertThat(lease.isHeld()).isTrue();
        assertThat(listener.all()).isEmpty();
    }

    @Test
    void abandon_stopsRenewingWithoutReleasing_soTheServerLetsTheSeatLapse() throws Exception {
        LicenseClient client = client();
        Lease abandoned = client.claim("agent-1");
        Lease kept = client.claim("agent-2");

        abandoned.abandon();
        abandoned.abandon();
        for (int step = 0; step < 4; step++) {
            serverClock.advance(Duration.ofMillis(200));
            clientClock.advance(Duration.ofMillis(200));
            Instant expiry = serverClock.instant().plus(TTL);
            Await.until(
                    "a renewal of agent-2 at " + serverClock.instant(),
                    WAIT,
                    () -> !kept.expiresAt().isBefore(expiry));
        }

        assertThat(server.seats().holds("agent-1"))
                .as("agent-1 renewed after abandon")
                .isFalse();
        assertThat(server.seats().holds("agent-2")).isTrue();
        assertThat(abandoned.isHeld()).isFalse();
        assertThat(abandoned.loss()).isEmpty();
        client.close();
        assertThat(server.seats().releases()).as("releases: agent-2 only").isEqualTo(1);
        assertThat(listener.all()).isEmpty();
    }

    @Test
    void renewal_withARevokedToken_isReportedAsUnauthorized() throws Exception {
        Lease lease = client().claim("agent-1");
        server.acceptOnly("the-new-token");

        RecordingListener.Told told = listener.next(WAIT);

        assertThat(told.loss().reason()).isEqualTo(LeaseLoss.Reason.UNAUTHORIZED);
        assertThat(lease.isHeld()).isFalse();
    }

    @Test
    void renewal_failingTransiently_isRetriedAndTheLeaseSurvives() throws Exception {
        Lease lease = client().claim("agent-1");
        AtomicInteger failures = new AtomicInteger();
        server.script(exchange -> {
            if (!exchange.method().equals("PUT") || failures.get() >= 4) {
                return null;
            }
            return failures.incrementAndGet() % 2 == 0
                    ? FakeSeatServer.problem(503, "unavailable", "restarting", Map.of())
                    : new FakeSeatServer.Reply(429, null, "", Map.of("Retry-After", "0"));
        });

        Await.until(
                "two renewals after four failures", WAIT, () -> server.seats().renewals() >= 2);

        assertThat(failures).hasValue(4);
        assertThat(server.seats().claims()).isEqualTo(1);
        assertThat(lease.isHeld()).isTrue();
        assertThat(listener.all()).isEmpty();
    }

    @Test
    void serverGonePastExpiry_isReportedAsServerUnreachableExactlyOnce() throws Exception {
        LicenseClient client = client();
        Lease lease = client.claim("agent-1");
        RecordingListener own = new RecordingListener();
        lease.addListener(own);
        server.script(exchange -> FakeSeatServer.problem(503, "unavailable", "down for maintenance", Map.of()));
        int before = server.requests();
        Await.until("three failed renewals", WAIT, () -> server.requests() >= before + 3);
        assertThat(lease.isHeld()).as("held while time is left").isTrue();
        server.close();

        clientClock.advance(TTL);

        RecordingListener.Told told = listener.next(WAIT);
        assertThat(told.loss().reason()).isEqualTo(LeaseLoss.Reason.SERVER_UNREACHABLE);
        assertThat(told.loss().detail()).contains("no renewal reached the server");
        assertThat(lease.isHeld()).isFalse();
        client.close();
        assertThat(listener.all()).hasSize(1);
        assertThat(own.all()).hasSize(1);
    }

    @Test
    void serverRestartedEmpty_theLeaseIsClaimedAgainOnTheNewServer() throws Exception {
        Lease lease = client().claim("agent-1");
        Instant claimedAt = lease.claimedAt();
        int port = server.port();
        server.close();
        serverClock.advance(RENEW_AFTER);

        server = FakeSeatServer.start(port, seats());

        Await.until("the new server holds the lease", WAIT, () -> server.seats().holds("agent-1"));
        Await.until(
                "the lease learns its new claim", WAIT, () -> lease.claimedAt().isAfter(claimedAt));
        Await.until("renewals go on", WAIT, () -> server.seats().renewals() >= 2);
        assertThat(lease.isHeld()).isTrue();
        assertThat(listener.all()).isEmpty();
    }

    @Test
    void serverRestartedWithItsLeases_renewalsGoOnWithoutANewClaim() throws Exception {
        FakeSeatServer.Seats durable = server.seats();
        Lease lease = client().claim("agent-1");
        int port = server.port();
        server.close();
        int renewalsBefore = durable.renewals();

        server = FakeSeatServer.start(port, durable);

        Await.until("renewals go on", WAIT, () -> durable.renewals() >= renewalsBefore + 2);
        assertThat(durable.claims()).isEqualTo(1);
        assertThat(lease.isHeld()).isTrue();
        assertThat(listener.all()).isEmpty();
    }

    @Test
    void aListenerThatThrows_doesNotKeepTheOthersFromBeingTold() throws Exception {
        LicenseClient client = client(LicenseClient.builder().listener((lease, loss) -> {
            throw new IllegalStateException("a broken listener");
        }));
        Lease lease = client.claim("agent-1");
        RecordingListener own = new RecordingListener();
        lease.addListener(own);

        server.seats().evict("agent-1");
        server.script(exchange -> FakeSeatServer.problem(404, "lease-not-held", "gone", Map.of()));

        assertThat(own.next(WAIT).loss().reason()).isEqualTo(LeaseLoss.Reason.RELEASED);
    }

    @Test
    void addListener_afterTheLoss_isToldAtOnce() throws Exception {
        Lease lease = client().claim("agent-1");
        server.acceptOnly("the-new-token");
        listener.next(WAIT);

        RecordingListener late = new RecordingListener();
        lease.addListener(late);

        assertThat(late.next(WAIT).loss().reason()).isEqualTo(LeaseLoss.Reason.UNAUTHORIZED);
    }

    @Test
    void aListener_mayClaimAgainFromItsCallback() throws Exception {
        AtomicReference<Lease> reclaimed = new AtomicReference<>();
        AtomicReference<LicenseClient> self = new AtomicReference<>();
        LicenseClient client = client(LicenseClient.builder().listener((lost, loss) -> {
            try {
                reclaimed.set(self.get().claim(lost.agentId()));
            } catch (SeatDeniedException e) {
                throw new AssertionError(e);
            }
        }));
        self.set(client);
        Lease lease = client.claim("agent-1");
        AtomicInteger answered = new AtomicInteger();
        server.script(exchange -> exchange.method().equals("PUT") && answered.getAndIncrement() == 0
                ? FakeSeatServer.problem(404, "lease-not-held", "gone", Map.of())
                : null);

        Await.until("the listener claimed again", WAIT, () -> reclaimed.get() != null);

        assertThat(lease.isHeld()).isFalse();
        assertThat(reclaimed.get()).isNotSameAs(lease);
        assertThat(reclaimed.get().isHeld()).isTrue();
    }
}
