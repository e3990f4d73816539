package com.anycontact.innolicense.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.ClaimResult.CapacityReduced;
import com.anycontact.innolicense.seat.ClaimResult.Claimed;
import com.anycontact.innolicense.seat.ClaimResult.Denied;
import com.anycontact.innolicense.seat.ClaimResult.Renewed;
import com.anycontact.innolicense.seat.Denial;
import com.anycontact.innolicense.seat.Lease;
import com.anycontact.innolicense.seat.SeatStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SeatStore} must do. A store's test extends this class and says how to open a
 * fresh store and how to reopen it over the same data, as after a restart of the server.
 *
 * <p>All instants here are whole milliseconds, the precision every store keeps.
 */
public abstract class SeatStoreContract {

    /** The instant the tests start at. */
    protected static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    /** The lease TTL the tests claim with. */
    protected static final Duration TTL = Duration.ofSeconds(60);

    /** The store under test, fresh for each test. */
    protected SeatStore store;

    /** A new, empty store; called before each test. */
    protected abstract SeatStore createStore() throws Exception;

    /**
     * Closes everything the current store opened and opens a new store over the same data, as a
     * restarted server would.
     */
    protected abstract SeatStore reopenStore() throws Exception;

    @BeforeEach
    final void openFreshStore() throws Exception {
        store = createStore();
    }

    @Test
    void claim_whenSeatFree_isClaimedUntilNowPlusTtl() {
        ClaimResult result = store.claim(request("alice", "acd-1", "desk 7"), 2, T0, TTL);

        Lease lease = assertClaimed(result);
        assertThat(lease.agent()).isEqualTo(agent("alice"));
        assertThat(lease.node()).isEqualTo("acd-1");
        assertThat(lease.station()).isEqualTo("desk 7");
        assertThat(lease.claimedAt()).isEqualTo(T0);
        assertThat(lease.renewedAt()).isEqualTo(T0);
        assertThat(lease.expiresAt()).isEqualTo(T0.plus(TTL));
        assertThat(store.leases(T0)).containsExactly(lease);
        assertThat(store.inUse(T0)).isEqualTo(1);
    }

    @Test
    void claim_whenAgentHoldsLease_isRenewedFromAnyNodeWithNewExpiry() {
        Lease first = assertClaimed(store.claim(request("alice", "acd-1", "desk 7"), 1, T0, TTL));
        Instant later = T0.plusSeconds(20);

        ClaimResult result = store.claim(request("alice", "acd-2", null), 1, later, TTL);

        assertThat(result).isInstanceOf(Renewed.class);
        Lease renewed = ((Renewed) result).lease();
        assertThat(renewed.claimedAt()).isEqualTo(T0);
        assertThat(renewed.renewedAt()).isEqualTo(later);
        assertThat(renewed.expiresAt()).isEqualTo(later.plus(TTL));
        assertThat(renewed.claimSequence()).isEqualTo(first.claimSequence());
        assertThat(renewed.node()).isEqualTo("acd-2");
        assertThat(renewed.station()).isEqualTo("desk 7");
        assertThat(store.leases(later)).containsExactly(renewed);
        assertThat(store.inUse(later)).isEqualTo(1);
    }

    /**
     * A renewal given an instant before the lease's last renewal (in a cluster: a call held up in the network and
     * delivered after the agent renewed through another node) renews it without dating it back or shortening it:
     * the agent was told its lease lasts until the later expiry, and another node may be counting on that.
     */
    @Test
    void claim_whenItsInstantIsBeforeTheLastRenewal_neverShortensTheLease() {
        assertClaimed(store.claim(request("alice", "acd-1", null), 1, T0, TTL));
        Instant renewedAt = T0.plusSeconds(20);
        Lease renewed = ((Renewed) store.claim(request("alice"), 1, renewedAt, TTL)).lease();

        ClaimResult late = store.claim(request("alice", "acd-2", null), 1, T0.plusSeconds(5), TTL);

        assertThat(late).isInstanceOf(Renewed.class);
        Lease after = ((Renewed) late).lease();
        assertThat(after.renewedAt()).isEqualTo(renewedAt);
        assertThat(after.expiresAt()).isEqualTo(renewed.expiresAt());
        assertThat(store.leases(renewedAt.plus(TTL).minusMillis(1)))
                .extracting(Lease::expiresAt)
                .containsExactly(renewedAt.plus(TTL));
        assertThat(store.inUse(renewedAt.plus(TTL).minusMillis(1))).isEqualTo(1);
    }

