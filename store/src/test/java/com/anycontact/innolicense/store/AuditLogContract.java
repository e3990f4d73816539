package com.anycontact.innolicense.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.anycontact.innolicense.audit.AuditChain;
import com.anycontact.innolicense.audit.AuditChainReport;
import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditEvent.Type;
import com.anycontact.innolicense.audit.AuditLog;
import com.anycontact.innolicense.audit.AuditQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AuditLog} must do. A log's test extends this class and says how to open a fresh log and
 * how to reopen it over the same data, as after a restart of the server.
 *
 * <p>All instants here are whole milliseconds, the precision every log keeps.
 */
public abstract class AuditLogContract {

    /** The instant the tests start at. */
    protected static final Instant T0 = Instant.parse("2027-01-15T09:00:00Z");

    /** The log under test, fresh for each test. */
    protected AuditLog log;

    /** A new, empty log; called before each test. */
    protected abstract AuditLog createLog() throws Exception;

    /**
     * Closes everything the current log opened and opens a new log over the same data, as a restarted server
     * would.
     */
    protected abstract AuditLog reopenLog() throws Exception;

    /**
     * Runs one SQL statement on the log's database as someone editing it by hand would: with the append-only
     * triggers out of the way, outside the log. Statements name the columns of {@code audit_event}.
     */
    protected abstract void editByHand(String sql) throws Exception;

    @BeforeEach
    final void openFreshLog() throws Exception {
        log = createLog();
    }

    @Test
    void find_onAnEmptyLog_findsNothing() {
        assertThat(log.find(AuditQuery.newest(10))).isEmpty();
    }

    @Test
    void record_thenFind_returnsTheEventAsRecordedWithAnId() {
        log.record(T0, "admin", Type.KEY_APPLIED, "license LIC-1, serial 1, 50 seats; state ACTIVE, capacity 50");

        List<AuditEvent> found = log.find(AuditQuery.newest(10));

        assertThat(found).singleElement().satisfies(event -> {
            assertThat(event.at()).isEqualTo(T0);
            assertThat(event.actor()).isEqualTo("admin");
            assertThat(event.type()).isEqualTo(Type.KEY_APPLIED);
            assertThat(event.detail()).isEqualTo("license LIC-1, serial 1, 50 seats; state ACTIVE, capacity 50");
        });
    }

    @Test
    void recordLater_isSeenByTheNextFind_inTheOrderOfTheCalls_withTheChainIntact() throws Exception {
        log.record(T0, "admin", Type.LOGIN, "logged in");
        List<java.util.concurrent.CompletableFuture<Void>> written = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            written.add(log.recordLater(
                    T0.plusMillis(i), "acd", Type.CLAIM_DENIED, "agent a-" + i + ": all 2 seats in use"));
        }
        log.record(T0.plusSeconds(1), "admin", Type.LOGOUT, "logged out");

        List<AuditEvent> found = log.find(AuditQuery.newest(100));

