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
 * Acked claims survive {@code kill -9}: a separate JVM claims seats as fast as it can and prints
 * each ack; it is killed with SIGKILL mid-stream, the database is reopened, and every acked lease
 * must be there with its expiry.
 */
class SqliteSeatStoreCrashIT {

    private static final int ACKS_BEFORE_KILL = 2_000;

    @TempDir
    Path dataDirectory;

    @Test
    void ackedClaims_surviveKillMinus9OfTheProcess() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ClaimingProcess.class.getName(),
                        dataDirectory.toString())
                .redirectError(dataDirectory.resolve("claiming-process.err").toFile())
                .start();
        Map<String, Long> acked = new HashMap<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                String[] ack = line.split(" ");
                if (ack.length == 3 && ack[0].equals(ClaimingProcess.ACK)) {
                    acked.put(ack[1], Long.parseLong(ack[2]));
                }
                if (acked.size() == ACKS_BEFORE_KILL) {
                    process.toHandle().destroyForcibly();
                }
            }
        } finally {
            process.toHandle().destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        Map<String, Long> held;
        try (SqliteDatabase database = SqliteDatabase.open(dataDirectory)) {
            held = new SqliteSeatStore(database)
                    .leases(Instant.now()).stream()
                            .collect(Collectors.toMap(
                                    lease -> lease.agent().value(),
                                    (Lease lease) -> lease.expiresAt().toEpochMilli()));
        }
        System.out.printf(
                "crash: killed with exit status %d after %d acked claims; %d leases found after reopening%n",
                process.exitValue(), acked.size(), held.size());
        assertThat(process.exitValue()).as("exit status of a SIGKILL").isEqualTo(137);
        assertThat(acked).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
        assertThat(held).containsAllEntriesOf(acked);
        assertThat(held.size()).isLessThanOrEqualTo(acked.size() + 1);
    }
}
