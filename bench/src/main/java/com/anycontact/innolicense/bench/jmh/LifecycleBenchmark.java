package com.anycontact.innolicense.bench.jmh;

import com.anycontact.innolicense.bench.BenchLicenses;
import com.anycontact.innolicense.license.License;
import com.anycontact.innolicense.license.LicenseLifecycle;
import com.anycontact.innolicense.license.LicenseStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Evaluating the license lifecycle ({@link LicenseLifecycle#evaluate}) over three applied licenses:
 * a lapsed one, the one in force, and a future-dated renewal, as an installation holds them after a
 * year or two. The server evaluates on every status request and once a second in its watcher.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar LifecycleBenchmark} (build first with
 * {@code ./mvnw -B -pl bench -am package -DskipTests}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class LifecycleBenchmark {

    private List<License> applied;
    private Instant now;

    /** Three licenses of one installation, and an instant within the term of the second. */
    @Setup
    public void applyThree() {
        BenchLicenses licenses = BenchLicenses.generate();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        applied = List.of(
                licenses.license(BenchLicenses.INSTALLATION, 1, 50, today.minusMonths(14)),
                licenses.license(BenchLicenses.INSTALLATION, 2, 80, today.minusMonths(2)),
                licenses.license(BenchLicenses.INSTALLATION, 3, 120, today.plusMonths(10)));
        now = Instant.now();
    }

    /** One evaluation: state, capacity and features in force, and the pending renewal. */
    @Benchmark
    public LicenseStatus evaluate() {
        return LicenseLifecycle.evaluate(applied, now);
    }
}