        assertThat(found).hasSize(22);
        assertThat(found.get(0).type()).isEqualTo(Type.LOGOUT);
        assertThat(found.get(21).type()).isEqualTo(Type.LOGIN);
        for (int i = 0; i < 20; i++) {
            assertThat(found.get(20 - i).detail()).isEqualTo("agent a-" + i + ": all 2 seats in use");
        }
        for (java.util.concurrent.CompletableFuture<Void> future : written) {
            assertThat(future.get(30, java.util.concurrent.TimeUnit.SECONDS)).isNull();
        }
        AuditChainReport chain = log.verifyChain();
        assertThat(chain.intact()).as("%s", chain.firstBreak()).isTrue();
        assertThat(chain.entries()).isEqualTo(22);
    }

    @Test
    void recordLater_withABlankActor_isRefusedAtOnce() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> log.recordLater(T0, " ", Type.CLAIM_DENIED, "agent a: all 2 seats in use"));
    }

    @Test
    void record_keepsEveryVisibleCharacterOfActorAndDetail() {
        String detail = "Müller & Söhne — \"quoted\", 'single', 100% ✓ C:\\path " + "x".repeat(5_000);

        log.record(T0, "admin@köln", Type.LOGIN, detail);

        assertThat(log.find(AuditQuery.newest(1))).singleElement().satisfies(event -> {
            assertThat(event.actor()).isEqualTo("admin@köln");
            assertThat(event.detail()).isEqualTo(detail);
        });
    }

    @Test
    void record_escapesControlCharactersAndBidiOverrides_inActorAndDetail() {
        log.record(T0, "mallory\u202e", Type.KEY_REJECTED, "MALFORMED: '1\u001b[2J\u0007'\nforged line");

        assertThat(log.find(AuditQuery.newest(1))).singleElement().satisfies(event -> {
            assertThat(event.actor()).isEqualTo("mallory\\u202e");
            assertThat(event.detail()).isEqualTo("MALFORMED: '1\\u001b[2J\\u0007'\\u000aforged line");
        });
    }

    @Test
    void record_givesEachEventALargerIdThanEveryEventBefore() {
        recordEvents(5);

        List<AuditEvent> found = log.find(AuditQuery.newest(10));

        assertThat(found).extracting(AuditEvent::id).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(found).extracting(AuditEvent::id).doesNotHaveDuplicates();
    }

    @Test
    void find_listsNewestFirst() {
        log.record(T0, "system", Type.SERVER_STARTED, "first");
        log.record(T0.plusSeconds(1), "admin", Type.LOGIN, "second");
        log.record(T0.plusSeconds(2), "admin", Type.LOGOUT, "third");

        assertThat(log.find(AuditQuery.newest(10)))
                .extracting(AuditEvent::detail)
                .containsExactly("third", "second", "first");
    }

    @Test
    void find_withALimit_returnsTheNewestThatMany() {
        recordEvents(20);

        assertThat(log.find(AuditQuery.newest(3)))
                .extracting(AuditEvent::detail)
                .containsExactly("event 19", "event 18", "event 17");
    }

    @Test
    void find_byType_returnsOnlyThatType() {
        log.record(T0, "admin", Type.KEY_APPLIED, "applied");
        log.record(T0, "admin", Type.KEY_REJECTED, "rejected");
        log.record(T0, "system", Type.STATE_CHANGED, "changed");
        log.record(T0, "bob", Type.KEY_REJECTED, "rejected again");

        assertThat(log.find(AuditQuery.newest(10).withType(Type.KEY_REJECTED)))
                .extracting(AuditEvent::detail)
                .containsExactly("rejected again", "rejected");
    }

    @Test
    void find_byActor_returnsOnlyThatActorsEventsMatchedExactly() {
        log.record(T0, "admin", Type.LOGIN, "a");
        log.record(T0, "Admin", Type.LOGIN, "b");
        log.record(T0, "administrator", Type.LOGIN, "c");
        log.record(T0, "admin", Type.LOGOUT, "d");

        assertThat(log.find(AuditQuery.newest(10).withActor("admin")))
                .extracting(AuditEvent::detail)
                .containsExactly("d", "a");
    }

    @Test
    void find_fromAndTo_includeFromAndExcludeTo() {
        for (int second = 0; second < 10; second++) {
            log.record(T0.plusSeconds(second), "system", Type.LEASES_REAPED, "second " + second);
        }

        List<AuditEvent> found =
                log.find(AuditQuery.newest(100).withFrom(T0.plusSeconds(3)).withTo(T0.plusSeconds(6)));

        assertThat(found).extracting(AuditEvent::detail).containsExactly("second 5", "second 4", "second 3");
    }

    @Test
    void find_withSubMillisecondBounds_comparesAsWithTheExactInstants() {
        log.record(T0, "system", Type.LEASES_REAPED, "at T0");
        log.record(T0.plusMillis(1), "system", Type.LEASES_REAPED, "at T0 + 1 ms");

        assertThat(log.find(AuditQuery.newest(10).withFrom(T0.plusNanos(1))))
                .extracting(AuditEvent::detail)
                .containsExactly("at T0 + 1 ms");
        assertThat(log.find(AuditQuery.newest(10).withTo(T0.plusNanos(1))))
                .extracting(AuditEvent::detail)
                .containsExactly("at T0");
    }

    @Test
    void find_withEveryFilter_returnsWhatMatchesThemAll() {
        log.record(T0, "admin", Type.KEY_REJECTED, "too early");
        log.record(T0.plusSeconds(10), "bob", Type.KEY_REJECTED, "other actor");
        log.record(T0.plusSeconds(10), "admin", Type.KEY_APPLIED, "other type");
        log.record(T0.plusSeconds(10), "admin", Type.KEY_REJECTED, "match 1");
        log.record(T0.plusSeconds(11), "admin", Type.KEY_REJECTED, "match 2");
        log.record(T0.plusSeconds(20), "admin", Type.KEY_REJECTED, "too late");
        long newestMatchId = log.find(AuditQuery.newest(2)).get(1).id();

        AuditQuery query = AuditQuery.newest(10)
                .withType(Type.KEY_REJECTED)
                .withActor("admin")
                .withFrom(T0.plusSeconds(5))
                .withTo(T0.plusSeconds(20));

        assertThat(log.find(query)).extracting(AuditEvent::detail).containsExactly("match 2", "match 1");
        assertThat(log.find(query.withBeforeId(newestMatchId)))
                .extracting(AuditEvent::detail)
                .containsExactly("match 1");
    }

    @Test
    void find_pagingBackwardsWithBeforeId_returnsEveryEventOnceInOrder() {
        recordEvents(25);
        List<String> paged = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        AuditQuery query = AuditQuery.newest(10);

        while (true) {
            List<AuditEvent> page = log.find(query);
            if (page.isEmpty()) {
                break;
            }
            pageSizes.add(page.size());
            page.forEach(event -> paged.add(event.detail()));
            query = query.withBeforeId(page.getLast().id());
        }

        assertThat(pageSizes).containsExactly(10, 10, 5);
        List<String> expected = new ArrayList<>();
        for (int i = 24; i >= 0; i--) {
            expected.add("event " + i);
        }
        assertThat(paged).isEqualTo(expected);
    }

    @Test
    void record_thenReopen_keepsEveryEventAndIdsKeepGrowing() throws Exception {
        recordEvents(3);
        List<AuditEvent> before = log.find(AuditQuery.newest(10));

        log = reopenLog();
        log.record(T0.plusSeconds(60), "system", Type.SERVER_STARTED, "after restart");

        List<AuditEvent> after = log.find(AuditQuery.newest(10));
        assertThat(after.subList(1, after.size())).isEqualTo(before);
        assertThat(after.getFirst().id()).isGreaterThan(before.getFirst().id());
    }

    @Test
    void record_fromManyThreadsAtOnce_keepsEveryEventWithItsOwnId() throws Exception {
        int threads = 8;
        int perThread = 50;
        CountDownLatch startGate = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String actor = "node-" + t;
                done.add(executor.submit(() -> {
                    startGate.await();
                    for (int i = 0; i < perThread; i++) {
                        log.record(T0, actor, Type.CLAIM_DENIED, actor + " " + i);
                    }
                    return null;
                }));
            }
            startGate.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            executor.shutdownNow();
        }

        List<AuditEvent> all = log.find(AuditQuery.newest(AuditQuery.MAX_LIMIT));
        assertThat(all).hasSize(threads * perThread);
        assertThat(all).extracting(AuditEvent::id).doesNotHaveDuplicates();
        assertThat(all).extracting(AuditEvent::detail).doesNotHaveDuplicates();
        assertThat(log.find(AuditQuery.newest(AuditQuery.MAX_LIMIT).withActor("node-3")))
                .extracting(AuditEvent::detail)
                .startsWith("node-3 49", "node-3 48")
                .hasSize(perThread);
        AuditChainReport chain = log.verifyChain();
        assertThat(chain.intact()).as("%s", chain.firstBreak()).isTrue();
        assertThat(chain.entries()).isEqualTo(threads * perThread);
    }

    @Test
    void verifyChain_onAnEmptyLog_isIntactAtTheGenesis() {
        AuditChainReport chain = log.verifyChain();

        assertThat(chain.intact()).isTrue();
        assertThat(chain.entries()).isZero();
        assertThat(chain.lastHash()).isEqualTo(AuditChain.GENESIS);
    }

    @Test
    void verifyChain_afterRecording_isIntactAndEndsAtTheNewestEvent() throws Exception {
        recordEvents(5);
        log = reopenLog();
        log.record(T0.plusSeconds(10), "admin", Type.LOGIN, "after a restart");

        AuditChainReport chain = log.verifyChain();

        assertThat(chain.intact()).as("%s", chain.firstBreak()).isTrue();
        assertThat(chain.entries()).isEqualTo(6);
        assertThat(chain.lastId()).isEqualTo(newestId());
    }

    @Test
    void verifyChain_afterAnEventWasChangedByHand_namesThatEvent() throws Exception {
        recordEvents(5);
        long third = idOf("event 2");

        editByHand("UPDATE audit_event SET detail = 'event 2, edited' WHERE id = " + third);

        assertBreak(third, "was altered");
    }

    @Test
    void verifyChain_afterAnEventsTimeWasChangedByHand_namesThatEvent() throws Exception {
        recordEvents(5);
        long second = idOf("event 1");

        editByHand("UPDATE audit_event SET at = at + 1000 WHERE id = " + second);

        assertBreak(second, "was altered");
    }

    @Test
    void verifyChain_afterAnEventWasDeletedByHand_namesTheOneAfterIt() throws Exception {
        recordEvents(5);
        long third = idOf("event 2");

        editByHand("DELETE FROM audit_event WHERE id = " + third);

        assertBreak(idOf("event 3"), "does not follow entry " + idOf("event 1"));
    }

    @Test
    void verifyChain_afterTheNewestEventsWereDeletedByHand_saysEntriesAtTheEndWereRemoved() throws Exception {
        recordEvents(5);
        long fourth = idOf("event 3");

        editByHand("DELETE FROM audit_event WHERE id >= " + fourth);

        assertBreak(fourth, "entries at the end were removed");
    }

    @Test
    void verifyChain_afterAnEventWasInsertedByHandWithoutAHash_namesIt() throws Exception {
        recordEvents(3);
        long next = newestId() + 1;

        editByHand("INSERT INTO audit_event (id, at, actor, type, detail) VALUES (" + next + ", " + T0.toEpochMilli()
                + ", 'admin', 'LOGIN', 'never happened')");

        assertBreak(next, "carries no hash");
    }

    @Test
    void verifyChain_afterAnEventWasInsertedByHandWithAForgedHash_namesIt() throws Exception {
        recordEvents(3);
        AuditChainReport before = log.verifyChain();
        long next = before.lastId() + 1;
        String forged = AuditChain.hash(next, T0.toEpochMilli(), "admin", "LOGIN", "never happened", before.lastHash());

        editByHand("INSERT INTO audit_event (id, at, actor, type, detail, prev_hash, hash) VALUES (" + next + ", "
                + T0.toEpochMilli() + ", 'admin', 'LOGIN', 'never happened', '" + before.lastHash() + "', '"
                + forged + "')");

        assertBreak(next, "entries were added outside the audit log");
    }

    @Test
    void verifyChain_afterAnEventWasInsertedByHandBetweenTwo_namesTheInsertedOne() throws Exception {
        recordEvents(3);
        long second = idOf("event 1");
        editByHand("DELETE FROM audit_event WHERE id = " + second);

        editByHand("INSERT INTO audit_event (id, at, actor, type, detail, prev_hash, hash) VALUES (" + second + ", "
                + T0.toEpochMilli() + ", 'admin', 'LOGIN', 'never happened', '" + AuditChain.GENESIS + "', '"
                + AuditChain.GENESIS + "')");

        assertBreak(second, "entry " + second);
    }

    private void assertBreak(long id, String problem) {
        AuditChainReport chain = log.verifyChain();
        assertThat(chain.intact()).isFalse();
        assertThat(chain.firstBreak()).hasValueSatisfying(found -> {
            assertThat(found.id()).isEqualTo(id);
            assertThat(found.problem()).contains(problem);
        });
    }

    private long idOf(String detail) {
        return log.find(AuditQuery.newest(AuditQuery.MAX_LIMIT)).stream()
                .filter(event -> event.detail().equals(detail))
                .findFirst()
                .orElseThrow()
                .id();
    }

    private long newestId() {
        return log.find(AuditQuery.newest(1)).getFirst().id();
    }

    @Test
    void record_withABlankActor_isABug() {
        assertThatIllegalArgumentException().isThrownBy(() -> log.record(T0, " ", Type.LOGIN, "who?"));
        assertThat(log.find(AuditQuery.newest(10))).isEmpty();
    }

    /** Records {@code count} events, "event 0" first, one second apart from {@link #T0}. */
    protected void recordEvents(int count) {
        Type[] types = Type.values();
        for (int i = 0; i < count; i++) {
            log.record(T0.plusSeconds(i), "actor-" + (i % 3), types[i % types.length], "event " + i);
        }
    }
}
