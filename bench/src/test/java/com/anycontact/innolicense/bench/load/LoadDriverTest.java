package com.anycontact.innolicense.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The load shapes, run by operation count rather than by time, against hand-written and real arbiters. */
class LoadDriverTest {

    private final LoadDriver driver = new LoadDriver(new RunLength.Counted(5, 40));

    @Test
    void pairs_countEveryMeasuredPairAndTimeEveryClaim() throws Exception {
        InMemoryArbiter arbiter = new InMemoryArbiter(false);
        arbiter.reset(100);

        Measurement m = driver.pairs(arbiter, 4);

        assertThat(m.operations()).isEqualTo(4 * 40);
        assertThat(m.latency().count()).isEqualTo(4 * 40);
        assertThat(m.denials()).isZero();
        assertThat(m.errors()).isZero();
        assertThat(arbiter.claims).hasValue(4 * 45);
        assertThat(arbiter.held()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {LedgerArbiter.JOURNALED, LedgerArbiter.SQLITE})
    void renewals_onTheRealLedger_renewHeldLeasesAndReleaseThemAtTheEnd(String store, @TempDir Path directory)
            throws Exception {
        try (LedgerArbiter arbiter = new LedgerArbiter(store, directory)) {
            arbiter.reset(3);

            Measurement m = driver.renewals(arbiter, 3);

            assertThat(m.operations()).isEqualTo(3 * 40);
            assertThat(m.denials()).isZero();
            assertThat(m.errors()).isZero();
            assertThat(arbiter.claim("after-the-run")).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {LedgerArbiter.JOURNALED, LedgerArbiter.SQLITE})
    void contention_onTheRealLedger_neverHoldsMoreThanTheCapacity(String store, @TempDir Path directory)
            throws Exception {
        try (LedgerArbiter arbiter = new LedgerArbiter(store, directory)) {
            arbiter.reset(4);

            ContentionResult result = driver.contention(arbiter, 16, 4, 0);

            assertThat(result.violations()).isZero();
            assertThat(result.maxInUse()).isBetween(1, 4);
            assertThat(result.grants() + result.denials()).isEqualTo(16 * 40);
            assertThat(result.errors()).isZero();
        }
    }

    @Test
    void contention_withAnArbiterThatIgnoresTheCapacity_countsEveryGrantAsAViolation() throws Exception {
        InMemoryArbiter arbiter = new InMemoryArbiter(true);
        arbiter.reset(0);

        ContentionResult result = driver.contention(arbiter, 1, 0, 0);

        assertThat(result.grants()).isEqualTo(40);
        assertThat(result.violations()).isEqualTo(45);
        assertThat(result.maxInUse()).isEqualTo(1);
    }

    @Test
    void pairs_whenEveryClaimFails_countErrorsAndEnd() throws Exception {
        SeatArbiter failing = new InMemoryArbiter(false) {
            @Override
            public synchronized boolean claim(String agent) {
                throw new IllegalStateException("the arbiter is down");
            }
        };

        Measurement m = driver.pairs(failing, 2);

        assertThat(m.operations()).isZero();
        assertThat(m.errors()).isEqualTo(2 * 45);
    }
}