    @Test
    void claim_whenAgentHoldsLease_isRenewedEvenWithAllSeatsHeld() {
        store.claim(request("alice"), 2, T0, TTL);
        store.claim(request("bob"), 2, T0, TTL);

        assertThat(store.claim(request("alice"), 2, T0.plusSeconds(1), TTL)).isInstanceOf(Renewed.class);
        assertThat(store.denials()).isZero();
    }

    @Test
    void claim_whenAllSeatsHeld_isDeniedAndTheDenialRecorded() {
        store.claim(request("alice"), 2, T0, TTL);
        store.claim(request("bob"), 2, T0, TTL);
        Instant later = T0.plusSeconds(5);

        ClaimResult result = store.claim(request("carol"), 2, later, TTL);

        assertThat(result).isEqualTo(new Denied(2, 2));
        assertThat(store.inUse(later)).isEqualTo(2);
        assertThat(store.leases(later)).extracting(Lease::agent).containsExactly(agent("alice"), agent("bob"));
        assertThat(store.denials()).isEqualTo(1);
        assertThat(store.recentDenials(10)).containsExactly(new Denial(agent("carol"), later, 2, 2));
    }

    @Test
    void claim_whenCapacityIsZero_isDenied() {
        assertThat(store.claim(request("alice"), 0, T0, TTL)).isEqualTo(new Denied(0, 0));
        assertThat(store.inUse(T0)).isZero();
    }

    @Test
    void claim_whenLeaseExpiredButNotReaped_takesTheFreedSeat() {
        store.claim(request("alice"), 1, T0, TTL);
        Instant expiry = T0.plus(TTL);

        assertThat(store.inUse(expiry.minusMillis(1))).isEqualTo(1);
        assertThat(store.inUse(expiry)).isZero();
        assertThat(store.leases(expiry)).isEmpty();
        assertThat(assertClaimed(store.claim(request("bob"), 1, expiry, TTL)).agent())
                .isEqualTo(agent("bob"));
        assertThat(store.leases(expiry)).extracting(Lease::agent).containsExactly(agent("bob"));
    }

    @Test
    void claim_bySameAgentAfterItsLeaseExpired_isANewClaimRankedLast() {
        Lease first = assertClaimed(store.claim(request("alice", "acd-1", "desk 7"), 3, T0, TTL));
        Lease bob = assertClaimed(store.claim(request("bob"), 3, T0.plusSeconds(30), TTL));
        Instant afterExpiry = T0.plus(TTL).plusSeconds(1);

        Lease again = assertClaimed(store.claim(request("alice"), 3, afterExpiry, TTL));

        assertThat(again.claimedAt()).isEqualTo(afterExpiry);
        assertThat(again.node()).isNull();
        assertThat(again.station()).isNull();
        assertThat(again.claimSequence()).isGreaterThan(bob.claimSequence()).isGreaterThan(first.claimSequence());
        assertThat(store.leases(afterExpiry)).containsExactly(bob, again);
    }

    @Test
    void reap_removesOnlyExpiredLeases() {
        Lease alice = assertClaimed(store.claim(request("alice"), 3, T0, TTL));
        Lease bob = assertClaimed(store.claim(request("bob"), 3, T0.plusSeconds(30), TTL));
        Instant aliceExpiry = T0.plus(TTL);

        assertThat(store.reap(aliceExpiry.minusMillis(1))).isEmpty();
        assertThat(store.reap(aliceExpiry)).containsExactly(alice);
        assertThat(store.reap(aliceExpiry)).isEmpty();
        assertThat(store.leases(aliceExpiry)).containsExactly(bob);
        assertThat(store.leases(T0)).containsExactly(bob);
        assertThat(store.inUse(aliceExpiry)).isEqualTo(1);
    }

    @Test
    void reap_returnsLeasesEarliestClaimedFirst() {
        List<Lease> claimed = new ArrayList<>();
        for (String name : List.of("zoe", "adam", "mia", "bob")) {
            claimed.add(assertClaimed(store.claim(request(name), 10, T0, TTL)));
        }

        assertThat(store.reap(T0.plus(TTL))).containsExactlyElementsOf(claimed);
        assertThat(store.inUse(T0)).isZero();
    }

