package com.anycontact.innolicense.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.license.InstallationId;
import com.anycontact.innolicense.license.InstallationStore;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link InstallationStore} must do. A store's test extends this class and says how to open a
 * fresh store, how to reopen it over the same data (a restart), and how to open a second store over the same
 * data at the same time (a second server node).
 *
 * <p>All instants here are whole milliseconds, the precision every store keeps.
 */
public abstract class InstallationStoreContract {

    /** An instant the tests save as the trusted-time mark. */
    protected static final Instant T0 = Instant.parse("2027-01-15T09:00:00.250Z");

    private static final InstallationId FIRST = new InstallationId("IACD-AAAA-BBBB-CCCC-DDDD");
    private static final InstallationId SECOND = new InstallationId("IACD-EEEE-FFFF-GGGG-HHHH");

    /** The store under test, fresh for each test. */
    protected InstallationStore store;

    /** A new, empty store; called before each test. */
    protected abstract InstallationStore createStore() throws Exception;

    /**
     * Closes everything the current store opened and opens a new store over the same data, as a restarted
     * server would.
     */
    protected abstract InstallationStore reopenStore() throws Exception;

    /**
     * Opens another store over the same data while the current one stays open, as a second server node
     * would; the test class closes it.
     */
    protected abstract InstallationStore openAnotherNode() throws Exception;

    @BeforeEach
    final void openFreshStore() throws Exception {
        store = createStore();
    }

    @Test
    void installationId_atTheFirstCall_isCreatedAndThenKept() {
        AtomicInteger created = new AtomicInteger();

        InstallationId first = store.installationId(counting(created, FIRST));
        InstallationId again = store.installationId(counting(created, SECOND));

        assertThat(first).isEqualTo(FIRST);
        assertThat(again).isEqualTo(FIRST);
        assertThat(created).hasValue(1);
    }

    @Test
    void installationId_afterReopen_isUnchangedAndNotCreatedAgain() throws Exception {
        store.installationId(() -> FIRST);
        AtomicInteger created = new AtomicInteger();

        store = reopenStore();

        assertThat(store.installationId(counting(created, SECOND))).isEqualTo(FIRST);
        assertThat(created).hasValue(0);
    }

    @Test
    void installationId_calledByManyThreadsAtOnce_isOneId() throws Exception {
        List<InstallationId> seen = race(List.of(store), 8);

        assertThat(seen).hasSize(8).containsOnly(store.installationId(() -> SECOND));
    }

    @Test
    void installationId_calledByTwoNodesAtOnce_isOneId() throws Exception {
        InstallationStore otherNode = openAnotherNode();

        List<InstallationId> seen = race(List.of(store, otherNode), 8);

        InstallationId stored = store.installationId(() -> SECOND);
        assertThat(seen).hasSize(8).containsOnly(stored);
        assertThat(otherNode.installationId(() -> SECOND)).isEqualTo(stored);
    }

    @Test
    void trustedTimeMark_ofAFreshStore_isTheEpoch() {
        assertThat(store.trustedTimeMark()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void saveTrustedTimeMark_thenRead_returnsIt() {
        store.saveTrustedTimeMark(T0);

        assertThat(store.trustedTimeMark()).isEqualTo(T0);
    }

    @Test
    void saveTrustedTimeMark_ofAnEarlierInstant_leavesTheMarkWhereItWas() {
        store.saveTrustedTimeMark(T0);

        store.saveTrustedTimeMark(T0.minusSeconds(3600));

        assertThat(store.trustedTimeMark()).isEqualTo(T0);
    }

    @Test
    void saveTrustedTimeMark_ofALaterInstant_movesTheMarkForward() {
        store.saveTrustedTimeMark(T0);

        store.saveTrustedTimeMark(T0.plusMillis(1));

        assertThat(store.trustedTimeMark()).isEqualTo(T0.plusMillis(1));
    }

    @Test
    void saveTrustedTimeMark_thenReopen_keepsTheMarkWhichStillNeverMovesBack() throws Exception {
        store.installationId(() -> FIRST);
        store.saveTrustedTimeMark(T0);

        store = reopenStore();
        store.saveTrustedTimeMark(T0.minusSeconds(86_400));

        assertThat(store.trustedTimeMark()).isEqualTo(T0);
        assertThat(store.installationId(() -> SECOND)).isEqualTo(FIRST);
    }

    @Test
    void saveTrustedTimeMark_beforeAnyInstallationId_isKeptAndTheIdIsStillCreated() {
        store.saveTrustedTimeMark(T0);

        InstallationId id = store.installationId(() -> FIRST);

        assertThat(id).isEqualTo(FIRST);
        assertThat(store.trustedTimeMark()).isEqualTo(T0);
    }

    private static Supplier<InstallationId> counting(AtomicInteger created, InstallationId id) {
        return () -> {
            created.incrementAndGet();
            return id;
        };
    }

    /**
     * Calls {@link InstallationStore#installationId} from {@code threads} threads at once, spread over the
     * given stores, each offering a fresh random ID; returns what each call returned.
     */
    private static List<InstallationId> race(List<InstallationStore> stores, int threads) throws Exception {
        SecureRandom random = new SecureRandom();
        CountDownLatch startGate = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<InstallationId>> calls = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                InstallationStore node = stores.get(t % stores.size());
                InstallationId offered = InstallationId.generate(random);
                calls.add(executor.submit(() -> {
                    startGate.await();
                    return node.installationId(() -> offered);
                }));
            }
            startGate.countDown();
            List<InstallationId> seen = new ArrayList<>();
            for (Future<InstallationId> call : calls) {
                seen.add(call.get());
            }
            return seen;
        } finally {
            executor.shutdownNow();
        }
    }
}
