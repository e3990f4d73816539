package com.anycontact.innolicense.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.anycontact.innolicense.audit.AuditChainReport;
import com.anycontact.innolicense.audit.AuditEvent;
import com.anycontact.innolicense.audit.AuditQuery;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events recorded later ({@link SqliteAuditLog#recordLater}) survive {@code kill -9} once their future has
 * completed, and a crash leaves the hash chain intact: a separate JVM records from several threads and prints
 * each event made durable; it is killed with SIGKILL mid-stream, and the log reopened over the file must hold
 * every event printed, each thread's events without a gap, and verify.
 */
class SqliteAuditLogCrashIT {

    private static final int DURABLE_BEFORE_KILL = 4_000;

    @TempDir
    Path dataDirectory;

    @Test
    void eventsRecordedLater_onceDurable_surviveKillMinus9_andTheChainStaysIntact()
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        AuditRecordingProcess.class.getName(),
                        dataDirectory.toString())
                .redirectError(dataDirectory.resolve("recording-process.err").toFile())
                .start();
        Set<String> durable = new HashSet<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                String[] event = line.split(" ");
                if (event.length == 3 && event[0].equals(AuditRecordingProcess.DURABLE)) {
                    durable.add(AuditRecordingProcess.detail(Integer.parseInt(event[1]), Integer.parseInt(event[2])));
                }
                if (durable.size() == DURABLE_BEFORE_KILL) {
                    process.toHandle().destroyForcibly();
                }
            }
        } finally {
            process.toHandle().destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        List<AuditEvent> found = new ArrayList<>();
        AuditChainReport chain;
        try (SqliteDatabase database = SqliteDatabase.open(dataDirectory)) {
            SqliteAuditLog log = new SqliteAuditLog(database);
            chain = log.verifyChain();
            Long before = null;
            while (true) {
                AuditQuery query = AuditQuery.newest(1_000);
                List<AuditEvent> page = log.find(before == null ? query : query.withBeforeId(before));
                if (page.isEmpty()) {
                    break;
                }
                found.addAll(page);
                before = page.getLast().id();
            }
        }
        System.out.printf(
                "audit crash: killed with exit status %d after %d events durable; %d found after reopening%n",
                process.exitValue(), durable.size(), found.size());
        assertThat(process.exitValue()).as("exit status of a SIGKILL").isEqualTo(137);
        assertThat(chain.intact()).as("%s", chain.firstBreak()).isTrue();
        assertThat(chain.entries()).isEqualTo(found.size());
        Set<String> details = new HashSet<>();
        found.forEach(event -> details.add(event.detail()));
        assertThat(details).hasSameSizeAs(found).containsAll(durable);
        for (int thread = 0; thread < AuditRecordingProcess.THREADS; thread++) {
            int t = thread;
            long ofThread = found.stream()
                    .filter(event -> event.detail().startsWith("thread " + t + " "))
                    .count();
            for (int i = 0; i < ofThread; i++) {
                assertThat(details)
                        .as("thread %d's events without a gap", t)
                        .contains(AuditRecordingProcess.detail(t, i));
            }
        }
    }
}
