package com.anycontact.innolicense.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.seat.Lease;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of a large write transaction, not before its {@code BEGIN}: a separate JVM
 * holds {@value JournaledCheckpointingProcess#LEASES} leases, times a checkpoint of all their renewals, renews
 * them all again, and is killed at a random moment within half that time after its final checkpoint (one
 * transaction writing every lease) has begun. Reopened, the file is intact and every acked claim and renewal is held at least until
 * its acked expiry.
 */
class JournaledSeatStoreCheckpointCrashIT {

    @TempDir
    Path dataDirectory;

    @RepeatedTest(3)
    void killMinus9_duringTheFinalCheckpointsTransaction_losesNothingAcked() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        JournaledCheckpointingProcess.class.getName(),
                        dataDirectory.toString())
                .redirectError(
                        dataDirectory.resolve("checkpointing-process.err").toFile())
                .start();
        Map<String, Long> acked = new HashMap<>();
        long checkpointMillis = -1;
        long killedAfterMillis = -1;
        boolean closed = false;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                String[] words = line.split(" ");
                switch (words[0]) {
                    case JournaledCheckpointingProcess.CLAIMED, JournaledCheckpointingProcess.RENEWED ->
                        acked.merge(words[1], Long.parseLong(words[2]), Math::max);
                    case JournaledCheckpointingProcess.CHECKPOINT_TOOK -> checkpointMillis = Long.parseLong(words[1]);
                    case JournaledCheckpointingProcess.CHECKPOINTING -> {
                        killedAfterMillis = ThreadLocalRandom.current().nextLong(Math.max(1, checkpointMillis / 2));
                        Thread.sleep(killedAfterMillis);
                        process.toHandle().destroyForcibly();
                    }
                    case JournaledCheckpointingProcess.CLOSED -> closed = true;
                    default -> {}
                }
            }
        } finally {
            process.toHandle().destroyForcibly();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        Instant reopened = Instant.now();
        Map<String, Long> held;
        try (SqliteDatabase database = SqliteDatabase.open(dataDirectory);
                JournaledSeatStore store =
                        JournaledSeatStore.open(database, reopened, JournaledCheckpointingProcess.TTL)) {
            held = store.leases(reopened).stream()
                    .collect(Collectors.toMap(
                            lease -> lease.agent().value(),
                            (Lease lease) -> lease.expiresAt().toEpochMilli()));
        }
        System.out.printf(
                "journaled checkpoint crash: a checkpoint of %d leases took %d ms; killed %d ms into the final one"
                        + " (exit status %d, closed: %s); %d acked agents, %d leases found after reopening%n",
                JournaledCheckpointingProcess.LEASES,
                checkpointMillis,
                killedAfterMillis,
                process.exitValue(),
                closed,
                acked.size(),
                held.size());
        assertThat(killedAfterMillis).as("killed during the final checkpoint").isNotNegative();
        assertThat(closed).as("the final checkpoint did not finish").isFalse();
        assertThat(process.exitValue()).as("exit status of a SIGKILL").isEqualTo(137);
        assertThat(acked).hasSize(JournaledCheckpointingProcess.LEASES);
        assertThat(integrityCheck()).isEqualTo("ok");
        assertThat(held).hasSameSizeAs(acked);
        for (Map.Entry<String, Long> ack : acked.entrySet()) {
            assertThat(held.get(ack.getKey())).as("expiry of %s", ack.getKey()).isGreaterThanOrEqualTo(ack.getValue());
        }
    }

    private String integrityCheck() {
        try (Connection connection =
                        DriverManager.getConnection("jdbc:sqlite:" + dataDirectory.resolve(SqliteDatabase.FILE_NAME));
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("PRAGMA integrity_check")) {
            row.next();
            return row.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
