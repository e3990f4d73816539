package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.audit.AuditEvent;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The process that {@link SqliteAuditLogCrashIT} kills: {@value #THREADS} threads record {@code CLAIM_DENIED}
 * events with {@link SqliteAuditLog#recordLater} (detail {@code thread T event I}) and print {@code durable T I}
 * when an event's future completes, until the process is killed or has recorded a bounded number. Each thread
 * waits for every {@value #WAIT_EVERY}th event, so that the queue stays bounded, as answered denials bound it.
 */
final class AuditRecordingProcess {

    static final String DURABLE = "durable";
    static final int THREADS = 4;
    static final int WAIT_EVERY = 16;
    static final int MAX_EVENTS_PER_THREAD = 200_000;

    private AuditRecordingProcess() {}

    public static void main(String[] args) throws InterruptedException {
        PrintStream out = System.out;
        try (SqliteDatabase database = SqliteDatabase.open(Path.of(args[0]))) {
            SqliteAuditLog log = new SqliteAuditLog(database);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < MAX_EVENTS_PER_THREAD; i++) {
                        int event = i;
                        CompletableFuture<Void> written = log.recordLater(
                                Instant.now(), "acd", AuditEvent.Type.CLAIM_DENIED, detail(thread, event));
                        written.thenRun(() -> {
                            synchronized (out) {
                                out.println(DURABLE + " " + thread + " " + event);
                                out.flush();
                            }
                        });
                        if (i % WAIT_EVERY == 0) {
                            written.join();
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            log.close();
        }
    }

    static String detail(int thread, int event) {
        return "thread " + thread + " event " + event;
    }
}