    @Test
    void release_whenHeld_isTrueAndFreesTheSeat() {
        store.claim(request("alice"), 1, T0, TTL);

        assertThat(store.release(agent("alice"), T0.plusSeconds(1))).isTrue();

        assertThat(store.inUse(T0.plusSeconds(1))).isZero();
        assertThat(store.claim(request("bob"), 1, T0.plusSeconds(2), TTL)).isInstanceOf(Claimed.class);
    }

    @Test
    void claimed_andReleaseCounted_tellTheSeatsInUse() throws Exception {
        assertThat(((Claimed) store.claim(request("alice"), 3, T0, TTL)).inUse())
                .isEqualTo(1);
        assertThat(((Claimed) store.claimAsync(request("bob"), 3, T0.plusSeconds(1), TTL)
                                .get(30, TimeUnit.SECONDS))
                        .inUse())
                .isEqualTo(2);
        store.claim(request("bob"), 3, T0.plusSeconds(2), TTL);
        assertThat(((Claimed) store.claim(request("carol"), 3, T0.plusSeconds(3), TTL)).inUse())
                .as("a renewal adds no seat")
                .isEqualTo(3);

        assertThat(store.releaseCountedAsync(agent("bob"), T0.plusSeconds(4)).get(30, TimeUnit.SECONDS))
                .isEqualTo(OptionalInt.of(2));
        assertThat(store.releaseCountedAsync(agent("bob"), T0.plusSeconds(5)).get(30, TimeUnit.SECONDS))
                .isEqualTo(OptionalInt.empty());
        assertThat(((Claimed) store.claim(request("dave"), 3, T0.plus(TTL).plusSeconds(1), TTL)).inUse())
                .as("alice's lease expired, not yet reaped; carol's is live")
                .isEqualTo(2);
    }

    @Test
    void release_whenNotHeld_isFalse() {
        assertThat(store.release(agent("alice"), T0)).isFalse();

        store.claim(request("alice"), 1, T0, TTL);
        store.release(agent("alice"), T0);

        assertThat(store.release(agent("alice"), T0)).isFalse();
    }

    @Test
    void release_whenLeaseExpired_isFalse() {
        store.claim(request("alice"), 1, T0, TTL);

        assertThat(store.release(agent("alice"), T0.plus(TTL))).isFalse();
        assertThat(store.reap(T0.plus(TTL))).extracting(Lease::agent).containsExactly(agent("alice"));
    }

    @Test
    void renew_whenCapacityDrops_keepsTheEarliestClaimedAndReleasesTheRest() {
        for (String name : List.of("a1", "a2", "a3", "a4", "a5")) {
            assertClaimed(store.claim(request(name), 5, T0, TTL));
        }
        Instant later = T0.plusSeconds(20);

        assertThat(store.claim(request("a5"), 2, later, TTL)).isEqualTo(new CapacityReduced(2, 4));
        assertThat(store.claim(request("a2"), 2, later, TTL)).isInstanceOf(Renewed.class);
        assertThat(store.claim(request("a3"), 2, later, TTL)).isEqualTo(new CapacityReduced(2, 3));
        assertThat(store.claim(request("a1"), 2, later, TTL)).isInstanceOf(Renewed.class);
        assertThat(store.claim(request("a4"), 2, later, TTL)).isEqualTo(new CapacityReduced(2, 2));

        assertThat(store.leases(later)).extracting(Lease::agent).containsExactly(agent("a1"), agent("a2"));
        assertThat(store.release(agent("a3"), later)).isFalse();
        assertThat(store.denials()).isZero();
    }

    @Test
    void claim_whileInUseAtOrAboveReducedCapacity_isDenied() {
        for (String name : List.of("a1", "a2", "a3", "a4", "a5")) {
            store.claim(request(name), 5, T0, TTL);
        }
        Instant later = T0.plusSeconds(20);

        assertThat(store.claim(request("newcomer"), 2, later, TTL)).isEqualTo(new Denied(2, 5));
        store.claim(request("a5"), 2, later, TTL);
        store.claim(request("a4"), 2, later, TTL);
        store.claim(request("a3"), 2, later, TTL);
        assertThat(store.claim(request("newcomer"), 2, later, TTL)).isEqualTo(new Denied(2, 2));
        assertThat(store.denials()).isEqualTo(2);
    }

