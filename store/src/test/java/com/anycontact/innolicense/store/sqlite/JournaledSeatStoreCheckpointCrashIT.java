package com.anycontact.innolicense.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.seat.Lease;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * transaction writing every lease) has begun. Reopened, the file is intact and every acked claim and renewal is
 * held at least until its acked expiry.
 *
 * <p>On a crowded machine this test can be descheduled between reading that the final checkpoint began and the
 * kill, and the process may finish the checkpoint first; such a run tests nothing and is run again, up to {@value
 * #ATTEMPTS} times, so that a late kill cannot fail the test and a test whose kill never lands cannot pass.
 */
class JournaledSeatStoreCheckpointCrashIT {

    private static final int ATTEMPTS = 5;

    @TempDir
    Path dataDirectory;

    /** What one run of the process did: its acks, and when and whether it was killed mid-checkpoint. */
    private record Run(
            Path directory, Map<String, Long> acked, long checkpointMillis, long killedAfterMillis, boolean closed) {}

    @RepeatedTest(3)
    void killMinus9_duringTheFinalCheckpointsTransaction_losesNothingAcked() throws IOException, InterruptedException {
        Run run = runAndKill(dataDirectory.resolve("attempt-1"));
        for (int attempt = 2; run.closed() && attempt <= ATTEMPTS; attempt++) {
            System.out.printf(
                    "journaled checkpoint crash: the kill, %d ms after the final checkpoint began, came after it"
                            + " finished; running again%n",
                    run.killedAfterMillis());
            run = runAndKill(dataDirectory.resolve("attempt-" + attempt));
        }
        assertThat(run.closed())
                .as("the final checkpoint did not finish before the kill, in one of %d runs", ATTEMPTS)
                .isFalse();

        Instant reopened = Instant.now();
        Map<String, Long> held;
        try (SqliteDatabase database = SqliteDatabase.open(run.directory());
                JournaledSeatStore store =
                        JournaledSeatStore.open(database, reopened, JournaledCheckpointingProcess.TTL)) {
            held = store.leases(reopened).stream()
                    .collect(Collectors.toMap(
                            lease -> lease.agent().value(),
                            (Lease lease) -> lease.expiresAt().toEpochMilli()));
        }
        Map<String, Long> acked = run.acked();
        System.out.printf(
                "journaled checkpoint crash: a checkpoint of %d leases took %d ms; killed %d ms into the final one;"
                        + " %d acked agents, %d leases found after reopening%n",
                JournaledCheckpointingProcess.LEASES,
                run.checkpointMillis(),
                run.killedAfterMillis(),
                acked.size(),
                held.size());
        assertThat(acked).hasSize(JournaledCheckpointingProcess.LEASES);
        assertThat(integrityCheck(run.directory())).isEqualTo("ok");
        assertThat(held).hasSameSizeAs(acked);
        for (Map.Entry<String, Long> ack : acked.entrySet()) {
            assertThat(held.get(ack.getKey())).as("expiry of %s", ack.getKey()).isGreaterThanOrEqualTo(ack.getValue());
        }
    }

    /** Runs the process on its own data directory and kills it once its final checkpoint has begun. */
    private static Run runAndKill(Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        JournaledCheckpointingProcess.class.getName(),
                        directory.toString())
                .redirectError(directory.resolve("checkpointing-process.err").toFile())
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
        assertThat(killedAfterMillis).as("killed during the final checkpoint").isNotNegative();
        if (!closed) {
            assertThat(process.exitValue()).as("exit status of a SIGKILL").isEqualTo(137);
        }
        return new Run(directory, acked, checkpointMillis, killedAfterMillis, closed);
    }

    private static String integrityCheck(Path directory) {
        try (Connection connection =
                        DriverManager.getConnection("jdbc:sqlite:" + directory.resolve(SqliteDatabase.FILE_NAME));
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("PRAGMA integrity_check")) {
            row.next();
            return row.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
