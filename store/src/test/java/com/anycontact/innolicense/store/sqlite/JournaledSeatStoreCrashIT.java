package com.anycontact.innolicense.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.seat.Lease;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acked claims survive {@code kill -9} of a process using the journaled store: a separate JVM
 * claims and renews seats from several threads and prints each ack; it is killed with SIGKILL
 * mid-stream, the store is reopened over the file, and every acked lease must be there, held at
 * least until its acked expiry and for at least the restart grace.
 */
class JournaledSeatStoreCrashIT {

    private static final int ACKS_BEFORE_KILL = 4_000;

    @TempDir
    Path dataDirectory;

    @Test
    void ackedClaimsAndRenewals_surviveKillMinus9OfTheProcess() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        JournaledClaimingProcess.class.getName(),
                        dataDirectory.toString())
                .redirectError(dataDirectory.resolve("claiming-process.err").toFile())
                .start();
        Map<String, Long> acked = new HashMap<>();
        int claims = 0;
        int renewals = 0;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                String[] ack = line.split(" ");
                if (ack.length == 3
                        && (ack[0].equals(JournaledClaimingProcess.CLAIMED)
                                || ack[0].equals(JournaledClaimingProcess.RENEWED))) {
                    acked.merge(ack[1], Long.parseLong(ack[2]), Math::max);
                    if (ack[0].equals(JournaledClaimingProcess.CLAIMED)) {
                        claims++;
                    } else {
                        renewals++;
                    }
                }
                if (claims == ACKS_BEFORE_KILL) {
                    process.toHandle().destroyForcibly();
                }
            }
        } finally {
            process.toHandle().destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        Instant reopened = Instant.now();
        Map<String, Long> held;
        try (SqliteDatabase database = SqliteDatabase.open(dataDirectory);
                JournaledSeatStore store = JournaledSeatStore.open(database, reopened, JournaledClaimingProcess.TTL)) {
            held = store.leases(reopened).stream()
                    .collect(Collectors.toMap(
                            lease -> lease.agent().value(),
                            (Lease lease) -> lease.expiresAt().toEpochMilli()));
        }
        System.out.printf(
                "journaled crash: killed with exit status %d after %d acked claims and %d acked renewals;"
                        + " %d leases found after reopening%n",
                process.exitValue(), claims, renewals, held.size());
        assertThat(process.exitValue()).as("exit status of a SIGKILL").isEqualTo(137);
        assertThat(acked).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
        assertThat(renewals).isPositive();
        assertThat(held).containsKeys(acked.keySet().toArray(String[]::new));
        long graceEnd = reopened.plus(JournaledClaimingProcess.TTL).toEpochMilli();
        for (Map.Entry<String, Long> ack : acked.entrySet()) {
            assertThat(held.get(ack.getKey()))
                    .as("expiry of %s", ack.getKey())
                    .isGreaterThanOrEqualTo(Math.max(ack.getValue(), graceEnd));
        }
        assertThat(held.size()).isLessThanOrEqualTo(acked.size() + JournaledClaimingProcess.THREADS);
    }
}
