package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.Lease;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The process that {@link JournaledSeatStoreCrashIT} kills: {@value #THREADS} threads claim seats
 * on the journaled store for {@code agent-<thread>-0}, {@code agent-<thread>-1}, ..., renew every
 * other one at once, and print one line per ack after the store has returned it, until the
 * process is killed or has claimed a bounded number.
 */
final class JournaledClaimingProcess {

    static final String CLAIMED = "claimed";
    static final String RENEWED = "renewed";
    static final int THREADS = 4;
    static final int MAX_CLAIMS_PER_THREAD = 100_000;
    static final Duration TTL = Duration.ofHours(1);

    private JournaledClaimingProcess() {}

    public static void main(String[] args) throws InterruptedException {
        PrintStream out = System.out;
        try (SqliteDatabase database = SqliteDatabase.open(Path.of(args[0]));
                JournaledSeatStore store = JournaledSeatStore.open(database, Instant.now(), TTL)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < MAX_CLAIMS_PER_THREAD; i++) {
                        ClaimRequest request = ClaimRequest.of(new AgentId("agent-" + thread + "-" + i));
                        int capacity = THREADS * MAX_CLAIMS_PER_THREAD;
                        if (store.claim(request, capacity, Instant.now(), TTL) instanceof ClaimResult.Claimed claimed) {
                            ack(out, CLAIMED, claimed.lease());
                            if (i % 2 == 0
                                    && store.claim(request, capacity, Instant.now(), TTL)
                                            instanceof ClaimResult.Renewed renewed) {
                                ack(out, RENEWED, renewed.lease());
                            }
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }
    }

    private static void ack(PrintStream out, String what, Lease lease) {
        synchronized (out) {
            out.println(what + " " + lease.agent() + " " + lease.expiresAt().toEpochMilli());
            out.flush();
        }
    }
}
