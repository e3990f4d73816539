package com.anycontact.innolicense.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.Denial;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's SQL on a real SQLite file: what is read back after appends and checkpoints,
 * including a checkpoint cut short by a crash after any of its transactions.
 */
class SeatJournalTest {

    private static final long T0 = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();
    private static final long TTL = 60_000;
    private static final AgentId ALICE = new AgentId("alice");
    private static final AgentId BOB = new AgentId("bob");
    private static final AgentId CAROL = new AgentId("carol");

    @TempDir
    Path dataDirectory;

    private SqliteDatabase database;
    private SeatJournal journal;

    @BeforeEach
    void openDatabase() {
        database = SqliteDatabase.open(dataDirectory);
        journal = new SeatJournal(database);
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @Test
    void open_ofANewDatabase_isEmptyAndClosedCleanly() {
        SeatJournal.Contents contents = journal.open(10);

        assertThat(contents.leases()).isEmpty();
        assertThat(contents.lastClaimSequence()).isZero();
        assertThat(contents.lastPosition()).isZero();
        assertThat(contents.denials()).isZero();
        assertThat(contents.closedCleanly()).isTrue();
        assertThat(journal.open(10).closedCleanly()).isFalse();
    }

    @Test
    void open_replaysTheJournalInOrder() {
        Held alice = held(ALICE, "acd-1", "desk 7", 1);
        Held bob = held(BOB, null, null, 2);
        Held aliceAgain = held(ALICE, null, "desk 8", 3);
        journal.append(2, List.of(claim(alice), claim(bob)), List.of());
        journal.append(
                4,
                List.of(release(alice), claim(aliceAgain)),
                List.of(new Denial(CAROL, Instant.ofEpochMilli(T0), 2, 2)));
        journal.append(5, List.of(release(bob)), List.of());

        SeatJournal.Contents contents = journal.open(10);

        assertThat(contents.leases()).containsExactly(aliceAgain);
        assertThat(contents.lastClaimSequence()).isEqualTo(3);
        assertThat(contents.lastPosition()).isEqualTo(5);
        assertThat(contents.truncatedThrough()).isEqualTo(1);
        assertThat(contents.denials()).isEqualTo(1);
        assertThat(contents.recentDenials()).containsExactly(new Denial(CAROL, Instant.ofEpochMilli(T0), 2, 2));
    }

    @Test
    void open_afterACheckpointCutShort_givesTheLeasesOfTheWholeCheckpoint() {
        Held alice = held(ALICE, "acd-1", null, 1);
        Held bob = held(BOB, null, null, 2);
        Held carol = held(CAROL, null, null, 3);
        journal.append(3, List.of(claim(alice), claim(bob), claim(carol)), List.of());
        journal.checkpoint(List.of(Map.entry(ALICE, alice), Map.entry(BOB, bob), Map.entry(CAROL, carol)));
        journal.truncate(3, 3);
        Held renewedBob = bob.renewed("acd-2", null, T0 + 30_000, T0 + 30_000 + TTL);
        Held carolAgain = held(CAROL, null, null, 4);
        journal.append(5, List.of(release(carol), claim(carolAgain)), List.of());
        journal.append(6, List.of(release(alice)), List.of());
        Map<AgentId, Held> changes = new HashMap<>();
        changes.put(ALICE, null);
        changes.put(BOB, renewedBob);
        changes.put(CAROL, carolAgain);

        journal.checkpoint(List.of(Map.entry(BOB, renewedBob)));
        SeatJournal.Contents cutShort = journal.open(10);
        journal.checkpoint(List.copyOf(changes.entrySet()));
        journal.truncate(5, 4);
        SeatJournal.Contents cutShortLater = journal.open(10);
        journal.truncate(6, 4);
        SeatJournal.Contents complete = journal.open(10);

        assertThat(cutShort.leases()).containsExactly(renewedBob, carolAgain);
        assertThat(cutShortLater.leases()).containsExactly(renewedBob, carolAgain);
        assertThat(complete.leases()).containsExactly(renewedBob, carolAgain);
        assertThat(complete.lastClaimSequence()).isEqualTo(4);
        assertThat(complete.lastPosition()).isZero();
    }

    @Test
    void encode_thenReplay_keepsEveryField() {
        Held full = held(ALICE, "acd node (1)", "desk #7/b", 41);
        Held bare = held(BOB, null, null, 42);
        Map<AgentId, Held> leases = new HashMap<>();

        long lastClaimSequence = SeatJournal.replay(
                leases, SeatJournal.encode(List.of(claim(full), claim(bare))), 2, new java.util.HashSet<>());

        assertThat(leases).containsOnly(Map.entry(ALICE, full), Map.entry(BOB, bare));
        assertThat(lastClaimSequence).isEqualTo(42);
    }

    private static Held held(AgentId agent, String node, String station, long claimSequence) {
        long claimedAt = T0 + claimSequence;
        return new Held(agent, node, station, claimedAt, claimedAt, claimedAt + TTL, claimSequence, 0);
    }

    private static SeatJournal.Entry claim(Held lease) {
        return new SeatJournal.Entry(lease, false);
    }

    private static SeatJournal.Entry release(Held lease) {
        return new SeatJournal.Entry(lease, true);
    }
}
