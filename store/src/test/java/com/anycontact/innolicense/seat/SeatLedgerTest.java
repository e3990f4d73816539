package com.anycontact.innolicense.seat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.seat.ClaimResult.CapacityReduced;
import com.anycontact.innolicense.seat.ClaimResult.Claimed;
import com.anycontact.innolicense.seat.ClaimResult.Denied;
import com.anycontact.innolicense.seat.ClaimResult.Renewed;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.anycontact.innolicense.store.sqlite.SqliteSeatStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger over the real SQLite store, with a clock and a capacity the test moves. It lives
 * beside the store so that it runs against the real arbiter rather than a stand-in.
 */
class SeatLedgerTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(60);
    private static final AgentId ALICE = new AgentId("alice");
    private static final AgentId BOB = new AgentId("bob");
    private static final AgentId CAROL = new AgentId("carol");

    @TempDir
    Path dataDirectory;

    private final FakeClock clock = new FakeClock(T0);
    private final AtomicInteger capacity = new AtomicInteger(2);
    private SqliteDatabase database;
    private SeatLedger ledger;

    @BeforeEach
    void openLedger() {
        database = SqliteDatabase.open(dataDirectory);
        ledger = new SeatLedger(new SqliteSeatStore(database), clock, capacity::get, TTL);
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @Test
    void claim_holdsTheSeatFromTheClocksNowForOneTtl() {
        clock.advance(Duration.ofSeconds(5));

        ClaimResult result = ledger.claim(ClaimRequest.of(ALICE));

        assertThat(result).isInstanceOf(Claimed.class);
        Lease lease = ((Claimed) result).lease();
        assertThat(lease.claimedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(lease.expiresAt()).isEqualTo(T0.plusSeconds(65));
        assertThat(ledger.leases()).containsExactly(lease);
        assertThat(ledger.inUse()).isEqualTo(1);
    }

    @Test
    void claim_whenAllSeatsHeld_isDenied() {
        ledger.claim(ClaimRequest.of(ALICE));
        ledger.claim(ClaimRequest.of(BOB));

        assertThat(ledger.claim(ClaimRequest.of(CAROL))).isEqualTo(new Denied(2, 2));
        assertThat(ledger.denials()).isEqualTo(1);
        assertThat(ledger.recentDenials(1)).containsExactly(new Denial(CAROL, T0, 2, 2));
    }

    @Test
    void claim_aftertheHolderStoppedRenewing_getsTheSeatOnceTheTtlHasPassed() {
        capacity.set(1);
        ledger.claim(ClaimRequest.of(ALICE));
        clock.advance(TTL.minusMillis(1));
        assertThat(ledger.claim(ClaimRequest.of(BOB))).isInstanceOf(Denied.class);

        clock.advance(Duration.ofMillis(1));

        assertThat(ledger.claim(ClaimRequest.of(BOB))).isInstanceOf(Claimed.class);
    }

    @Test
    void renewingEveryRenewInterval_keepsTheSeat() {
        capacity.set(1);
        ledger.claim(ClaimRequest.of(ALICE));
        for (int beat = 0; beat < 10; beat++) {
            clock.advance(ledger.renewInterval());
            assertThat(ledger.claim(ClaimRequest.of(ALICE))).isInstanceOf(Renewed.class);
        }

        assertThat(ledger.claim(ClaimRequest.of(BOB))).isInstanceOf(Denied.class);
        assertThat(ledger.reap()).isEmpty();
    }

    @Test
    void capacity_isAskedOnEveryClaimSoAChangeTakesEffectAtOnce() {
        capacity.set(3);
        ledger.claim(ClaimRequest.of(ALICE));
        ledger.claim(ClaimRequest.of(BOB));
        ledger.claim(ClaimRequest.of(CAROL));
        clock.advance(Duration.ofSeconds(20));

        capacity.set(1);

        assertThat(ledger.claim(ClaimRequest.of(CAROL))).isEqualTo(new CapacityReduced(1, 2));
        assertThat(ledger.claim(ClaimRequest.of(BOB))).isEqualTo(new CapacityReduced(1, 1));
        assertThat(ledger.claim(ClaimRequest.of(ALICE))).isInstanceOf(Renewed.class);
        capacity.set(3);
        assertThat(ledger.claim(ClaimRequest.of(BOB))).isInstanceOf(Claimed.class);
    }

    @Test
    void release_freesTheSeat() {
        ledger.claim(ClaimRequest.of(ALICE));

        assertThat(ledger.release(ALICE)).isTrue();
        assertThat(ledger.release(ALICE)).isFalse();
        assertThat(ledger.inUse()).isZero();
    }

    @Test
    void reap_removesTheLeasesExpiredByTheClock() {
        ledger.claim(ClaimRequest.of(ALICE));
        clock.advance(Duration.ofSeconds(30));
        ledger.claim(ClaimRequest.of(BOB));
        clock.advance(Duration.ofSeconds(30));

        assertThat(ledger.reap()).extracting(Lease::agent).containsExactly(ALICE);
        assertThat(ledger.leases()).extracting(Lease::agent).containsExactly(BOB);
    }

    @Test
    void renewInterval_isAThirdOfTheTtl() {
        assertThat(ledger.ttl()).isEqualTo(TTL);
        assertThat(ledger.renewInterval()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void claim_whenTheCapacityIsNegative_failsWithoutTouchingTheStore() {
        capacity.set(-1);

        assertThatThrownBy(() -> ledger.claim(ClaimRequest.of(ALICE))).isInstanceOf(IllegalStateException.class);
        assertThat(ledger.inUse()).isZero();
    }

    @Test
    void constructor_withATtlTooShortToRenew_isRejected() {
        SqliteSeatStore store = new SqliteSeatStore(database);

        assertThatThrownBy(() -> new SeatLedger(store, clock, capacity::get, Duration.ofMillis(2)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
