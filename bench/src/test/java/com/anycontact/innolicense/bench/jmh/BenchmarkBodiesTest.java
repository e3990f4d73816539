package com.anycontact.innolicense.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.license.KeyVerification;
import com.anycontact.innolicense.license.LicenseState;
import com.anycontact.innolicense.license.LicenseStatus;
import com.anycontact.innolicense.seat.ClaimResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs each benchmark body a handful of times outside JMH, so that a broken benchmark fails the
 * build instead of measuring nonsense. Not a measurement.
 */
class BenchmarkBodiesTest {

    private static final int TIMES = 5;

    @Test
    void verify_ofTheSignedKey_isGenuine() {
        KeyVerificationBenchmark benchmark = new KeyVerificationBenchmark();
        benchmark.signKey();

        for (int i = 0; i < TIMES; i++) {
            assertThat(benchmark.verify()).isInstanceOf(KeyVerification.Genuine.class);
        }
    }

    @Test
    void evaluate_ofThreeLicenses_isActiveUnderTheMiddleOne() {
        LifecycleBenchmark benchmark = new LifecycleBenchmark();
        benchmark.applyThree();

        for (int i = 0; i < TIMES; i++) {
            LicenseStatus status = benchmark.evaluate();
            assertThat(status.state()).isEqualTo(LicenseState.ACTIVE);
            assertThat(status.capacity()).isEqualTo(80);
            assertThat(status.pending()).isPresent();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"journaled", "sqlite"})
    void claimAndRelease_onTheRealStore_grantsAndReleasesEveryTime(String store) throws Exception {
        SeatLedgerBenchmark benchmark = new SeatLedgerBenchmark();
        benchmark.store = store;
        benchmark.open();
        try {
            SeatLedgerBenchmark.Agent agent = new SeatLedgerBenchmark.Agent();
            agent.name();

            for (int i = 0; i < TIMES; i++) {
                assertThat(benchmark.claimAndRelease(agent)).isTrue();
                assertThat(benchmark.claimAndRelease8(agent)).isTrue();
            }
            assertThat(benchmark.ledger.inUse()).isZero();
        } finally {
            benchmark.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"journaled", "sqlite"})
    void renew_ofAHeldLease_renewsItEveryTime(String store) throws Exception {
        SeatLedgerBenchmark benchmark = new SeatLedgerBenchmark();
        benchmark.store = store;
        benchmark.open();
        try {
            SeatLedgerBenchmark.Holder holder = new SeatLedgerBenchmark.Holder();
            holder.claim(benchmark);

            for (int i = 0; i < TIMES; i++) {
                assertThat(benchmark.renew(holder)).isInstanceOf(ClaimResult.Renewed.class);
                assertThat(benchmark.renew8(holder)).isInstanceOf(ClaimResult.Renewed.class);
            }
            assertThat(benchmark.ledger.inUse()).isEqualTo(1);
        } finally {
            benchmark.close();
        }
    }
}
