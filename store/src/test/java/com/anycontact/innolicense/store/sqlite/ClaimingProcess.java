package com.anycontact.innolicense.store.sqlite;

import com.anycontact.innolicense.seat.AgentId;
import com.anycontact.innolicense.seat.ClaimRequest;
import com.anycontact.innolicense.seat.ClaimResult;
import com.anycontact.innolicense.seat.SeatStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The process that {@link SqliteSeatStoreCrashIT} kills: claims seats for {@code agent-0},
 * {@code agent-1}, ... and prints one line per claim after the store has returned it (the ack), until
 * it is killed or has claimed a bounded number.
 */
final class ClaimingProcess {

    static final String ACK = "claimed";
    static final int MAX_CLAIMS = 200_000;
    static final Duration TTL = Duration.ofHours(1);

    private ClaimingProcess() {}

    public static void main(String[] args) {
        PrintStream out = System.out;
        try (SqliteDatabase database = SqliteDatabase.open(Path.of(args[0]))) {
            SeatStore store = new SqliteSeatStore(database);
            for (int i = 0; i < MAX_CLAIMS; i++) {
                ClaimResult result =
                        store.claim(ClaimRequest.of(new AgentId("agent-" + i)), MAX_CLAIMS, Instant.now(), TTL);
                if (result instanceof ClaimResult.Claimed claimed) {
                    out.println(ACK + " " + claimed.lease().agent() + " "
                            + claimed.lease().expiresAt().toEpochMilli());
                    out.flush();
                }
            }
        }
    }
}
