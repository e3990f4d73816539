package com.anycontact.innolicense.seat;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.store.sqlite.JournaledSeatStore;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.anycontact.innolicense.store.sqlite.SqliteSeatStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The observing decorator over the real SQLite store, driven through the ledger as the server drives it. */
class ObservedSeatStoreTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(60);
    private static final AgentId ALICE = new AgentId("alice");
    private static final AgentId BOB = new AgentId("bob");
    private static final AgentId CAROL = new AgentId("carol");

    @TempDir
    Path dataDirectory;

    private final FakeClock clock = new FakeClock(T0);
    private final AtomicInteger capacity = new AtomicInteger(2);
    private final List<SeatChange> changes = new ArrayList<>();
    private SqliteDatabase database;
    private SeatLedger ledger;

    @BeforeEach
    void openLedger() {
        database = SqliteDatabase.open(dataDirectory);
        ledger = new SeatLedger(
                new ObservedSeatStore(new SqliteSeatStore(database), changes::add), clock, capacity::get, TTL);
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @Test
    void claims_areToldWithTheCountRightAfterThem() {
        ledger.claim(ClaimRequest.of(ALICE));
        ledger.claim(ClaimRequest.of(BOB));

        assertThat(changes).hasSize(2);
        assertThat(changes.get(0)).isInstanceOfSatisfying(SeatChange.Claimed.class, claimed -> {
            assertThat(claimed.lease().agent()).isEqualTo(ALICE);
            assertThat(claimed.inUse()).isEqualTo(1);
            assertThat(claimed.capacity()).isEqualTo(2);
        });
        assertThat(changes.get(1).inUse()).isEqualTo(2);
    }

    @Test
    void asyncClaimsAndReleases_onTheJournaledStore_areToldOnceDurable() throws Exception {
        try (JournaledSeatStore journaled = JournaledSeatStore.open(database, T0, TTL)) {
            List<SeatChange> told = new CopyOnWriteArrayList<>();
            SeatLedger async = new SeatLedger(new ObservedSeatStore(journaled, told::add), clock, capacity::get, TTL);

            async.claimAsync(ClaimRequest.of(ALICE)).get(30, TimeUnit.SECONDS);
            async.claimAsync(ClaimRequest.of(BOB)).get(30, TimeUnit.SECONDS);
            async.claimAsync(ClaimRequest.of(CAROL)).get(30, TimeUnit.SECONDS);
            async.claimAsync(ClaimRequest.of(ALICE)).get(30, TimeUnit.SECONDS);
            assertThat(async.releaseAsync(ALICE).get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(async.releaseAsync(ALICE).get(30, TimeUnit.SECONDS)).isFalse();

            assertThat(told)
                    .extracting(change -> change.getClass().getSimpleName() + " " + change.inUse())
                    .containsExactly("Claimed 1", "Claimed 2", "Denied 2", "Released 1");
        }
    }

    @Test
    void renewals_areNotTold() {
        ledger.claim(ClaimRequest.of(ALICE));
        clock.advance(Duration.ofSeconds(20));

        ledger.claim(ClaimRequest.of(ALICE));

        assertThat(changes).hasSize(1);
    }

    @Test
    void aDenial_isToldWithTheAgentAndTheCountsItWasCheckedAgainst() {
        ledger.claim(ClaimRequest.of(ALICE));
        ledger.claim(ClaimRequest.of(BOB));

        ledger.claim(ClaimRequest.of(CAROL));

        assertThat(changes.getLast()).isEqualTo(new SeatChange.Denied(CAROL, T0, 2, 2));
    }

    @Test
    void aRelease_isToldOnlyWhenTheAgentHeldASeat() {
        ledger.claim(ClaimRequest.of(ALICE));

        ledger.release(ALICE);
        ledger.release(ALICE);

        assertThat(changes).hasSize(2);
        assertThat(changes.getLast()).isEqualTo(new SeatChange.Released(ALICE, T0, 0));
    }

    @Test
    void aReap_isToldWithTheLeasesRemoved_andAnEmptyReapIsNot() {
        ledger.claim(ClaimRequest.of(ALICE));
        ledger.reap();
        clock.advance(TTL);

        ledger.reap();

        assertThat(changes).hasSize(2);
        assertThat(changes.getLast()).isInstanceOfSatisfying(SeatChange.Reaped.class, reaped -> {
            assertThat(reaped.leases()).extracting(Lease::agent).containsExactly(ALICE);
            assertThat(reaped.inUse()).isZero();
        });
    }

    @Test
    void aRenewalRefusedForReducedCapacity_isToldAsSuch() {
        ledger.claim(ClaimRequest.of(ALICE));
        ledger.claim(ClaimRequest.of(BOB));
        capacity.set(1);

        ledger.claim(ClaimRequest.of(BOB));

        assertThat(changes.getLast()).isEqualTo(new SeatChange.CapacityReduced(BOB, T0, 1, 1));
    }

    @Test
    void aFailingListener_doesNotFailTheClaim() {
        SeatLedger failing = new SeatLedger(
                new ObservedSeatStore(new SqliteSeatStore(database), change -> {
                    throw new IllegalStateException("listener broken");
                }),
                clock,
                capacity::get,
                TTL);

        assertThat(failing.claim(ClaimRequest.of(ALICE))).isInstanceOf(ClaimResult.Claimed.class);
        assertThat(failing.inUse()).isEqualTo(1);
    }
}