    @Test
    void renew_afterEarlierLeasesExpired_ranksAmongLiveLeasesOnly() {
        store.claim(request("a1"), 3, T0, TTL);
        store.claim(request("a2"), 3, T0.plusSeconds(30), TTL);
        store.claim(request("a3"), 3, T0.plusSeconds(30), TTL);
        Instant afterA1Expired = T0.plus(TTL);

        assertThat(store.claim(request("a3"), 1, afterA1Expired, TTL)).isEqualTo(new CapacityReduced(1, 1));
        assertThat(store.claim(request("a2"), 1, afterA1Expired, TTL)).isInstanceOf(Renewed.class);
    }

    @Test
    void claim_afterCapacityRestored_succeedsAgain() {
        for (String name : List.of("a1", "a2", "a3", "a4", "a5")) {
            store.claim(request(name), 5, T0, TTL);
        }
        Instant reduced = T0.plusSeconds(20);
        for (String name : List.of("a1", "a2", "a3", "a4", "a5")) {
            store.claim(request(name), 2, reduced, TTL);
        }
        Instant restored = T0.plusSeconds(25);

        for (String name : List.of("a3", "a4", "a5")) {
            assertThat(store.claim(request(name), 5, restored, TTL)).isInstanceOf(Claimed.class);
        }
        assertThat(store.claim(request("a1"), 5, restored, TTL)).isInstanceOf(Renewed.class);
        assertThat(store.claim(request("a6"), 5, restored, TTL)).isEqualTo(new Denied(5, 5));
        assertThat(store.leases(restored))
                .extracting(Lease::agent)
                .containsExactly(agent("a1"), agent("a2"), agent("a3"), agent("a4"), agent("a5"));
    }

    @Test
    void leases_areOrderedByClaimSequenceWhateverTheRenewals() {
        Lease carol = assertClaimed(store.claim(request("carol"), 5, T0, TTL));
        Lease alice = assertClaimed(store.claim(request("alice"), 5, T0.plusSeconds(1), TTL));
        Lease bob = assertClaimed(store.claim(request("bob"), 5, T0.plusSeconds(2), TTL));
        Instant later = T0.plusSeconds(10);
        store.claim(request("carol"), 5, later, TTL);
        store.claim(request("bob"), 5, later, TTL);

        assertThat(carol.claimSequence()).isLessThan(alice.claimSequence());
        assertThat(alice.claimSequence()).isLessThan(bob.claimSequence());
        assertThat(store.leases(later))
                .extracting(Lease::agent)
                .containsExactly(agent("carol"), agent("alice"), agent("bob"));
    }

    @Test
    void claimSequence_isNeverReusedAfterARelease() {
        store.claim(request("alice"), 5, T0, TTL);
        Lease bob = assertClaimed(store.claim(request("bob"), 5, T0, TTL));
        store.release(agent("bob"), T0);

        Lease carol = assertClaimed(store.claim(request("carol"), 5, T0, TTL));

        assertThat(carol.claimSequence()).isGreaterThan(bob.claimSequence());
    }

    @Test
    void recentDenials_areNewestFirstAndLimited() {
        store.claim(request("alice"), 1, T0, TTL);
        for (int i = 1; i <= 5; i++) {
            store.claim(request("agent-" + i), 1, T0.plusSeconds(i), TTL);
        }

        assertThat(store.denials()).isEqualTo(5);
        assertThat(store.recentDenials(2))
                .containsExactly(
                        new Denial(agent("agent-5"), T0.plusSeconds(5), 1, 1),
                        new Denial(agent("agent-4"), T0.plusSeconds(4), 1, 1));
        assertThat(store.recentDenials(0)).isEmpty();
    }

    @Test
    void reopenedStore_stillHasLeasesWithTheirExpiriesAndDenials() throws Exception {
        store.claim(request("alice", "acd-1", "desk 7"), 2, T0, TTL);
        store.claim(request("bob"), 2, T0.plusSeconds(1), TTL);
        store.claim(request("alice"), 2, T0.plusSeconds(15), TTL);
        store.claim(request("carol"), 2, T0.plusSeconds(16), TTL);
        List<Lease> before = store.leases(T0.plusSeconds(16));

        store = reopenStore();

        assertThat(store.leases(T0.plusSeconds(16))).containsExactlyElementsOf(before);
        assertThat(store.leases(T0.plusSeconds(16)).getFirst().expiresAt()).isEqualTo(T0.plusSeconds(75));
        assertThat(store.denials()).isEqualTo(1);
        assertThat(store.recentDenials(5)).containsExactly(new Denial(agent("carol"), T0.plusSeconds(16), 2, 2));
        Lease dave = assertClaimed(store.claim(request("dave"), 3, T0.plusSeconds(17), TTL));
        assertThat(dave.claimSequence()).isGreaterThan(before.getLast().claimSequence());
    }

