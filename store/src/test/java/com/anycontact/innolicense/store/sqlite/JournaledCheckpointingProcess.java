package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The process that {@link JournaledSeatStoreCheckpointCrashIT} kills in the middle of a large transaction: it
 * claims {@value #LEASES} seats and prints each ack, checkpoints them, renews every lease (in memory) and times a
 * checkpoint of all the renewals, renews every lease again, then prints {@value #CHECKPOINTING} and closes the
 * store, whose final checkpoint writes every lease in one transaction; it prints {@value #CLOSED} if it gets that
 * far.
 */
final class JournaledCheckpointingProcess {

    static final String CLAIMED = "claimed";
    static final String RENEWED = "renewed";
    static final String CHECKPOINT_TOOK = "checkpoint-took-ms";
    static final String CHECKPOINTING = "checkpointing";
    static final String CLOSED = "closed";
    static final int LEASES = 20_000;
    static final Duration TTL = Duration.ofHours(1);

    private JournaledCheckpointingProcess() {}

    public static void main(String[] args) {
        PrintStream out = System.out;
        Instant start = Instant.now();
        SqliteDatabase database = SqliteDatabase.open(Path.of(args[0]));
        JournaledSeatStore store = JournaledSeatStore.open(database, start, TTL, Duration.ofDays(1));
        for (int i = 0; i < LEASES; i++) {
            if (store.claim(request(i), LEASES, Instant.now(), TTL) instanceof ClaimResult.Claimed claimed) {
                out.println(CLAIMED + " " + claimed.lease().agent() + " "
                        + claimed.lease().expiresAt().toEpochMilli());
            }
        }
        store.checkpoint();
        renewAll(store, out);
        long began = System.nanoTime();
        store.checkpoint();
        out.println(CHECKPOINT_TOOK + " "
                + Duration.ofNanos(System.nanoTime() - began).toMillis());
        renewAll(store, out);
        out.println(CHECKPOINTING);
        out.flush();
        store.close();
        database.close();
        out.println(CLOSED);
        out.flush();
    }

    private static void renewAll(JournaledSeatStore store, PrintStream out) {
        for (int i = 0; i < LEASES; i++) {
            if (store.claim(request(i), LEASES, Instant.now(), TTL) instanceof ClaimResult.Renewed renewed) {
                out.println(RENEWED + " " + renewed.lease().agent() + " "
                        + renewed.lease().expiresAt().toEpochMilli());
            }
        }
    }

    private static ClaimRequest request(int i) {
        return new ClaimRequest(new AgentId("agent-" + i), "acd-" + (i % 7), "desk " + i);
    }
}
