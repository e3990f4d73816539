package com.anycontact.innolicense.bench.jmh;

import com.anycontact.innolicense.bench.BenchLicenses;
import com.anycontact.innolicense.license.KeyVerification;
import com.anycontact.innolicense.license.LicenseVerifier;
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
 * Verifying a real license key offline, as the server does when a key is applied or previewed:
 * unarmor the text, decode the payload, find the trusted vendor key, check the Ed25519 signature and
 * the installation binding.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar KeyVerificationBenchmark} (build first with
 * {@code ./mvnw -B -pl bench -am package -DskipTests}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class KeyVerificationBenchmark {

    private LicenseVerifier verifier;
    private String keyText;

    /** Signs one license with a fresh vendor key and trusts that key. */
    @Setup
    public void signKey() {
        BenchLicenses licenses = BenchLicenses.generate();
        verifier = licenses.verifier();
        keyText = licenses.keyText(licenses.activeLicense(BenchLicenses.INSTALLATION, 1, 250));
    }

    /** One verification of a genuine key bound to this installation. */
    @Benchmark
    public KeyVerification verify() {
        return verifier.verify(keyText, BenchLicenses.INSTALLATION);
    }
}