    @Test
    void claimAsyncAndReleaseAsync_decideAsClaimAndReleaseDo() throws Exception {
        assertClaimed(store.claimAsync(request("alice"), 1, T0, TTL).get(30, TimeUnit.SECONDS));
        assertThat(store.claimAsync(request("bob"), 1, T0.plusSeconds(1), TTL).get(30, TimeUnit.SECONDS))
                .isEqualTo(new Denied(1, 1));
        ClaimResult renewed = store.claimAsync(request("alice", "acd-2", null), 1, T0.plusSeconds(2), TTL)
                .get(30, TimeUnit.SECONDS);
        assertThat(renewed).isInstanceOf(Renewed.class);
        assertThat(((Renewed) renewed).lease().node()).isEqualTo("acd-2");
        assertThat(store.releaseAsync(agent("alice"), T0.plusSeconds(3)).get(30, TimeUnit.SECONDS))
                .isTrue();
        assertThat(store.releaseAsync(agent("alice"), T0.plusSeconds(4)).get(30, TimeUnit.SECONDS))
                .isFalse();
        Lease bob = assertClaimed(
                store.claimAsync(request("bob"), 1, T0.plusSeconds(5), TTL).get(30, TimeUnit.SECONDS));

        store = reopenStore();

        assertThat(store.leases(T0.plusSeconds(5))).containsExactly(bob);
        assertThat(store.denials()).isEqualTo(1);
    }

