package com.anycontact.innolicense.seat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anycontact.innolicense.store.StoreException;
import com.anycontact.innolicense.store.sqlite.SqliteDatabase;
import com.anycontact.innolicense.store.sqlite.SqliteSeatStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reaper over the real SQLite store, driven by a clock the test moves. */
class ReaperTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(60);
    private static final AgentId ALICE = new AgentId("alice");
    private static final AgentId BOB = new AgentId("bob");

    @TempDir
    Path dataDirectory;

    private final FakeClock clock = new FakeClock(T0);
    private final List<List<Lease>> reports = new ArrayList<>();
    private SqliteDatabase database;
    private SeatLedger ledger;
    private Reaper reaper;

    @BeforeEach
    void openLedger() {
        database = SqliteDatabase.open(dataDirectory);
        ledger = new SeatLedger(new SqliteSeatStore(database), clock, () -> 10, TTL);
        reaper = new Reaper(ledger, reports::add);
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @Test
    void run_reportsTheLeasesWhoseHoldersStoppedRenewing() {
        ledger.claim(ClaimRequest.of(ALICE));
        ledger.claim(ClaimRequest.of(BOB));
        clock.advance(Duration.ofSeconds(40));
        ledger.claim(ClaimRequest.of(BOB));
        clock.advance(Duration.ofSeconds(20));

        reaper.run();

        assertThat(reports).hasSize(1);
        assertThat(reports.getFirst()).extracting(Lease::agent).containsExactly(ALICE);
        assertThat(ledger.leases()).extracting(Lease::agent).containsExactly(BOB);
    }

    @Test
    void run_whenNothingExpired_reportsNothing() {
        ledger.claim(ClaimRequest.of(ALICE));
        clock.advance(TTL.minusMillis(1));

        reaper.run();

        assertThat(reports).isEmpty();
        assertThat(ledger.inUse()).isEqualTo(1);
    }

    @Test
    void run_reportsEachLeaseOnce() {
        ledger.claim(ClaimRequest.of(ALICE));
        clock.advance(TTL);

        reaper.run();
        reaper.run();

        assertThat(reports).hasSize(1);
    }

    @Test
    void reap_returnsWhatItReported() {
        ledger.claim(ClaimRequest.of(ALICE));
        clock.advance(TTL);

        List<Lease> reaped = reaper.reap();

        assertThat(reaped).extracting(Lease::agent).containsExactly(ALICE);
        assertThat(reports).containsExactly(reaped);
    }

    @Test
    void run_whenTheStoreFails_keepsGoingAndReportsNothing() {
        database.close();

        reaper.run();

        assertThat(reports).isEmpty();
        assertThatThrownBy(reaper::reap).isInstanceOf(StoreException.class);
    }
}