    @Test
    void claimAsync_withNegativeCapacityOrNoTtl_isRejected() {
        assertThatThrownBy(() -> store.claimAsync(request("alice"), -1, T0, TTL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.claimAsync(request("alice"), 1, T0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.inUse(T0)).isZero();
    }

    @Test
    void claim_withNegativeCapacityOrNoTtl_isRejected() {
        assertThatThrownBy(() -> store.claim(request("alice"), -1, T0, TTL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.claim(request("alice"), 1, T0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.inUse(T0)).isZero();
    }

    /**
     * The start-gated race: 64 threads claim and release one agent each against 10 seats for
     * about three seconds, while an observer keeps checking that no more than 10 leases are live.
     */
    @Test
    void concurrentClaimsAndReleases_neverHoldMoreLeasesThanCapacity() throws Exception {
        race(false);
    }

    /** The same race through {@link SeatStore#claimAsync} and {@link SeatStore#releaseAsync}. */
    @Test
    void concurrentAsyncClaimsAndReleases_neverHoldMoreLeasesThanCapacity() throws Exception {
        race(true);
    }

    /** How many grants per seat a race must see to have raced at all. */
    private static final long MIN_RACE_GRANTS_PER_SEAT = 10;

    /** When a race ends even if it has not granted that many: a store that slow fails the test. */
    private static final long LATEST_RACE_END_NANOS = TimeUnit.SECONDS.toNanos(60);

    private void race(boolean async) throws Exception {
        int threads = 64;
        int capacity = 10;
        long runNanos = TimeUnit.SECONDS.toNanos(3);
        int maxRoundsPerThread = 1_000_000;
        Duration ttl = Duration.ofMinutes(10);

        CountDownLatch ready = new CountDownLatch(threads + 1);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger holding = new AtomicInteger();
        LongAdder claimed = new LongAdder();
        LongAdder denied = new LongAdder();
        LongAdder observations = new LongAdder();
        LongAccumulator maxHolding = new LongAccumulator(Math::max, 0);
        LongAccumulator maxInUse = new LongAccumulator(Math::max, 0);
        LongAccumulator maxListed = new LongAccumulator(Math::max, 0);
        AtomicLong violations = new AtomicLong();
        List<String> violationSamples = Collections.synchronizedList(new ArrayList<>());

        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ClaimRequest request = request("racer-" + t);
                workers.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    long deadline = System.nanoTime() + runNanos;
                    long latest = System.nanoTime() + LATEST_RACE_END_NANOS;
                    // at least 3 s, and on a crowded machine on until the race has granted enough claims to mean
                    // something (a count of work done, not a speed): at most a minute
                    for (int round = 0;
                            round < maxRoundsPerThread
                                    && (System.nanoTime() < deadline
                                            || claimed.sum() < MIN_RACE_GRANTS_PER_SEAT * capacity)
                                    && System.nanoTime() < latest;
                            round++) {
                        ClaimResult result = async
                                ? store.claimAsync(request, capacity, Instant.now(), ttl)
                                        .join()
                                : store.claim(request, capacity, Instant.now(), ttl);
                        switch (result) {
                            case Claimed c -> {
                                claimed.increment();
                                int nowHolding = holding.incrementAndGet();
                                maxHolding.accumulate(nowHolding);
                                if (nowHolding > capacity) {
                                    violation(violations, violationSamples, nowHolding + " threads hold seats");
                                }
                                boolean listed = store.leases(Instant.now()).stream()
                                        .anyMatch(lease -> lease.agent().equals(request.agent())
                                                && lease.claimSequence()
                                                        == c.lease().claimSequence());
                                if (!listed) {
                                    violation(violations, violationSamples, request.agent() + " claimed, not listed");
                                }
                                holding.decrementAndGet();
                                boolean released = async
                                        ? store.releaseAsync(request.agent(), Instant.now())
                                                .join()
                                        : store.release(request.agent(), Instant.now());
                                if (!released) {
                                    violation(violations, violationSamples, request.agent() + " claimed, not held");
                                }
                            }
                            case Denied d -> {
                                denied.increment();
                                if (d.inUse() < capacity) {
                                    violation(violations, violationSamples, "denied with " + d.inUse() + " in use");
                                }
                            }
                            case Renewed r -> violation(violations, violationSamples, "renewed a released lease");
                            case CapacityReduced r -> violation(violations, violationSamples, "capacity reduced");
                        }
                    }
                    return null;
                }));
            }
            Future<?> observer = pool.submit(() -> {
                ready.countDown();
                start.await();
                while (running.get()) {
                    int inUse = store.inUse(Instant.now());
                    int listed = store.leases(Instant.now()).size();
                    int nowHolding = holding.get();
                    observations.increment();
                    maxInUse.accumulate(inUse);
                    maxListed.accumulate(listed);
                    maxHolding.accumulate(nowHolding);
                    if (inUse > capacity || listed > capacity || nowHolding > capacity) {
                        violation(
                                violations,
                                violationSamples,
                                "observed " + inUse + " in use, " + listed + " listed, " + nowHolding + " holding");
                    }
                }
                return null;
            });

            ready.await();
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            running.set(false);
            observer.get(60, TimeUnit.SECONDS);
        } finally {
            running.set(false);
            pool.shutdownNow();
        }

        System.out.printf(
                "%s %s race: %d threads, capacity %d: %d claims granted, %d denied; max observed: %d in use,"
                        + " %d listed, %d threads holding; %d observations; %d violations %s%n",
                getClass().getSimpleName(),
                async ? "async" : "sync",
                threads,
                capacity,
                claimed.sum(),
                denied.sum(),
                maxInUse.get(),
                maxListed.get(),
                maxHolding.get(),
                observations.sum(),
                violations.get(),
                violationSamples);
        assertThat(violations.get()).as("violations: %s", violationSamples).isZero();
        assertThat(maxInUse.get()).isLessThanOrEqualTo(capacity);
        assertThat(observations.sum()).isGreaterThan(10);
        assertThat(claimed.sum()).as("claims granted").isGreaterThanOrEqualTo(MIN_RACE_GRANTS_PER_SEAT * capacity);
        assertThat(store.inUse(Instant.now())).isZero();
    }

    private static void violation(AtomicLong violations, List<String> samples, String what) {
        if (violations.incrementAndGet() <= 10) {
            samples.add(what);
        }
    }

    /** An agent ID. */
    protected static AgentId agent(String name) {
        return new AgentId(name);
    }

    /** A claim that names only the agent. */
    protected static ClaimRequest request(String agent) {
        return ClaimRequest.of(agent(agent));
    }

    /** A claim with node and station. */
    protected static ClaimRequest request(String agent, String node, String station) {
        return new ClaimRequest(agent(agent), node, station);
    }

    /** Asserts that the result is a new lease, and returns it. */
    protected static Lease assertClaimed(ClaimResult result) {
        assertThat(result).isInstanceOf(Claimed.class);
        return ((Claimed) result).lease();
    }
}
